package pgstore

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"filmbot/store"
)

// BenchmarkRecordAnswerParallel is many players answering at once in one process
// (32 goroutines per CPU, 1,000 players over 8 guilds): acknowledged answers per second,
// each acknowledged only after its statement committed, and the latency of each.
func BenchmarkRecordAnswerParallel(b *testing.B) {
	s := openTest(b)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var next atomic.Int64
	lat := make([]time.Duration, b.N)
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			a := store.Answer{Guild: fmt.Sprint("guild-", i%8), Game: fmt.Sprint("game-", i%64),
				Question: int(i / 1000), QuestionID: "q", User: fmt.Sprint("player-", i%1000),
				Correct: i%3 != 0, Points: int(i % 17), Streak: 1, At: at}
			t0 := time.Now()
			if err := s.RecordAnswer(a); err != nil {
				b.Error(err)
				return
			}
			lat[i] = time.Since(t0)
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkLeaderboardGlobal is /leaderboard scope: global over 100,000 players spread
// over 50 guilds, for the player at the median, the most index entries to count.
//
// "changed" measures right after the scores were written, when few pages are marked
// all-visible and the rank counts visit the heap (a table that answers keep changing);
// "vacuumed" after VACUUM, as autovacuum leaves it once it has caught up.
func BenchmarkLeaderboardGlobal(b *testing.B) {
	for _, vacuum := range []bool{false, true} {
		name := "changed"
		if vacuum {
			name = "vacuumed"
		}
		b.Run(name, func(b *testing.B) { benchLeaderboardGlobal(b, vacuum) })
	}
}

func benchLeaderboardGlobal(b *testing.B, vacuum bool) {
	s := openTest(b)
	ctx := context.Background()
	const players, guilds = 100_000, 50
	// Bulk-load the scores a long run of RecordAnswer would leave, then the totals they sum to.
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO trivia_scores (guild, user_id, points, correct, answered, games, best_streak)
		SELECT 'guild-' || (p % $2), 'player-' || p, (p * 7919) % 100000 + 1, p % 97, p % 97 + 3, p % 11 + 1, p % 13
		FROM generate_series(1, $1) AS p`, players, guilds); err != nil {
		b.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO trivia_totals (user_id, points, correct, answered, games, best_streak)
		SELECT user_id, sum(points), sum(correct), sum(answered), sum(games), max(best_streak)
		FROM trivia_scores GROUP BY user_id`); err != nil {
		b.Fatal(err)
	}
	// The rank histogram those answers would have left.
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO trivia_rank_points (points, players) SELECT points, count(*) FROM trivia_totals GROUP BY points;
		INSERT INTO trivia_rank_blocks (block, players) SELECT points / 512, count(*) FROM trivia_totals GROUP BY points / 512`); err != nil {
		b.Fatal(err)
	}
	if !vacuum {
		// Answers keep rewriting the hot histogram rows: leave the dead versions and HOT
		// chains a busy bot's would have before autovacuum comes by.
		at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		for i := range 3000 {
			a := store.Answer{Guild: "guild-1", Game: "churn", Question: i, QuestionID: "q",
				User: fmt.Sprint("player-", (i*7717)%players+1), Correct: true, Points: 1 + i%16, Streak: 1, At: at}
			if err := s.RecordAnswer(a); err != nil {
				b.Fatal(err)
			}
		}
	}
	checkRankHistogram(b, s)
	for _, table := range []string{"trivia_totals", "trivia_rank_points", "trivia_rank_blocks"} {
		analyze := "ANALYZE " + table
		if vacuum {
			analyze = "VACUUM ANALYZE " + table
		}
		if _, err := s.pool.Exec(ctx, analyze); err != nil {
			b.Fatal(err)
		}
	}
	var last string
	var rank int
	if err := s.pool.QueryRow(ctx, `
		SELECT user_id, 1 + (SELECT count(*) FROM trivia_totals o WHERE o.points > m.points)
		FROM (SELECT user_id, points FROM trivia_totals ORDER BY points, correct OFFSET $1 LIMIT 1) m`,
		players/2).Scan(&last, &rank); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		top, me, err := s.Leaderboard("", 10, last)
		if err != nil {
			b.Fatal(err)
		}
		if len(top) != 10 || me.Rank != rank {
			b.Fatalf("leaderboard: %d rows, me at rank %d, want rank %d", len(top), me.Rank, rank)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds()), "p99-µs")
}
