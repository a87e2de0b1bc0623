-- Per-guild trivia data, shared by every filmbot process of one bot.

CREATE TABLE trivia_scores (
	guild       text   NOT NULL,
	user_id     text   NOT NULL,
	points      bigint NOT NULL,
	correct     bigint NOT NULL,
	answered    bigint NOT NULL,
	games       bigint NOT NULL,
	best_streak bigint NOT NULL,
	PRIMARY KEY (guild, user_id)
);
CREATE INDEX trivia_scores_rank ON trivia_scores (guild, points DESC, correct DESC, user_id COLLATE "C");
CREATE INDEX trivia_scores_user ON trivia_scores (user_id);

-- Every user's scores summed over all guilds, kept in step with trivia_scores in the
-- same statement, so the global leaderboard reads an index instead of summing every row.
CREATE TABLE trivia_totals (
	user_id     text   PRIMARY KEY,
	points      bigint NOT NULL,
	correct     bigint NOT NULL,
	answered    bigint NOT NULL,
	games       bigint NOT NULL,
	best_streak bigint NOT NULL
);
CREATE INDEX trivia_totals_rank ON trivia_totals (points DESC, correct DESC, user_id COLLATE "C");
-- Narrow, so counting the players above one (their rank) reads as few pages as it can.
CREATE INDEX trivia_totals_points ON trivia_totals (points);

CREATE TABLE trivia_answers (
	game        text        NOT NULL,
	user_id     text        NOT NULL,
	q           integer     NOT NULL,
	guild       text        NOT NULL,
	question_id text        NOT NULL,
	correct     boolean     NOT NULL,
	points      integer     NOT NULL,
	streak      integer     NOT NULL,
	at          timestamptz NOT NULL,
	PRIMARY KEY (game, user_id, q)
);

-- Who has answered in each game: a row per player, inserted with the first answer, so a
-- game counts once in a player's score however their answers interleave.
CREATE TABLE trivia_players (
	game    text NOT NULL,
	user_id text NOT NULL,
	PRIMARY KEY (game, user_id)
);

CREATE TABLE trivia_games (
	channel text  PRIMARY KEY,
	id      text  NOT NULL UNIQUE,
	guild   text  NOT NULL,
	record  jsonb NOT NULL
);
CREATE SEQUENCE trivia_game_ids;

CREATE TABLE trivia_closed (
	game     text        PRIMARY KEY,
	ended_at timestamptz NOT NULL
);
CREATE INDEX trivia_closed_ended ON trivia_closed (ended_at);

CREATE TABLE trivia_recent (
	channel  text   NOT NULL,
	question text   NOT NULL,
	n        bigint NOT NULL,
	PRIMARY KEY (channel, question)
);

CREATE TABLE trivia_settings (
	guild  text  PRIMARY KEY,
	record jsonb NOT NULL
);

-- How many players have a global total: the rank of a player in the lower half is
-- counted from below (players minus those at or under them), which reads at most half the
-- index. Changed only when a player's first answer ever creates their total.
CREATE TABLE trivia_counts (
	one     boolean PRIMARY KEY DEFAULT true CHECK (one),
	players bigint  NOT NULL
);
INSERT INTO trivia_counts (players) VALUES (0);
