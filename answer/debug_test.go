package answer

import (
	"os"
	"testing"
)

// TestDebugAsk prints the ranking for $ASK_DEBUG; a development aid that checks nothing.
func TestDebugAsk(t *testing.T) {
	question := os.Getenv("ASK_DEBUG")
	if question == "" {
		t.Skip("set ASK_DEBUG to a question")
	}
	ix := mustIndex(t)
	q := ix.parse(question)
	for _, tm := range q.terms {
		t.Logf("term %s -> %s", tm.word, ix.conceptName(tm.term))
	}
	t.Logf("qt=%d terms=%+v chars=%v persons=%v films=%v rel=%d crew=%v", q.qt, q.terms, q.chars, q.persons, q.films, q.relation, q.crew)
	for id := range ix.items {
		it := &ix.items[id]
		if s := ix.score(&q, it, len(q.films) > 0); s > 0 {
			t.Logf("%6.2f accept=%v %s", s, ix.accept(&q, it), ix.render(it))
		}
	}
	t.Log(ix.Ask(question, "").String())
}

func (ix *Index) conceptName(id int32) string {
	for c, i := range ix.dict {
		if i == id {
			return c
		}
	}
	return "?"
}
