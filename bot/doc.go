// Package bot is filmbot's connection to Discord: one discordgo gateway session, the routing
// of each interaction to the command set, the replies, and the REST plumbing around them.
// The handlers themselves live in package commands and never see a session.
//
// # Basics
//
// [New] prepares a [Bot] from a [Config] ([FromConfig] takes it from the operator's
// config.Config) and the command set; [Bot.Run] logs in (GET /users/@me checks the
// token), connects, registers every command with one bulk overwrite (globally, or into
// Config.Guild for development; the owner-only commands into the home guild, hidden with
// default_member_permissions "0" and dm_permission false), and serves until its context
// ends.
// Each start step that fails in a way that may pass (a timeout, connection refused or
// reset, 5xx, 429, no READY in time) is retried with capped, jittered exponential backoff,
// at least the 429's retry_after, for Config.StartAttempts tries, each retry logged at warn.
// What waiting cannot heal ends Run after the first attempt with one line naming the cause
// and what to check (connect.go): a rejected token ([ErrTokenRejected]: a 401 or gateway
// close 4004), a host that does not resolve ([ErrUnresolvable]; names under .invalid fail
// without a query, RFC 6761), a failed TLS handshake ([ErrTLS]), refused intents
// ([ErrIntents]: close 4013 or 4014), or another 4xx. When Run's context ends it stops
// taking interactions ([Bot.Draining] closes), lets those in flight finish within
// Config.ShutdownGrace, and closes the gateway. [Bot.Messenger] sends channel messages for
// code outside interactions (the quiz's timers).
//
// Each interaction is converted by [NewRequest], checked against the per-user rate limit,
// handed to the command set with a deadline inside Discord's 3-second window, and answered.
// Every reply's wording, reference, fit to Discord's limits and allowed_mentions come from
// package commands (commands.Malformed, SlowDown, Failure, Followup, Edit); the bot only
// encodes and sends.
// A response with slow work (Response.Then, as /reseed) is sent first (a deferral), the
// work runs in the 15-minute follow-up window, its progress goes out as follow-ups and its
// result replaces the original response.
//
// # discordgo's sharp edges, and where they are handled
//
// filmbot pins discordgo v0.28.1, the approved release; each edge below was re-read in its
// source and is pinned by the test named with it. v0.28.1 has no Contexts on
// ApplicationCommand, so the DM-capable commands set dm_permission true and the home
// guild's owner commands false (commands.*Def, homeOnly); TestRun_registersCommands checks
// both, and every recorded body is validated against the OpenAPI description.
//
//   - No recover: a panicking event handler kills the process. Each interaction runs in its
//     own goroutine under recover ([Bot] serve, in dispatch.go); a panic is answered
//     "something went wrong (ref …)" and logged once with its stack
//     (TestServe_panicIsAnsweredAndTheBotLivesOn).
//   - ApplicationCommandData and the option accessors panic on the wrong type. [NewRequest]
//     never calls them: it checks the concrete type of the data and each option value's JSON
//     type by hand. Interactions discordgo could not decode at all still get an answer: the
//     bot reads INTERACTION_CREATE from the raw event and salvages id and token.
//   - 429s are retried without limit, sleeping whatever Discord asks (RequestWithLockedBucket
//     sleeps retry_after and calls itself while ShouldRetryOnRateLimit). Every REST call
//     here has a context deadline and discordgo's retry turned off; rest.do retries only
//     while the deadline allows (rest.go). The first response's deadline is the end of the
//     reply window, so a 429 storm cannot hold a handler past 3 seconds
//     (TestServe_429StormEndsWithinTheReplyWindow counts the attempts).
//   - Every InteractionRespond leaves a rate-limit bucket, keyed by a URL holding the
//     interaction token, in the session's limiter for good (Ratelimiter.GetBucket never
//     deletes). Interaction-token routes (callback, follow-ups, edits of the original) are
//     sent with a bucket from a throwaway limiter instead (rest.tokenCall), so memory stays
//     flat over a long run (TestServe_noBucketPerInteraction, and BenchmarkMemory).
//   - Open has no timeout, and a RECONNECT (op 7) during Open deadlocks the session on its
//     own lock (Open holds it while onEvent's op-7 branch calls CloseWithCode, which takes
//     it). openSession bounds it, closing the gateway socket under a stuck read through
//     the connection tracker that wraps the websocket dialer (gateway.go); a deadlocked
//     session cannot be used again, so each connection attempt opens a fresh gateway
//     session, and REST calls go through a separate session that never opens a gateway.
//     When every attempt times out, Run returns [ErrOpenTimeout] (TestRun_openTimeout).
//   - Close writes a close frame and then sleeps a second before closing the socket. The
//     connection tracker sees the frame go out on a plain ws:// connection and closes the
//     socket at once (closeGateway); over TLS it waits for discordgo. Every reconnect after
//     a lost connection pays the same second inside discordgo, which no option shortens.
//   - A stalled gateway (no events, no heartbeat ACKs) is noticed by Run's watchdog, which
//     closes the socket so discordgo resumes; if it is still silent after that, Run returns
//     [ErrStalled].
//   - Debug logging prints the token (the IDENTIFY packet is dumped with %#v at LogDebug),
//     and informational logging prints interaction tokens (the URLs of retried and
//     rate-limited requests at LogInformational).
//     discordgo.Logger, a package-level variable in discordgo and the only global this
//     package touches (set once per process, then pointed at the newest Bot's logger), routes
//     discordgo's lines through slog; every line the bot logs passes [RedactHandler]. The
//     session's level stays at warnings unless the operator asks for debug, and Session.Debug
//     (which logs through the standard library's log, headers included) is never set
//     (TestLogs_noSecretsAtAnyLevel).
//   - discordgo's REST endpoints are package-level variables naming discord.com. The
//     session's HTTP client rewrites discord.com to Config.DiscordURL instead
//     (FILMBOT_DISCORD_URL, for a REST proxy or the fake Discord in tests); gateway
//     discovery goes there too, and the websocket URL comes from its answer. REST errors
//     are rewritten (rest.clean) to name the URL a request really went to, with the bot
//     token and interaction tokens hidden, since discordgo's quote discord.com URLs.
//   - Sessions default to gorilla's package-level DefaultDialer and to all non-privileged
//     intents; the bot gives each session its own dialer and asks only for GUILDS.
//   - Sharding stops at ShardID and ShardCount on a session: no shard manager, no identify
//     pacing, and each session reconnects (and re-identifies, when it cannot resume) on its
//     own. shards.go runs one session per shard, identifies them in buckets of
//     shard_id % max_concurrency 5 s apart, refuses a start that would use up
//     session_start_limit.remaining, and names the fix for close 4011 (TestRun_shards,
//     TestRun_startLimit, TestRun_shardingRequired). Re-identifies after a mass drop are
//     still discordgo's, unpaced.
//
// The package's tests drive the real wiring (store, command set, bot, discordgo session)
// against bot/fakediscord over loopback and validate every REST body the bot sends against
// Discord's OpenAPI description and limits.
package bot
