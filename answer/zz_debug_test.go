package answer

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	ix := mustIndex(t)
	for _, qs := range strings.Split(os.Getenv("QS"), "|") {
		q := ix.parse(qs)
		fmt.Printf("%q qt=%d films=%v chars=%v persons=%v\n", qs, q.qt, q.films, q.chars, q.persons)
		for _, tm := range q.terms {
			fmt.Printf("   term %q id=%d soft=%v anchor=%v\n", tm.word, tm.term, tm.soft, tm.anchor)
		}
		a := ix.Ask(qs, "")
		fmt.Printf("   => %v %s\n", a.Found, a.Text)
	}
}
