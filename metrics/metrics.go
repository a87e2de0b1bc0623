package metrics

import (
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of an interaction, the values of the outcome label.
const (
	Answered      = "answered"       // the handler replied with what was asked for
	Refused       = "refused"        // /ask said plainly that the data does not say
	UserError     = "user_error"     // the person was told what to fix
	InternalError = "internal_error" // something went wrong (ref …)
	RateLimited   = "rate_limited"   // the per-user limit turned it away
)

// Deadline is Discord's limit for the first response to an interaction; a reply later
// than this is lost and counted in filmbot_interaction_deadline_misses_total.
const Deadline = 3 * time.Second

// latencyBuckets cluster around Discord's 3 s deadline, so the histogram tells a healthy
// bot (milliseconds) from one closing in on the limit (2–3 s) and one past it.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3, 4, 5, 10}

// reseedBuckets span a seed file of one film (milliseconds) to a 100k-film catalog
// (seconds).
var reseedBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Build describes the running binary for filmbot_build_info.
type Build struct {
	Version  string
	Revision string
}

// Metrics holds every filmbot metric on its own registry. The zero value is not usable;
// a nil *Metrics is, and records nothing.
type Metrics struct {
	reg *prometheus.Registry

	interactions   *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	deadlineMisses prometheus.Counter
	asks           *prometheus.CounterVec
	gatewayUp      *prometheus.GaugeVec
	heartbeat      *prometheus.GaugeVec
	reconnects     *prometheus.CounterVec
	restRequests   *prometheus.CounterVec
	restResponses  *prometheus.CounterVec
	restLimited    *prometheus.CounterVec
	triviaGames    *prometheus.CounterVec
	triviaActive   prometheus.Gauge
	triviaAnswers  *prometheus.CounterVec
	generation     prometheus.Gauge
	knowledge      *prometheus.GaugeVec
	reseeds        *prometheus.CounterVec
	reseedDuration prometheus.Histogram
}

// New returns the metrics on a fresh registry, with the Go runtime and process collectors
// and filmbot_build_info set from b.
func New(b Build) *Metrics {
	reg := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	m := &Metrics{reg: reg}

	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "filmbot_build_info",
		Help: "Always 1; the labels say which filmbot is running.",
	}, []string{"version", "revision", "goversion"})
	build.WithLabelValues(orUnknown(b.Version), orUnknown(b.Revision), runtime.Version()).Set(1)
	f(build)

	m.interactions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_interactions_total",
		Help: "Interactions handled, by command, kind (command, autocomplete, component, modal) and outcome.",
	}, []string{"command", "kind", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "filmbot_interaction_duration_seconds",
		Help:    "Time from receiving an interaction to its first response being ready to send; Discord drops replies after 3 s.",
		Buckets: latencyBuckets,
	}, []string{"command", "kind"})
	m.deadlineMisses = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "filmbot_interaction_deadline_misses_total",
		Help: "Interactions whose first response was ready later than Discord's 3 s deadline (the latency histogram says which command).",
	})
	m.asks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_ask_total",
		Help: "/ask questions by result: answered from the data, or refused because the data does not say.",
	}, []string{"result"})
	m.gatewayUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "filmbot_gateway_ready",
		Help: "1 while the shard's gateway session is READY (or resumed), 0 while it is down or reconnecting.",
	}, []string{"shard"})
	m.heartbeat = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "filmbot_gateway_heartbeat_latency_seconds",
		Help: "Time between the last heartbeat sent and its ACK, per shard.",
	}, []string{"shard"})
	m.reconnects = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_gateway_reconnects_total",
		Help: "Gateway reconnects (resumes and fresh identifies after a drop), per shard.",
	}, []string{"shard"})
	m.restRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_discord_requests_total",
		Help: "REST requests sent to Discord by method and route template (IDs and tokens replaced), counted as they are sent.",
	}, []string{"method", "route"})
	m.restResponses = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_discord_responses_total",
		Help: "REST responses from Discord by method, route template and status code (\"error\" when no response came).",
	}, []string{"method", "route", "code"})
	m.restLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_discord_rate_limited_total",
		Help: "REST responses with status 429 by method and route template.",
	}, []string{"method", "route"})
	m.triviaGames = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_trivia_games_total",
		Help: "Trivia games by event: started, or ended with its reason (finished, stopped, idle, restart, …).",
	}, []string{"event"})
	m.triviaActive = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmbot_trivia_games_active",
		Help: "Trivia games running now.",
	})
	m.triviaAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_trivia_answers_total",
		Help: "Acknowledged trivia answers by result (correct, wrong).",
	}, []string{"result"})
	m.generation = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "filmbot_knowledge_generation",
		Help: "Store generation of the knowledge the bot answers from; it rises by one per reseed.",
	})
	m.knowledge = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "filmbot_knowledge_items",
		Help: "Items in the installed knowledge by kind (films, people, facts, questions, articles).",
	}, []string{"kind"})
	m.reseeds = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "filmbot_reseeds_total",
		Help: "Reseeds by outcome: installed, or failed (nothing installed).",
	}, []string{"outcome"})
	m.reseedDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "filmbot_reseed_duration_seconds",
		Help:    "Time from starting a reseed to the new index answering, for installed reseeds.",
		Buckets: reseedBuckets,
	})
	for _, c := range []prometheus.Collector{
		m.interactions, m.latency, m.deadlineMisses, m.asks, m.gatewayUp, m.heartbeat,
		m.reconnects, m.restRequests, m.restResponses, m.restLimited, m.triviaGames, m.triviaActive,
		m.triviaAnswers, m.generation, m.knowledge, m.reseeds, m.reseedDuration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		f(c)
	}
	// Series that should read 0 rather than be absent before the first event, so a rate()
	// over them works from the first scrape.
	m.asks.WithLabelValues(Answered)
	m.asks.WithLabelValues(Refused)
	return m
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// Handler serves the registry in the Prometheus text format (or OpenMetrics when the
// scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
}

