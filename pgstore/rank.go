package pgstore

import (
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
)

// The global rank histogram (migrations/0003_rank_histogram.sql): trivia_rank_points
// counts the players at each points total, trivia_rank_blocks those in each block of
// rankBlock points. Every transaction that changes a total moves its player in both, in
// the same transaction, so a rank read from them is exact in any snapshot.

// rankBlock is the width of a block of trivia_rank_blocks; the migration and the
// queries below spell it out as 512 too.
const rankBlock = 512

// rankDelta collects the histogram changes of one transaction: players added (or, when
// negative, removed) per points total.
type rankDelta map[int64]int64

// move records that a player's total went from old to new; fresh means they had none.
func (d rankDelta) move(old, new int64, fresh bool) {
	if !fresh {
		if old == new {
			return
		}
		d[old]--
	}
	d[new]++
}

// queue adds to b the statements that apply d, last in their transaction.
//
// Rows are locked in one order everywhere, so two transactions cannot deadlock over
// them: the totals first (in ascending order), then the blocks (in ascending order), each
// in a statement of its own after every player lock and totals row the transaction takes.
func (d rankDelta) queue(b *pgx.Batch) {
	var pts, n []int64
	for _, p := range slices.Sorted(maps.Keys(d)) {
		if d[p] != 0 {
			pts = append(pts, p)
			n = append(n, d[p])
		}
	}
	if len(pts) == 0 {
		return
	}
	b.Queue(`
		INSERT INTO trivia_rank_points AS r (points, players)
		SELECT p, n FROM unnest($1::bigint[], $2::bigint[]) AS u(p, n) ORDER BY p
		ON CONFLICT (points) DO UPDATE SET players = r.players + EXCLUDED.players`, pts, n)
	b.Queue(`
		INSERT INTO trivia_rank_blocks AS r (block, players)
		SELECT p / 512, sum(n) FROM unnest($1::bigint[], $2::bigint[]) AS u(p, n)
		GROUP BY p / 512 HAVING sum(n) <> 0 ORDER BY p / 512
		ON CONFLICT (block) DO UPDATE SET players = r.players + EXCLUDED.players`, pts, n)
}
