package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The three ways to commit one answer per transaction that the trivia could use, each
// acknowledging only after its commit (fsync on, as in production):
// plain Update, bbolt's Batch, and AnswerLog's group commit.
func answerCommitters(s *Store) map[string]func(Answer) error {
	log := NewAnswerLog(s)
	return map[string]func(Answer) error{
		"update": s.recordAnswerAlone,
		"batch": func(a Answer) error {
			p, err := prepareAnswer(a)
			if err != nil {
				return err
			}
			var result error
			err = s.db.Batch(func(tx *bolt.Tx) error {
				result = recordAnswerTx(tx, p)
				if errors.Is(result, ErrAnswered) {
					return nil
				}
				return result
			})
			if err != nil {
				return err
			}
			return result
		},
		"group": log.Record,
	}
}

// BenchmarkRecordAnswer measures one player answering alone: the latency of a single
// acknowledged answer. p50 and p99 are reported in microseconds. group-nosync is group
// with fsync off, which is not durable: it shows what the answer costs apart from the
// disk.
func BenchmarkRecordAnswer(b *testing.B) {
	for _, name := range []string{"update", "batch", "group", "group-nosync"} {
		b.Run(name, func(b *testing.B) {
			s := openTriviaStore(b)
			commit := answerCommitters(s)[strings.TrimSuffix(name, "-nosync")]
			s.db.NoSync = strings.HasSuffix(name, "-nosync")
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				err := commit(Answer{Guild: "g", Game: "x", Question: i % 50, User: fmt.Sprint("u", i), Points: 12, Correct: true})
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportLatency(b, lat)
		})
	}
}

// BenchmarkCommitFloor is the least a durable answer can cost on this disk: a bbolt
// transaction that puts one small key and commits (two fdatasyncs), for comparison with
// BenchmarkRecordAnswer's percentiles.
func BenchmarkCommitFloor(b *testing.B) {
	s := openTriviaStore(b)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		err := s.db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte("bench-floor"))
			if err != nil {
				return err
			}
			return bk.Put([]byte(fmt.Sprint(i)), []byte("x"))
		})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkRecordAnswerParallel measures many players answering at once: acknowledged
// answers per second.
func BenchmarkRecordAnswerParallel(b *testing.B) {
	for _, name := range []string{"update", "batch", "group"} {
		b.Run(name, func(b *testing.B) {
			s := openTriviaStore(b)
			commit := answerCommitters(s)[name]
			var next atomic.Int64
			b.SetParallelism(32)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					if err := commit(Answer{Guild: fmt.Sprint("g", i%8), Game: "x", Question: int(i % 50), User: fmt.Sprint("u", i), Points: 12, Correct: true}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
		})
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
}
