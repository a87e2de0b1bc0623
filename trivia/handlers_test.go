package trivia

import "testing"

// TestRegister_GuildOnly: games and scores belong to a server, so /trivia and /leaderboard
// are registered with dm_permission false and Discord never offers them in a DM.
func TestRegister_GuildOnly(t *testing.T) {
	h := newHarness(t)
	global, _ := h.set.Definitions()
	seen := 0
	for _, c := range global {
		if c.Name != "trivia" && c.Name != "leaderboard" {
			continue
		}
		seen++
		if c.DMPermission == nil || *c.DMPermission {
			t.Errorf("/%s dm_permission = %v, want false", c.Name, c.DMPermission)
		}
	}
	if seen != 2 {
		t.Errorf("found %d of /trivia and /leaderboard among the definitions, want 2", seen)
	}
}
