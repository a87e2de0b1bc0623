package config

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseShards(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		count int
		want  []int
	}{
		{"", 4, []int{0, 1, 2, 3}},
		{"", 0, []int{}},
		{"0-7", 16, []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"0-7", 0, []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{" 5, 0,2-3 ,3", 8, []int{0, 2, 3, 5}},
		{"1", 2, []int{1}},
	} {
		got, err := ParseShards(tc.spec, tc.count)
		if err != nil {
			t.Errorf("ParseShards(%q, %d): %v", tc.spec, tc.count, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("ParseShards(%q, %d) (-want +got):\n%s", tc.spec, tc.count, d)
		}
	}
	for _, tc := range []struct {
		spec  string
		count int
	}{
		{"a", 0}, {"1-", 0}, {"-1", 0}, {"3-1", 0}, {"0-8", 8}, {"8", 8}, {"1,,2", 0}, {"0-99999999", 0},
	} {
		if got, err := ParseShards(tc.spec, tc.count); err == nil {
			t.Errorf("ParseShards(%q, %d) = %v, want an error", tc.spec, tc.count, got)
		}
	}
}

func TestApplyEnv_shards(t *testing.T) {
	env := map[string]string{
		"FILMBOT_SHARD_COUNT":  "16",
		"FILMBOT_SHARDS":       "0-7",
		"FILMBOT_DATABASE_URL": "postgres://filmbot:pw@db/filmbot",
	}
	c := Default()
	c.ApplyEnv(func(k string) string { return env[k] })
	want := Default()
	want.ShardCount, want.Shards, want.DatabaseURL = 16, "0-7", "postgres://filmbot:pw@db/filmbot"
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("ApplyEnv (-want +got):\n%s", d)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	c = Default()
	c.ApplyEnv(func(k string) string { return map[string]string{"FILMBOT_SHARD_COUNT": "many"}[k] })
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "shard-count") {
		t.Errorf("Validate with FILMBOT_SHARD_COUNT=many: %v, want a shard-count problem", err)
	}
}

func TestValidate_shardsAndDatabase(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"shard past count", func(c *Config) { c.ShardCount, c.Shards = 2, "0-2" }, "shards:"},
		{"negative count", func(c *Config) { c.ShardCount = -3 }, "shard-count:"},
		{"bad range", func(c *Config) { c.Shards = "x" }, "shards:"},
		{"shards without a count", func(c *Config) { c.Shards = "0-3" }, "shards:"},
		{"not a database URL", func(c *Config) { c.DatabaseURL = "mysql://u:secret@h/db" }, "database-url:"},
	} {
		c := Default()
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s: Validate = %v, want a %s problem", tc.name, err, tc.key)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error repeats the password: %v", tc.name, err)
		}
	}
	c := Default()
	c.DatabaseURL = "host=/run/postgresql dbname=filmbot"
	if err := c.Validate(); err != nil {
		t.Errorf("key=value database-url refused: %v", err)
	}
}

func TestOwnsGuild(t *testing.T) {
	c := Default()
	// 4194304 is 1 << 22: guild IDs below it are on shard 0, and so on.
	guildOn := func(shard uint64) string { return strconv.FormatUint((shard+4*1000)<<22, 10) }
	if !c.OwnsGuild(guildOn(1)) {
		t.Errorf("a process with no shards set does not own every guild")
	}
	c.ShardCount, c.Shards = 4, "1,3"
	for shard, want := range map[uint64]bool{0: false, 1: true, 2: false, 3: true} {
		if got := c.OwnsGuild(guildOn(shard)); got != want {
			t.Errorf("shards %q of 4: OwnsGuild(guild on shard %d) = %v, want %v", c.Shards, shard, got, want)
		}
	}
}
