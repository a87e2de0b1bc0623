package knowledge

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"filmbot/fold"
	"filmbot/seed"
)

func choicesCatalog() *seed.Catalog {
	return &seed.Catalog{
		Films: []seed.Film{{ID: "f1", Title: "Comrade Kim Goes Flying"}, {ID: "f2", Title: "The Silent Harbour"}},
		People: []seed.Person{
			{ID: "p1", Name: "Han Jong Sim"}, {ID: "p2", Name: "Pak Chung Guk"},
			{ID: "p3", Name: "Nicholas Bonner"}, {ID: "p4", Name: "Anja Daelemans"},
		},
		Questions: []seed.Question{
			{ID: "lead", Film: "f1", Answer: "Han Jong Sim"},
			{ID: "city", Film: "f1", Answer: "Pyongyang", Distractors: []string{"Seoul", "Beijing", "Brussels", "Tokyo", "Kyoto"}},
			{ID: "year", Film: "f1", Answer: "2012"},
			{ID: "echo", Film: "f2", Answer: "Vimeo On Demand", Accept: []string{"Vimeo"},
				Distractors: []string{"vimeo", "VIMEO ON DEMAND", "Netflix", "Mubi", "Kanopy"}},
			{ID: "genre", Film: "f2", Answer: "Romantic comedy", Distractors: []string{"Horror"}},
			{ID: "genre2", Film: "f2", Answer: "Documentary", Distractors: []string{"Western"}},
			{ID: "month", Film: "f2", Answer: "1 June", Distractors: []string{}},
			{ID: "month2", Film: "f2", Answer: "12 May"},
		},
	}
}

func TestBank_Choices(t *testing.T) {
	cat := choicesCatalog()
	b := NewBank(cat)
	r := rand.New(rand.NewPCG(7, 7))
	tests := []struct {
		id string
		// allowed are every label that may appear; nil allows any of the answer's kind.
		allowed []string
		kind    kind
		n       int
	}{
		{"lead", []string{"Han Jong Sim", "Pak Chung Guk", "Nicholas Bonner", "Anja Daelemans"}, kindPerson, 4},
		{"city", []string{"Pyongyang", "Seoul", "Beijing", "Brussels", "Tokyo", "Kyoto"}, kindText, 4},
		{"year", nil, kindYear, 4},
		// Distractors that fold to the answer or an accepted answer are left out.
		{"echo", []string{"Vimeo On Demand", "Netflix", "Mubi", "Kanopy"}, kindText, 4},
		{"month", []string{"1 June", "12 May"}, kindDate, 2},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			q := cat.Questions[b.byID[tt.id]]
			if got := b.kindOf(q.Answer); got != tt.kind {
				t.Errorf("kind of %q = %v, want %v", q.Answer, got, tt.kind)
			}
			for range 20 {
				labels, right := b.Choices(q, r)
				if len(labels) != tt.n {
					t.Fatalf("%d choices %q, want %d", len(labels), labels, tt.n)
				}
				if labels[right] != q.Answer {
					t.Fatalf("right choice %d is %q, want %q", right, labels[right], q.Answer)
				}
				seen := map[string]bool{}
				for _, l := range labels {
					if seen[fold.String(l)] {
						t.Fatalf("choices repeat %q: %q", l, labels)
					}
					seen[fold.String(l)] = true
					if tt.allowed != nil && !slices.Contains(tt.allowed, l) {
						t.Fatalf("choice %q is not one of %q", l, tt.allowed)
					}
					if tt.kind == kindYear {
						if y, err := strconv.Atoi(l); err != nil || y < 2000 || y > 2030 {
							t.Fatalf("year question offers %q", l)
						}
					}
				}
			}
		})
	}
}

func TestBank_ChoicesShuffle(t *testing.T) {
	cat := choicesCatalog()
	b := NewBank(cat)
	r := rand.New(rand.NewPCG(3, 4))
	positions := map[int]bool{}
	for range 50 {
		_, right := b.Choices(cat.Questions[b.byID["city"]], r)
		positions[right] = true
	}
	if len(positions) != ChoiceCount {
		t.Errorf("the answer appeared only at positions %v in 50 shuffles", positions)
	}
}

func TestBank_Pick(t *testing.T) {
	b := NewBank(choicesCatalog())
	r := rand.New(rand.NewPCG(1, 1))
	ids := func(qs []seed.Question) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.ID)
		}
		slices.Sort(out)
		return out
	}
	if got := ids(b.Pick("f1", 10, nil, r)); !slices.Equal(got, []string{"city", "lead", "year"}) {
		t.Errorf("questions about f1 = %v", got)
	}
	if got := b.Pick("", 3, nil, r); len(got) != 3 {
		t.Errorf("pick 3 of all = %d questions", len(got))
	}
	// lead asked long ago, city recently, year never: year first, then lead, then city.
	recent := map[string]uint64{"lead": 1, "city": 5}
	for range 10 {
		got := b.Pick("f1", 2, recent, r)
		if got[0].ID != "year" || got[1].ID != "lead" {
			t.Fatalf("pick with history = %v, want year then lead", ids(got))
		}
	}
	if got := b.Pick("nope", 5, nil, r); len(got) != 0 {
		t.Errorf("questions about an unknown film: %v", ids(got))
	}
}
