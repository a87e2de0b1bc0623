package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Load reads the TOML file at path over [Default]. Every unknown key and every value of
// the wrong type is reported, each on its own "file:line: message" line.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	return Parse(path, data)
}

// Parse reads a TOML config document over [Default]; name is used in errors. A syntax
// error stops it at once (nothing after it can be trusted); otherwise every problem is
// reported, one "name:line: message" line each, so the operator fixes them in one go.
func Parse(name string, data []byte) (Config, error) {
	// The document as plain values first: syntax errors and duplicate keys end here.
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return Config{}, fileError(name, err)
	}
	fields := fieldsByKey()
	c := Default()
	cv := reflect.ValueOf(&c).Elem()
	var problems []error
	bad := func(line int, format string, args ...any) {
		problems = append(problems, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...)))
	}
	// Then each top-level expression in order, for its line: go-toml's decoder stops at
	// the first value of the wrong type and loses the others.
	var p unstable.Parser
	p.Reset(data)
	inTable := false
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			key, line := keyOf(&p, n)
			bad(line, "unknown table [%s]; every setting is a top-level key", key)
			inTable = true
		case unstable.KeyValue:
			key, line := keyOf(&p, n)
			if inTable {
				continue // reported with its table
			}
			i, ok := fields[key]
			if !ok {
				if _, near := fields[strings.ReplaceAll(key, "_", "-")]; near {
					bad(line, "unknown key %q; did you mean %q?", key, strings.ReplaceAll(key, "_", "-"))
				} else {
					bad(line, "unknown key %q", key)
				}
				continue
			}
			if msg := setField(cv.Field(i), doc[key]); msg != "" {
				bad(line, "%s: %s", key, msg)
			}
		}
	}
	if err := p.Error(); err != nil { // toml.Unmarshal accepted it, so this is unexpected
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(problems) > 0 {
		return Config{}, errors.Join(problems...)
	}
	return c, nil
}

// fieldsByKey maps each TOML key to its Config field index.
func fieldsByKey() map[string]int {
	typ := reflect.TypeFor[Config]()
	m := make(map[string]int, typ.NumField())
	for i := range typ.NumField() {
		if key := typ.Field(i).Tag.Get("toml"); key != "" {
			m[key] = i
		}
	}
	return m
}

// keyOf returns the dotted key of a key-value or table expression and its line.
func keyOf(p *unstable.Parser, n *unstable.Node) (string, int) {
	var parts []string
	line := 0
	it := n.Key()
	for it.Next() {
		k := it.Node()
		if line == 0 {
			line = p.Shape(k.Raw).Start.Line
		}
		parts = append(parts, string(k.Data))
	}
	return strings.Join(parts, "."), line
}

// setField stores a decoded TOML value in a Config field, or returns what is wrong with
// it.
func setField(f reflect.Value, v any) string {
	if f.Type() == reflect.TypeFor[Duration]() {
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("%s where a duration in quotes is expected, like \"30s\" or \"1m30s\"", tomlKind(v))
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Sprintf("%q is not a duration; write it like \"30s\", \"1m30s\" or \"500ms\"", s)
		}
		f.Set(reflect.ValueOf(Duration{d}))
		return ""
	}
	switch f.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("%s where a string is expected", tomlKind(v))
		}
		f.SetString(s)
		return ""
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			return fmt.Sprintf("%s where a whole number is expected", tomlKind(v))
		}
		if f.OverflowInt(n) {
			return fmt.Sprintf("%d is too large", n)
		}
		f.SetInt(n)
		return ""
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok || f.Type().Elem().Kind() != reflect.String {
			return fmt.Sprintf("%s where a list of strings is expected", tomlKind(v))
		}
		out := make([]string, len(list))
		for i, x := range list {
			s, ok := x.(string)
			if !ok {
				return fmt.Sprintf("item %d is %s; every item must be a string in quotes", i+1, tomlKind(x))
			}
			out[i] = s
		}
		f.Set(reflect.ValueOf(out))
		return ""
	}
	return fmt.Sprintf("filmbot cannot read a %s setting", f.Type())
}

// tomlKind names the TOML type of a decoded value, with its article: "a string".
func tomlKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a number with a fraction"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// fileError rewrites a go-toml syntax error as a "file:line: message" line.
func fileError(name string, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if k := de.Key(); len(k) > 0 {
			msg = strings.Join(k, ".") + ": " + msg
		}
		return fmt.Errorf("%s:%d: %s", name, row, msg)
	}
	return fmt.Errorf("%s: %w", name, err)
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
	set(&c.MetricsAddr, "FILMBOT_METRICS_ADDR")
	set(&c.Shards, "FILMBOT_SHARDS")
	set(&c.DatabaseURL, "FILMBOT_DATABASE_URL")
	if v := strings.TrimSpace(getenv("FILMBOT_SHARD_COUNT")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			n = -1 // Validate reports it
		}
		c.ShardCount = n
	}
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
	if c.MetricsAddr != "" {
		if err := checkListenAddr(c.MetricsAddr); err != nil {
			bad("metrics-addr", "%v", err)
		}
	}
	if c.ShardCount < 0 {
		bad("shard-count", "must be 0 (take Discord's recommended count) or a positive number of shards (FILMBOT_SHARD_COUNT too)")
	}
	if _, err := ParseShards(c.Shards, max(c.ShardCount, 0)); err != nil {
		bad("shards", "%v", err)
	} else if strings.TrimSpace(c.Shards) != "" && c.ShardCount == 0 {
		bad("shards", "is set but shard-count is 0; a process that runs some of the shards must be told how many there are in all, the same in every process")
	}
	if err := checkDatabaseURL(c.DatabaseURL); err != nil {
		bad("database-url", "%v", err)
	}
	return errors.Join(errs...)
}

// checkListenAddr accepts host:port with a numeric port (0 picks a free one), the form
// net.Listen takes; a bare port or a URL is the usual slip.
func checkListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port, such as 127.0.0.1:9464 (empty turns metrics off)", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q: port %q is not a number from 0 to 65535", addr, port)
	}
	if strings.ContainsAny(host, "/ ") {
		return fmt.Errorf("%q: host %q is not a host name or IP address", addr, host)
	}
	return nil
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

// checkDiscordURL says what is wrong with a Discord URL setting, never repeating a user
// name or password written into it: the message reaches the terminal and logs.
func checkDiscordURL(s string) error {
	shown := redactURL(s)
	if shown != s {
		return errors.New("has a user name or password before its host; give only a scheme and host, like https://discord.com")
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", shown)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%q must start with https:// (or http:// for a local proxy)", shown)
	case u.Host == "":
		return fmt.Errorf("%q has no host", shown)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return fmt.Errorf("%q must be only a scheme and host, like https://discord.com", shown)
	}
	return nil
}

// redactURL replaces any user information (what comes before an '@' in the authority)
// with "…", whether or not the rest parses.
func redactURL(s string) string {
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + len("://")
	}
	end := len(s)
	if i := strings.IndexAny(s[start:], "/?#"); i >= 0 {
		end = start + i
	}
	at := strings.LastIndex(s[start:end], "@")
	if at < 0 {
		return s
	}
	return s[:start] + "…" + s[start+at:]
}
