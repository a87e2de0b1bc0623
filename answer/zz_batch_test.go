package answer

import (
	"os"
	"testing"
)

func TestZZBatch(t *testing.T) {
	data, _ := os.ReadFile(os.Getenv("BATCH"))
	r := runQA(mustIndex(t), parseQA(t, data))
	for _, f := range r.failures {
		t.Log(f)
	}
	t.Logf("answerable %d/%d unanswerable %d/%d", r.answered, r.answerable, r.refused, r.unanswerable)
}
