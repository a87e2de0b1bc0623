package config

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The example file documents every key with its default; if it drifts from Default, or
// leaves a key out, this fails.
func TestExampleMatchesDefault(t *testing.T) {
	data, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("config.example.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Default(), got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("config.example.toml differs from Default() (-want +got):\n%s", diff)
	}
	typ := reflect.TypeFor[Config]()
	for i := 0; i < typ.NumField(); i++ {
		key := typ.Field(i).Tag.Get("toml")
		if !strings.Contains(string(data), "\n"+key+" = ") {
			t.Errorf("config.example.toml does not document %q", key)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		want    func(*Config)
		wantErr string // a substring of the error; "" for none
	}{
		{name: "empty is default", doc: "", want: func(*Config) {}},
		{
			name: "values",
			doc:  "db = \"/var/lib/filmbot.db\"\nowners = [\"80351110224678912\"]\nrate-window = \"1m\"\nmax-seed-bytes = 2048\n",
			want: func(c *Config) {
				c.DB = "/var/lib/filmbot.db"
				c.Owners = []string{"80351110224678912"}
				c.RateWindow = Duration{time.Minute}
				c.MaxSeedBytes = 2048
			},
		},
		{name: "unknown key names its line", doc: "db = \"x\"\n\ntokn = \"abc\"\n", wantErr: `f.toml:3: unknown key "tokn"`},
		{name: "unknown table key", doc: "[discord]\nurl = \"x\"\n", wantErr: "f.toml:"},
		{name: "bad duration", doc: "log-level = \"info\"\nrate-window = \"ten seconds\"\n", wantErr: "f.toml:2:"},
		{name: "duration as a number", doc: "log-level = \"info\"\n\nrate-window = 10\n", wantErr: "f.toml:3: rate-window:"},
		{name: "duplicate key", doc: "db = \"a\"\ndb = \"b\"\n", wantErr: "f.toml:2:"},
		{name: "wrong type", doc: "rate-limit = \"five\"\n", wantErr: "f.toml:1:"},
		{name: "syntax error", doc: "db = \n", wantErr: "f.toml:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("f.toml", []byte(tt.doc))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := Default()
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

// Every problem in a file is reported at once, each with its line, so fixing one does
// not reveal the next.
func TestParse_AllProblems(t *testing.T) {
	doc := "db = \"x.db\"\n" +
		"rate-window = \"ten seconds\"\n" +
		"log_level = \"debug\"\n" +
		"open-timeout = 10\n" +
		"colour = \"red\"\n" +
		"rate-limit = \"five\"\n" +
		"owners = [\"1\", 2]\n" +
		"[discord]\n" +
		"url = \"x\"\n"
	_, err := Parse("f.toml", []byte(doc))
	if err == nil {
		t.Fatal("Parse accepted a file with seven problems")
	}
	var got []string
	for _, l := range strings.Split(err.Error(), "\n") {
		key, _, _ := strings.Cut(l, ": ")
		got = append(got, key)
	}
	want := []string{"f.toml:2", "f.toml:3", "f.toml:4", "f.toml:5", "f.toml:6", "f.toml:7", "f.toml:8"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problem lines (-want +got):\n%s\nerror:\n%v", diff, err)
	}
	for _, name := range []string{"rate-window", "log_level", "open-timeout", "colour", "rate-limit", "owners", "discord"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("no problem names %s:\n%v", name, err)
		}
	}
}

func TestApplyEnv(t *testing.T) {
	env := map[string]string{
		"FILMBOT_TOKEN":        "tok",
		"FILMBOT_DB":           "/tmp/x.db",
		"FILMBOT_HOME_GUILD":   "111",
		"FILMBOT_OWNERS":       " 222, 333 ,,",
		"FILMBOT_GUILD":        "444",
		"FILMBOT_DISCORD_URL":  "http://127.0.0.1:9",
		"FILMBOT_METRICS_ADDR": "127.0.0.1:9464",
	}
	c := Default()
	c.Owners = []string{"999"}
	c.ApplyEnv(func(k string) string { return env[k] })
	want := Default()
	want.Token, want.DB, want.HomeGuild, want.Guild = "tok", "/tmp/x.db", "111", "444"
	want.Owners = []string{"222", "333"}
	want.DiscordURL = "http://127.0.0.1:9"
	want.MetricsAddr = "127.0.0.1:9464"
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("ApplyEnv (-want +got):\n%s", diff)
	}

	// Unset variables leave the file's values alone.
	c = Default()
	c.DB = "from-file.db"
	c.ApplyEnv(func(string) string { return "" })
	if c.DB != "from-file.db" {
		t.Errorf("DB = %q after empty environment, want from-file.db", c.DB)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		keys []string // keys the error must name; none means valid
	}{
		{name: "default", edit: func(*Config) {}},
		{name: "owners with home guild", edit: func(c *Config) {
			c.Owners = []string{"80351110224678912"}
			c.HomeGuild = "41771983423143937"
		}},
		{name: "owner not a snowflake", edit: func(c *Config) {
			c.Owners = []string{"@alice"}
			c.HomeGuild = "41771983423143937"
		}, keys: []string{"owners"}},
		{name: "owners without home guild", edit: func(c *Config) { c.Owners = []string{"80351110224678912"} }, keys: []string{"home-guild"}},
		{name: "guild not a snowflake", edit: func(c *Config) { c.Guild = "my server" }, keys: []string{"guild"}},
		{name: "discord url with path", edit: func(c *Config) { c.DiscordURL = "https://discord.com/api/v9" }, keys: []string{"discord-url"}},
		{name: "discord url without scheme", edit: func(c *Config) { c.DiscordURL = "discord.com" }, keys: []string{"discord-url"}},
		{name: "discord url ftp", edit: func(c *Config) { c.DiscordURL = "ftp://discord.com" }, keys: []string{"discord-url"}},
		{name: "http proxy allowed", edit: func(c *Config) { c.DiscordURL = "http://127.0.0.1:8080" }},
		{name: "discord url with password", edit: func(c *Config) { c.DiscordURL = "https://user:s3cret@proxy.example" }, keys: []string{"discord-url"}},
		{name: "discord url with user", edit: func(c *Config) { c.DiscordURL = "https://s3cret@proxy.example/api" }, keys: []string{"discord-url"}},
		{name: "discord url with password, no scheme", edit: func(c *Config) { c.DiscordURL = "user:s3cret@proxy example" }, keys: []string{"discord-url"}},
		{name: "token with Bot prefix", edit: func(c *Config) { c.Token = "Bot abc.def" }, keys: []string{"token"}},
		{name: "negative rate limit", edit: func(c *Config) { c.RateLimit = -1 }, keys: []string{"rate-limit"}},
		{name: "zero durations", edit: func(c *Config) {
			c.RESTTimeout = Duration{}
			c.ShutdownGrace = Duration{-time.Second}
		}, keys: []string{"rest-timeout", "shutdown-grace"}},
		{name: "bad log settings", edit: func(c *Config) { c.LogLevel, c.LogFormat = "loud", "xml" }, keys: []string{"log-level", "log-format"}},
		{name: "seed size", edit: func(c *Config) { c.MaxSeedBytes = 0 }, keys: []string{"max-seed-bytes"}},
		{name: "empty db", edit: func(c *Config) { c.DB = " " }, keys: []string{"db"}},
		{name: "metrics addr", edit: func(c *Config) { c.MetricsAddr = "127.0.0.1:9464" }},
		{name: "metrics addr any port", edit: func(c *Config) { c.MetricsAddr = ":0" }},
		{name: "metrics addr ipv6", edit: func(c *Config) { c.MetricsAddr = "[::1]:9464" }},
		{name: "metrics addr bare port", edit: func(c *Config) { c.MetricsAddr = "9464" }, keys: []string{"metrics-addr"}},
		{name: "metrics addr url", edit: func(c *Config) { c.MetricsAddr = "http://127.0.0.1:9464" }, keys: []string{"metrics-addr"}},
		{name: "metrics addr port range", edit: func(c *Config) { c.MetricsAddr = "127.0.0.1:70000" }, keys: []string{"metrics-addr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c)
			err := c.Validate()
			if len(tt.keys) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors for %v", tt.keys)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.keys) {
				t.Errorf("Validate() gave %d problems, want %d:\n%v", len(lines), len(tt.keys), err)
			}
			for _, k := range tt.keys {
				if !strings.Contains(err.Error(), k+": ") {
					t.Errorf("Validate() = %v, want a line for %s", err, k)
				}
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Validate() repeats a password: %v", err)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	c := Default()
	c.HomeGuild = "41771983423143937"
	if len(c.Warnings()) != 1 {
		t.Errorf("Warnings() = %q, want one about owners", c.Warnings())
	}
	c.Owners = []string{"80351110224678912"}
	if len(c.Warnings()) != 0 {
		t.Errorf("Warnings() = %q, want none", c.Warnings())
	}
}