// Registry returns the registry, for tests that gather it directly.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Interaction records one handled interaction: command is the slash command (or the
// owner of a button or modal), kind one of command, autocomplete, component or modal,
// outcome one of the Outcome constants, and took the time from the interaction's arrival
// to its first response being ready to send (the handler's latency).
func (m *Metrics) Interaction(command, kind, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.interactions.WithLabelValues(command, kind, outcome).Inc()
	m.latency.WithLabelValues(command, kind).Observe(took.Seconds())
	if took > Deadline {
		m.deadlineMisses.Inc()
	}
}

// Ask records one /ask result: answered true when the data answered it, false when the
// bot said it does not know.
func (m *Metrics) Ask(answered bool) {
	if m == nil {
		return
	}
	if answered {
		m.asks.WithLabelValues(Answered).Inc()
	} else {
		m.asks.WithLabelValues(Refused).Inc()
	}
}

// GatewayReady records whether shard's gateway session is READY.
func (m *Metrics) GatewayReady(shard int, ready bool) {
	if m == nil {
		return
	}
	v := 0.0
	if ready {
		v = 1
	}
	m.gatewayUp.WithLabelValues(strconv.Itoa(shard)).Set(v)
}

// Heartbeat records shard's latest heartbeat round trip.
func (m *Metrics) Heartbeat(shard int, latency time.Duration) {
	if m == nil {
		return
	}
	m.heartbeat.WithLabelValues(strconv.Itoa(shard)).Set(latency.Seconds())
}

// Reconnect records one gateway reconnect of shard.
func (m *Metrics) Reconnect(shard int) {
	if m == nil {
		return
	}
	m.reconnects.WithLabelValues(strconv.Itoa(shard)).Inc()
}

// RESTSent records one REST request to Discord as it is sent; path is the request path
// (it is turned into a route template here).
func (m *Metrics) RESTSent(method, path string) {
	if m == nil {
		return
	}
	m.restRequests.WithLabelValues(method, RouteTemplate(path)).Inc()
}

// RESTDone records the answer to a REST request: code is the HTTP status, or 0 when no
// response came.
func (m *Metrics) RESTDone(method, path string, code int) {
	if m == nil {
		return
	}
	route := RouteTemplate(path)
	c := "error"
	if code > 0 {
		c = strconv.Itoa(code)
	}
	m.restResponses.WithLabelValues(method, route, c).Inc()
	if code == http.StatusTooManyRequests {
		m.restLimited.WithLabelValues(method, route).Inc()
	}
}

// REST records a whole REST request: sent, and answered with code (0: no response).
func (m *Metrics) REST(method, path string, code int) {
	m.RESTSent(method, path)
	m.RESTDone(method, path, code)
}

// TriviaStarted records a new trivia game.
func (m *Metrics) TriviaStarted() {
	if m == nil {
		return
	}
	m.triviaGames.WithLabelValues("started").Inc()
	m.triviaActive.Inc()
}

// TriviaEnded records a trivia game's end and why (finished, stopped, idle, restart…).
func (m *Metrics) TriviaEnded(reason string) {
	if m == nil {
		return
	}
	m.triviaGames.WithLabelValues("ended_" + reason).Inc()
	m.triviaActive.Dec()
}

// TriviaAnswer records one acknowledged trivia answer.
func (m *Metrics) TriviaAnswer(correct bool) {
	if m == nil {
		return
	}
	if correct {
		m.triviaAnswers.WithLabelValues("correct").Inc()
	} else {
		m.triviaAnswers.WithLabelValues("wrong").Inc()
	}
}

// Knowledge records the knowledge now answering: its store generation and how many items
// of each kind it holds ("films", "facts", …).
func (m *Metrics) Knowledge(generation uint64, counts map[string]int) {
	if m == nil {
		return
	}
	m.generation.Set(float64(generation))
	for kind, n := range counts {
		m.knowledge.WithLabelValues(kind).Set(float64(n))
	}
}

// Reseed records one reseed: outcome is "installed" or "failed" (nothing changed); took
// counts only for installed ones.
func (m *Metrics) Reseed(outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.reseeds.WithLabelValues(outcome).Inc()
	if outcome == "installed" {
		m.reseedDuration.Observe(took.Seconds())
	}
}
