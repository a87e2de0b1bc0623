package answer

import (
	"strings"
	"testing"
)

func TestZZColl(t *testing.T) {
	seen := map[string]string{}
	for _, line := range strings.Split(synonymGroups, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		for _, w := range f {
			st := stem(w)
			if h, ok := seen[st]; ok && h != f[0] {
				t.Logf("%s (%s): %s vs %s", w, st, h, f[0])
			}
			if _, ok := seen[st]; !ok {
				seen[st] = f[0]
			}
		}
	}
}
