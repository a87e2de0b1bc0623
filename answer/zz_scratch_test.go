package answer

import (
	"os"
	"strings"
	"testing"
)

func TestZZScratch(t *testing.T) {
	qs := os.Getenv("QS")
	if qs == "" {
		return
	}
	ix := mustIndex(t)
	for _, q := range strings.Split(qs, ";") {
		a := ix.Ask(q, "")
		p := ix.parse(q)
		t.Logf("%q qt=%d terms=%v chars=%v persons=%v\n\t-> %v %s", q, p.qt, p.terms, p.chars, p.persons, a.Found, a.Text)
	}
}
