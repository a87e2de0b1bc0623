-- How many players have each global points total, and how many fall in each block of
-- 512 points: a global rank is 1 + the players in the blocks above the player's block +
-- the players at the totals above theirs within it, a sum over at most a few hundred
-- small rows however many players there are. Kept exact by the answer transactions and
-- ResetScores, which change them in the same transaction as trivia_totals.
-- Hot rows are rewritten by nearly every answer: leave room for HOT updates on each page
-- and let autovacuum visit them often.
CREATE TABLE trivia_rank_points (
	points  bigint PRIMARY KEY,
	players bigint NOT NULL
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
CREATE TABLE trivia_rank_blocks (
	block   bigint PRIMARY KEY,
	players bigint NOT NULL
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
INSERT INTO trivia_rank_points (points, players)
	SELECT points, count(*) FROM trivia_totals GROUP BY points;
INSERT INTO trivia_rank_blocks (block, players)
	SELECT points / 512, count(*) FROM trivia_totals GROUP BY points / 512;
-- The histogram counts the players; the single-row count is no longer needed.
DROP TABLE trivia_counts;
