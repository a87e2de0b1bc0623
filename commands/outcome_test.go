package commands

import (
	"context"
	"errors"
	"testing"
)

// TestHandle_Outcome: every response says how the request went, for the metrics.
func TestHandle_Outcome(t *testing.T) {
	f := newFixture(t, nil, func(d *Deps) {})
	f.set.Register("boom", nil, false, HandlerFunc(func(context.Context, *Request) (Response, error) {
		return Response{}, errors.New("disk on fire")
	}))
	f.set.Register("panics", nil, false, HandlerFunc(func(context.Context, *Request) (Response, error) {
		panic("oops")
	}))
	tests := []struct {
		name string
		req  *Request
		want Outcome
	}{
		{"answered", command("ask", map[string]string{"question": "Who plays Yong Mi?"}), OutcomeAnswered},
		{"refused", command("ask", map[string]string{"question": "What did the director have for breakfast?"}), OutcomeRefused},
		{"help", command("help", nil), OutcomeAnswered},
		{"unknown film", command("film", map[string]string{"title": "No Such Film At All"}), OutcomeUserError},
		{"unknown command", command("nope", nil), OutcomeUserError},
		{"empty question", command("ask", map[string]string{"question": " "}), OutcomeUserError},
		{"nil request", nil, OutcomeUserError},
		{"handler error", command("boom", nil), OutcomeInternal},
		{"handler panic", command("panics", nil), OutcomeInternal},
		{"autocomplete", autocomplete("film", "title", "comr"), OutcomeAnswered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.handle(tt.req).Outcome; got != tt.want {
				t.Errorf("Outcome = %q, want %q", got, tt.want)
			}
		})
	}
}
