// Package config holds filmbot's operator settings: defaults, the strict TOML file
// (config.example.toml documents every key) and the FILMBOT_* environment overrides.
//
// The order is always the same: [Default], then the file ([Load]), then the environment
// ([Config.ApplyEnv]), then command-line flags, then one [Config.Validate] before anything
// starts.
package config

import (
	"time"
)

// Config is every operator setting. Keys in the TOML file are kebab-case forms of the toml
// tags below.
type Config struct {
	// Token is the bot token (FILMBOT_TOKEN). It must never be logged.
	Token string `toml:"token"`
	// DB is the store path (FILMBOT_DB; -db overrides both).
	DB string `toml:"db"`
	// HomeGuild is the guild where /reseed is registered and may run (FILMBOT_HOME_GUILD).
	HomeGuild string `toml:"home-guild"`
	// Owners are the user IDs allowed to run owner commands (FILMBOT_OWNERS, comma-separated).
	Owners []string `toml:"owners"`
	// Guild, when set, registers every command to this one guild instead of globally, for
	// development (FILMBOT_GUILD).
	Guild string `toml:"guild"`
	// DiscordURL is the scheme and host REST and gateway discovery go to
	// (FILMBOT_DISCORD_URL); default https://discord.com.
	DiscordURL string `toml:"discord-url"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `toml:"log-level"`
	// LogFormat is text or json.
	LogFormat string `toml:"log-format"`

	// RateLimit is how many commands one user may run per RateWindow; 0 disables it.
	RateLimit  int      `toml:"rate-limit"`
	RateWindow Duration `toml:"rate-window"`

	// OpenTimeout bounds connecting to the gateway until READY.
	OpenTimeout Duration `toml:"open-timeout"`
	// StallTimeout: a gateway with no events and no heartbeat ACK for this long is
	// reconnected.
	StallTimeout Duration `toml:"stall-timeout"`
	// RESTTimeout bounds every REST call.
	RESTTimeout Duration `toml:"rest-timeout"`
	// ShutdownGrace bounds how long in-flight replies may take after SIGTERM.
	ShutdownGrace Duration `toml:"shutdown-grace"`
	// MaxSeedBytes caps a /reseed attachment.
	MaxSeedBytes int64 `toml:"max-seed-bytes"`
	// FetchTimeout bounds downloading a /reseed attachment.
	FetchTimeout Duration `toml:"fetch-timeout"`

	// MetricsAddr is where /metrics, /livez and /readyz are served
	// (FILMBOT_METRICS_ADDR), such as 127.0.0.1:9464; empty turns the listener off.
	MetricsAddr string `toml:"metrics-addr"`

	// ShardCount is how many gateway shards the bot runs in all, over every process
	// (FILMBOT_SHARD_COUNT); 0 takes the count Discord recommends.
	ShardCount int `toml:"shard-count"`
	// Shards are the shard IDs this process runs, such as "0-7" or "0,2,4-6"
	// (FILMBOT_SHARDS); empty means all of them.
	Shards string `toml:"shards"`
	// DatabaseURL, when set, keeps per-guild data (scores, settings, games) in this
	// PostgreSQL database instead of the store file, so that several processes share it
	// (FILMBOT_DATABASE_URL). It may hold a password: it is never logged.
	DatabaseURL string `toml:"database-url"`
}

// Duration is a time.Duration written in TOML as a string such as "30s".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string ("1m30s").
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration the way UnmarshalText reads it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Default returns the settings used when the file and environment say nothing.
func Default() Config {
	return Config{
		DB:            "filmbot.db",
		DiscordURL:    "https://discord.com",
		LogLevel:      "info",
		LogFormat:     "text",
		RateLimit:     5,
		RateWindow:    Duration{10 * time.Second},
		OpenTimeout:   Duration{30 * time.Second},
		StallTimeout:  Duration{90 * time.Second},
		RESTTimeout:   Duration{10 * time.Second},
		ShutdownGrace: Duration{10 * time.Second},
		MaxSeedBytes:  1 << 20,
		FetchTimeout:  Duration{20 * time.Second},
	}
}
