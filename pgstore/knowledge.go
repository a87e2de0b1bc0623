package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"filmbot/seed"
)

// knowledgeChannel is the LISTEN/NOTIFY channel a new knowledge generation is announced
// on; the payload is its number.
const knowledgeChannel = "filmbot_knowledge"

// KnowledgeSync keeps this process's knowledge (its own bbolt file) in step with every
// other process of the bot. A reseed here is published as a new generation in
// PostgreSQL and announced with NOTIFY; Run listens, and installs each newer generation
// another process published; CatchUp installs the newest at start and after every
// reconnect of the listener, so a process that was down or missed a notice still ends on
// the same generation as the rest.
//
// Which generation this process holds is kept in a small state file beside its store,
// so that a restart does not reinstall what it already has.
//
// A generation is stored in chunks (chunks.go): gzip-compressed JSON of up to 1,000
// records of one kind each, written by COPY as they are made and decoded as they are
// read, so neither side holds the catalog twice (the 100,000-film test catalog is
// 220 MB as one JSON value). The newest two generations are kept.
type KnowledgeSync struct {
	s       *Store
	state   string
	install InstallFunc
	log     *slog.Logger

	mu      sync.Mutex // one install or publish at a time
	have    int64
	changed chan struct{} // closed (and replaced) when have changes
}

// InstallFunc installs a catalog that another process published in this process's store
// and makes it live (knowledge.Service.Reseed does). The ctx it gets makes the
// knowledge service's publish hook skip it, so it is not published back.
type InstallFunc func(ctx context.Context, cat *seed.Catalog) error

// fromSync marks a context whose install came from the database.
type fromSync struct{}

// Knowledge returns the knowledge sync of this store; statePath is where it records the
// generation this process holds (next to the bbolt file, such as "filmbot.db.pggen").
func (s *Store) Knowledge(statePath string, install InstallFunc, log *slog.Logger) (*KnowledgeSync, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	k := &KnowledgeSync{s: s, state: statePath, install: install, log: log, changed: make(chan struct{})}
	data, err := os.ReadFile(statePath)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("pgstore: knowledge state: %w", err)
	default:
		k.have, err = strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("pgstore: knowledge state %s: not a generation number", statePath)
		}
	}
	return k, nil
}

// Have returns the database generation this process holds; 0 for none.
func (k *KnowledgeSync) Have() int64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.have
}

// Changed returns a channel closed when the generation this process holds next changes;
// take it before reading Have, so no change is missed in between.
func (k *KnowledgeSync) Changed() <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.changed
}

