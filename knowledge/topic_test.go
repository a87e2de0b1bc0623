package knowledge

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/seed"
)

// topicCatalog is the embedded seed with westerns of the 1950s and dramas of the 1960s,
// enough of each for questions generated from their fields.
func topicCatalog(t *testing.T) *seed.Catalog {
	cat := embedded(t)
	src := cat.Articles[0].ID
	for i := range 12 {
		for _, p := range []string{"dir", "a", "b"} {
			cat.People = append(cat.People, seed.Person{ID: fmt.Sprintf("%s-%d", p, i), Name: fmt.Sprintf("Person %s%d", p, i), Source: src})
		}
		genre, year := "Western", 1950+i%10
		if i%2 == 1 {
			genre, year = "Drama", 1960+i%10
		}
		cat.Films = append(cat.Films, seed.Film{
			ID: fmt.Sprintf("film-%d", i), Title: fmt.Sprintf("Film %d", i), Year: year, Genres: []string{genre},
			Directors: []string{fmt.Sprintf("dir-%d", i)},
			Cast:      []seed.Credit{{Person: fmt.Sprintf("a-%d", i)}, {Person: fmt.Sprintf("b-%d", i)}},
			Source:    src,
		})
	}
	return cat
}

func TestBank_PickTopic(t *testing.T) {
	cat := topicCatalog(t)
	b := NewBank(cat)
	if diff := cmp.Diff([]string{"Drama", "Western", "romantic comedy"}, b.Genres()); diff != "" {
		t.Errorf("genres (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1950, 1960, 2010}, b.Decades()); diff != "" {
		t.Errorf("decades (-want +got):\n%s", diff)
	}
	years := map[string]int{}
	genres := map[string]string{}
	for _, f := range cat.Films {
		years[f.ID] = f.Year
		if len(f.Genres) > 0 {
			genres[f.ID] = f.Genres[0]
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tt := range []Topic{{Genre: "western"}, {Decade: 1960}, {Genre: "Drama", Decade: 1960}, {Film: "film-3"}} {
		qs := b.PickTopic(tt, 50, nil, r)
		if len(qs) == 0 {
			t.Errorf("%+v: no questions", tt)
		}
		for _, q := range qs {
			if tt.Genre != "" && genres[q.Film] != map[string]string{"western": "Western", "Drama": "Drama"}[tt.Genre] ||
				tt.Decade != 0 && years[q.Film]/10*10 != tt.Decade || tt.Film != "" && q.Film != tt.Film {
				t.Errorf("%+v: picked %s about %s", tt, q.ID, q.Film)
			}
		}
	}
	if qs := b.PickTopic(Topic{Genre: "Western", Decade: 1960}, 50, nil, r); len(qs) != 0 {
		t.Errorf("westerns of the 1960s: %d questions, want none", len(qs))
	}
	// The embedded film keeps its hand-written questions and gets no generated ones.
	kim := b.PickTopic(Topic{Film: "comrade-kim-goes-flying"}, 100, nil, r)
	want := 0
	for _, q := range cat.Questions {
		if q.Film == "comrade-kim-goes-flying" {
			want++
		}
	}
	if len(kim) != want {
		t.Errorf("%d questions about the embedded film, want its %d hand-written ones", len(kim), want)
	}
}
