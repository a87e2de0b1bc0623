// Package metrics is filmbot's window for the operator: Prometheus metrics and the
// /livez and /readyz health checks, served together on one listener (metrics-addr).
//
// # Basics
//
// [New] builds a [*Metrics] on its own registry (never the global one, so two bots in one
// test process do not share counters). The other packages record through small methods
// such as [Metrics.Interaction] and [Metrics.Ask]; they define the interface they need
// where they use it, so none of them imports Prometheus. A nil *Metrics records nothing:
// every method is safe on nil, which is what an offline command or a test without a
// listener passes.
//
// [Listen] serves /metrics, /livez and /readyz. /readyz runs every check registered with
// [Health.Check] and answers 503 with one line per failing check, or 503 "draining" from
// the moment [Health.Drain] is called (the SIGINT/SIGTERM drain), whatever the checks say.
//
// # Caveats
//
// Interactions and REST requests are counted before they are sent, so a scrape taken
// after Discord has the reply already counts it (tests rely on this); REST responses,
// with their status codes, are counted when they arrive. The command label is always a
// registered command's name ("unknown" otherwise), which the bot checks, not this package.
//
// Labels are bounded on purpose: command names, interaction kinds, outcomes, shard
// numbers and REST route templates ([RouteTemplate] turns every ID and token in a path
// into a placeholder). A guild, channel or user ID is never a label: each would be a new
// time series per server and the scrape would grow without bound.
package metrics