// Publish stores cat, which this process has just installed, as a new generation and
// announces it. It does nothing for an install that came from the database. It suits
// knowledge.Service.SetPublish.
func (k *KnowledgeSync) Publish(ctx context.Context, cat *seed.Catalog) error {
	if ctx.Value(fromSync{}) != nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	var gen int64
	// The chunks are made as COPY sends them, one at a time; the generation, its chunks
	// and the NOTIFY commit together, and NOTIFY is delivered at commit, so a listener
	// never hears of a generation it cannot read whole.
	err := pgx.BeginFunc(ctx, k.s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO knowledge_generations (films, facts) VALUES ($1, $2)
			RETURNING gen`, len(cat.Films), len(cat.Facts)).Scan(&gen); err != nil {
			return err
		}
		next := catalogChunks(cat)
		n := 0
		chunks, err := tx.CopyFrom(ctx, pgx.Identifier{"knowledge_chunks"}, []string{"gen", "n", "part"},
			pgx.CopyFromFunc(func() ([]any, error) {
				part, err := next()
				if part == nil || err != nil {
					return nil, err
				}
				n++
				return []any{gen, n, part}, nil
			}))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE knowledge_generations SET chunks = $2 WHERE gen = $1", gen, chunks); err != nil {
			return err
		}
		// Keep this generation and the one before (a process may be reading it); every
		// process installs the newest.
		if _, err := tx.Exec(ctx, "DELETE FROM knowledge_generations WHERE gen < (SELECT max(gen) FROM knowledge_generations WHERE gen < $1)", gen); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "SELECT pg_notify($1, $2)", knowledgeChannel, strconv.FormatInt(gen, 10))
		return err
	})
	if err != nil {
		return fmt.Errorf("pgstore: publish knowledge: %w", err)
	}
	k.log.Info("knowledge published", "generation", gen, "films", len(cat.Films))
	return k.setHave(gen)
}

// setHave records gen as held; k.mu must be held.
func (k *KnowledgeSync) setHave(gen int64) error {
	k.have = gen
	close(k.changed)
	k.changed = make(chan struct{})
	tmp := k.state + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatInt(gen, 10)+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgstore: knowledge state: %w", err)
	}
	if err := os.Rename(tmp, k.state); err != nil {
		return fmt.Errorf("pgstore: knowledge state: %w", err)
	}
	return nil
}

// CatchUp installs the newest published generation when this process does not hold it,
// and reports whether it installed one.
func (k *KnowledgeSync) CatchUp(ctx context.Context) (bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var gen int64
	err := k.s.pool.QueryRow(ctx, "SELECT coalesce(max(gen), 0) FROM knowledge_generations").Scan(&gen)
	if err != nil {
		return false, fmt.Errorf("pgstore: knowledge catch-up: %w", err)
	}
	if gen == 0 || gen == k.have {
		return false, nil
	}
	cat, err := k.read(ctx, gen)
	if err != nil {
		return false, fmt.Errorf("pgstore: knowledge generation %d: %w", gen, err)
	}
	if err := k.install(context.WithValue(ctx, fromSync{}, true), cat); err != nil {
		return false, fmt.Errorf("pgstore: install knowledge generation %d: %w", gen, err)
	}
	k.log.Info("knowledge installed from another process", "generation", gen, "films", len(cat.Films))
	return true, k.setHave(gen)
}

// read returns generation gen's catalog, decoding its chunks as they arrive; a
// generation published before chunks is one JSON value.
func (k *KnowledgeSync) read(ctx context.Context, gen int64) (*seed.Catalog, error) {
	var chunks int
	var whole []byte
	if err := k.s.pool.QueryRow(ctx, "SELECT chunks, catalog FROM knowledge_generations WHERE gen = $1", gen).
		Scan(&chunks, &whole); err != nil {
		return nil, err
	}
	cat := &seed.Catalog{}
	if whole != nil { // published before chunks
		if err := json.Unmarshal(whole, cat); err != nil {
			return nil, err
		}
		return cat, nil
	}
	rows, err := k.s.pool.Query(ctx, "SELECT part FROM knowledge_chunks WHERE gen = $1 ORDER BY n", gen)
	if err != nil {
		return nil, err
	}
	r := chunkReader{cat: cat}
	var part []byte
	got := 0
	// pgx hands each row's bytes over as they are read, so only one chunk is held at a time.
	_, err = pgx.ForEachRow(rows, []any{&part}, func() error {
		got++
		return r.add(part)
	})
	if err != nil {
		return nil, err
	}
	if got != chunks {
		return nil, fmt.Errorf("%d of its %d chunks stored", got, chunks)
	}
	return cat, nil
}

// Run listens for new generations until ctx ends, catching up when it starts, on each
// notice, and each time its connection comes back; after a failure it reconnects a
// second later.
func (k *KnowledgeSync) Run(ctx context.Context) error {
	retry := time.Second
	for ctx.Err() == nil {
		err := k.listen(ctx)
		if ctx.Err() != nil {
			break
		}
		k.log.Warn("knowledge listener lost; reconnecting", "err", err, "retry_in", retry)
		t := time.NewTimer(retry)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	return nil
}

// listen holds one LISTEN connection until it fails.
func (k *KnowledgeSync) listen(ctx context.Context) error {
	conn, err := k.s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is LISTENing: never hand it back to the pool.
	pc := conn.Hijack()
	defer pc.Close(context.Background())
	if _, err := pc.Exec(ctx, "LISTEN "+knowledgeChannel); err != nil {
		return err
	}
	for {
		// A failed catch-up (a reseed running here holds the knowledge lock, say) ends
		// the connection too: Run tries again on a new one a second later, catching up
		// first, so nothing published meanwhile is missed.
		if _, err := k.CatchUp(ctx); err != nil {
			return err
		}
		if _, err := pc.WaitForNotification(ctx); err != nil {
			return err
		}
	}
}
