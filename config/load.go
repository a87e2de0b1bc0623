package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Load reads the TOML file at path over [Default]. Unknown keys, type mismatches and bad
// durations are errors naming the file and line.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	return Parse(path, data)
}

// Parse reads a TOML config document over [Default]; name is used in errors.
func Parse(name string, data []byte) (Config, error) {
	c := Default()
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fileError(name, err)
	}
	return c, nil
}

// fileError rewrites go-toml's errors as "file:line: message" lines, one per problem.
func fileError(name string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		lines := make([]string, len(strict.Errors))
		for i, e := range strict.Errors {
			row, _ := e.Position()
			lines[i] = fmt.Sprintf("%s:%d: unknown key %q", name, row, strings.Join(e.Key(), "."))
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		msg := plainMismatch(strings.TrimPrefix(de.Error(), "toml: "))
		if k := de.Key(); len(k) > 0 {
			msg = strings.Join(k, ".") + ": " + msg
		}
		return fmt.Errorf("%s:%d: %s", name, row, msg)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// plainMismatch turns go-toml's "cannot decode TOML string into struct field
// config.Config.RateLimit of type int" into "a string where int is expected".
func plainMismatch(msg string) string {
	rest, ok := strings.CutPrefix(msg, "cannot decode TOML ")
	if !ok {
		return msg
	}
	got, _, _ := strings.Cut(rest, " ")
	if i := strings.LastIndex(rest, " of type "); i >= 0 {
		return fmt.Sprintf("a %s where %s is expected", got, rest[i+len(" of type "):])
	}
	return msg
}

// ApplyEnv overrides settings from the FILMBOT_* environment variables that are set and
// not empty. getenv is os.Getenv outside tests. FILMBOT_CONFIG names the file itself and
// is read by the caller before Load.
func (c *Config) ApplyEnv(getenv func(string) string) {
	set := func(dst *string, key string) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			*dst = v
		}
	}
	set(&c.Token, "FILMBOT_TOKEN")
	set(&c.DB, "FILMBOT_DB")
	set(&c.HomeGuild, "FILMBOT_HOME_GUILD")
	set(&c.Guild, "FILMBOT_GUILD")
	set(&c.DiscordURL, "FILMBOT_DISCORD_URL")
	if v := strings.TrimSpace(getenv("FILMBOT_OWNERS")); v != "" {
		c.Owners = nil
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				c.Owners = append(c.Owners, id)
			}
		}
	}
}

// Validate checks every setting and reports all problems at once, one per line, each
// naming the key and what to do about it.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}

	if strings.HasPrefix(c.Token, "Bot ") {
		bad("token", `leave out the "Bot " prefix; filmbot adds it`)
	} else if strings.ContainsAny(c.Token, " \t\r\n") {
		bad("token", "contains white space; copy the token again from the Developer Portal")
	}
	if strings.TrimSpace(c.DB) == "" {
		bad("db", "is empty; give the path of the store file")
	}
	for _, id := range c.Owners {
		if !Snowflake(id) {
			bad("owners", "%q is not a Discord user ID (a number like 80351110224678912; turn on Developer Mode and use Copy User ID)", id)
		}
	}
	if c.HomeGuild != "" && !Snowflake(c.HomeGuild) {
		bad("home-guild", "%q is not a Discord server ID (a number; use Copy Server ID)", c.HomeGuild)
	}
	if c.Guild != "" && !Snowflake(c.Guild) {
		bad("guild", "%q is not a Discord server ID (a number; use Copy Server ID)", c.Guild)
	}
	if len(c.Owners) > 0 && c.HomeGuild == "" {
		bad("home-guild", "owners are set but home-guild is not; /reseed is registered and runs only in the home guild")
	}
	if err := checkDiscordURL(c.DiscordURL); err != nil {
		bad("discord-url", "%v", err)
	}
	if _, err := c.Level(); err != nil {
		bad("log-level", "%q is not one of debug, info, warn, error", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "%q is not one of text, json", c.LogFormat)
	}
	if c.RateLimit < 0 {
		bad("rate-limit", "is %d; use 0 to turn rate limiting off, or a positive count", c.RateLimit)
	}
	for _, d := range []struct {
		key string
		v   Duration
	}{
		{"rate-window", c.RateWindow},
		{"open-timeout", c.OpenTimeout},
		{"stall-timeout", c.StallTimeout},
		{"rest-timeout", c.RESTTimeout},
		{"shutdown-grace", c.ShutdownGrace},
		{"fetch-timeout", c.FetchTimeout},
	} {
		if d.v.Duration <= 0 {
			bad(d.key, "must be a positive duration such as \"30s\" (got %q)", d.v.String())
		}
	}
	if c.MaxSeedBytes <= 0 {
		bad("max-seed-bytes", "must be positive (got %d)", c.MaxSeedBytes)
	} else if c.MaxSeedBytes > 25<<20 {
		bad("max-seed-bytes", "is %d; Discord attachments top out at 25 MiB (26214400)", c.MaxSeedBytes)
	}
	return errors.Join(errs...)
}

// Warnings returns settings that are allowed but probably not what the operator meant.
func (c Config) Warnings() []string {
	var w []string
	if c.HomeGuild != "" && len(c.Owners) == 0 {
		w = append(w, "home-guild is set but owners is empty: /reseed will refuse everyone")
	}
	return w
}

// Level returns LogLevel as a slog level.
func (c Config) Level() (slog.Level, error) {
	var l slog.Level
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
		err := l.UnmarshalText([]byte(c.LogLevel))
		return l, err
	}
	return l, fmt.Errorf("unknown log level %q", c.LogLevel)
}

// Snowflake reports whether s looks like a Discord ID: a positive decimal uint64.
func Snowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0
}

func checkDiscordURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q must start with https:// (or http:// for a local proxy)", s)
	case u.Host == "":
		return fmt.Errorf("%q has no host", s)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "", u.User != nil:
		return fmt.Errorf("%q must be only a scheme and host, like https://discord.com", s)
	}
	return nil
}
