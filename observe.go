package main

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"filmbot/config"
	"filmbot/knowledge"
	"filmbot/metrics"
	"filmbot/seed"
	"filmbot/store"
)

// observer is the operator's view of a running bot: the metrics every part records into
// and the health checks, served on metrics-addr. With metrics-addr empty, m is nil (every
// recorder is then a no-op) and nothing listens.
type observer struct {
	m      *metrics.Metrics
	health *metrics.Health
	srv    *metrics.Server
	// storeOpen and indexed are the readiness of the store and the answer index.
	storeOpen atomic.Bool
	indexed   atomic.Bool
	// gateway is the bot's readiness check, once there is a bot.
	gateway atomic.Pointer[func() error]
}

// storeUp records whether the store is open; o may be nil.
func (o *observer) storeUp(up bool) {
	if o != nil {
		o.storeOpen.Store(up)
	}
}

// startObserver starts the metrics and health listener on cfg.MetricsAddr. The checks
// start failing, and turn ready one by one as Open wires the parts: /readyz is 503 until
// the store is open, the index built and the gateway READY.
func startObserver(cfg config.Config, log *slog.Logger) (*observer, error) {
	o := &observer{health: &metrics.Health{}}
	o.m = metrics.New(buildInfo())
	o.health.Check("store", func() error {
		if !o.storeOpen.Load() {
			return errors.New("not open")
		}
		return nil
	})
	o.health.Check("knowledge", func() error {
		if !o.indexed.Load() {
			return errors.New("answer index not built yet")
		}
		return nil
	})
	o.health.Check("gateway", func() error {
		f := o.gateway.Load()
		if f == nil {
			return errors.New("not connecting yet")
		}
		return (*f)()
	})
	srv, err := metrics.Listen(cfg.MetricsAddr, o.m, o.health, log.With("component", "metrics"))
	if err != nil {
		return nil, err
	}
	o.srv = srv
	log.Info("metrics and health checks", "addr", srv.Addr(), "paths", "/metrics /livez /readyz")
	return o, nil
}

// watchKnowledge records the knowledge now installed and every reseed from here on.
func (o *observer) watchKnowledge(st *store.Store, know *knowledge.Service) {
	if o == nil {
		return
	}
	o.indexed.Store(true)
	if o.m == nil {
		return
	}
	if counts, err := st.Counts(); err == nil {
		gen, _ := st.Generation(context.Background())
		o.m.Knowledge(gen, countsMap(counts))
	}
	know.ObserveReseeds(func(took time.Duration, res store.ReseedResult, err error) {
		if err != nil {
			o.m.Reseed("failed", took)
			return
		}
		o.m.Reseed("installed", took)
		o.m.Knowledge(res.Generation, countsMap(res.Counts))
	})
}

// watchGateway makes ready the gateway check: nil from f while the gateway is READY.
func (o *observer) watchGateway(f func() error) {
	if o != nil {
		o.gateway.Store(&f)
	}
}

// drainOn makes /readyz fail as soon as ctx ends (SIGINT, SIGTERM), before the bot's
// drain has even begun.
func (o *observer) drainOn(ctx context.Context, log *slog.Logger) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		o.health.Drain()
		if o.srv != nil {
			log.Info("shutting down: /readyz now fails while replies in flight finish")
		}
	})
}

// close stops the listener.
func (o *observer) close() {
	if o.srv != nil {
		_ = o.srv.Close()
	}
}

func countsMap(c seed.Counts) map[string]int {
	return map[string]int{
		"articles": c.Articles, "films": c.Films, "people": c.People,
		"facts": c.Facts, "questions": c.Questions,
	}
}

// buildInfo is what `filmbot version` prints, for filmbot_build_info.
func buildInfo() metrics.Build {
	var b metrics.Build
	if info, ok := debug.ReadBuildInfo(); ok {
		b.Version = info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				b.Revision = s.Value
			}
		}
	}
	return b
}
