package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseShards reads a shards setting ("0-7", "0,2,4-6") into sorted, distinct shard IDs.
// An empty spec means every shard of count. With count 0 (not known until Discord
// recommends one) the IDs are only checked for form; otherwise each must be below count.
func ParseShards(spec string, count int) ([]int, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		ids := make([]int, count)
		for i := range ids {
			ids[i] = i
		}
		return ids, nil
	}
	var ids []int
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		var errB error
		if isRange {
			b, errB = strconv.Atoi(strings.TrimSpace(hi))
		}
		switch {
		case errA != nil || errB != nil || a < 0 || b < 0:
			return nil, fmt.Errorf("%q is not a shard ID or range; write shards like \"0-7\" or \"0,2,4-6\"", part)
		case b < a:
			return nil, fmt.Errorf("range %q runs backwards", part)
		case count > 0 && b >= count:
			return nil, fmt.Errorf("shard %d is not below shard-count %d (shard IDs run from 0 to %d)", b, count, count-1)
		case b-a >= 1<<16:
			return nil, fmt.Errorf("range %q is too long", part)
		}
		for id := a; id <= b; id++ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// checkDatabaseURL says what is wrong with a database-url setting without repeating it:
// it may hold a password.
func checkDatabaseURL(s string) error {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		return nil
	}
	if strings.Contains(s, "=") && !strings.Contains(s, "://") {
		return nil // key=value form, as libpq takes it: host=/run/postgresql dbname=filmbot
	}
	return fmt.Errorf("is neither a postgres:// URL nor key=value settings, such as postgres://filmbot@db.example/filmbot or \"host=/run/postgresql dbname=filmbot\"")
}

// OwnsGuild reports whether this process runs the shard of guild: always, unless shards
// names only some of shard-count's shards. Work that belongs to one guild's process, such
// as closing its interrupted games, asks this.
func (c Config) OwnsGuild(guild string) bool {
	if strings.TrimSpace(c.Shards) == "" || c.ShardCount <= 0 {
		return true
	}
	ids, err := ParseShards(c.Shards, c.ShardCount)
	if err != nil {
		return true
	}
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil {
		return false
	}
	_, found := slices.BinarySearch(ids, int((id>>22)%uint64(c.ShardCount)))
	return found
}
