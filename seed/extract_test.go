package seed

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The sentences below are written here, in the ways reviews, news pieces and encyclopedia
// leads state credits; none is copied from a source.
func TestExtractRelations(t *testing.T) {
	type rel = Relation
	tests := []struct {
		title, sentence string
		want            []rel
	}{
		{"The Third Man", "The Third Man is a 1949 film noir directed by Carol Reed and written by Graham Greene.",
			[]rel{{"directors", "Carol Reed", ""}, {"writers", "Graham Greene", ""}}},
		{"The Third Man", "Carol Reed's 1949 film still draws crowds to Vienna's sewers.",
			[]rel{{"directors", "Carol Reed", ""}}},
		{"The Third Man", "It follows Holly Martins (Joseph Cotten), a pulp novelist, through the ruins.",
			[]rel{{"cast", "Joseph Cotten", "Holly Martins"}}},
		{"The Third Man", "Orson Welles plays Harry Lime, who may or may not be dead.",
			[]rel{{"cast", "Orson Welles", "Harry Lime"}}},
		{"The Third Man", "Alida Valli as Anna Schmidt is the film's quiet centre.",
			[]rel{{"cast", "Alida Valli", "Anna Schmidt"}}},
		{"Kettle Cat", "The cat, voiced by Mira Osei, never says a word she does not mean.",
			[]rel{}},
		{"Kettle Cat", "Marlow, voiced by Mira Osei, never says a word she does not mean.",
			[]rel{{"cast", "Mira Osei", "Marlow"}}},
		{"Kettle Cat", "Tomas Brandt voices the kettle, and steals every scene he is in.",
			[]rel{{"cast", "Tomas Brandt", "the kettle"}}},
		{"Kettle Cat", "Kettle Cat (104 mins, PG) opens on Friday.",
			[]rel{{"runtime", "104", ""}}},
		{"Kettle Cat", "At 1h 52m it never drags.",
			[]rel{{"runtime", "112", ""}}},
		{"The Third Man", "The zither score by Anton Karas became a hit record.",
			[]rel{{"composers", "Anton Karas", ""}}},
		{"Long Road", "Long Road is based on the novel by Aiko Mori, which sold a million copies.",
			[]rel{{"based_on", "the novel by Aiko Mori", ""}}},
		{"Long Road", "Adapted from a 1962 play, Night Ferry, written by Ivo Lind, it keeps the play's single set.",
			[]rel{{"based_on", "a 1962 play, Night Ferry, written by Ivo Lind", ""}}},
		{"Long Road", "Composer Hana Vos wrote the theme in a week.",
			[]rel{{"composers", "Hana Vos", ""}}},
		{"Long Road", "Producer Sam Okafor bought the rights in 2019.",
			[]rel{{"producers", "Sam Okafor", ""}}},
		{"Long Road", "It was produced by Northlight Pictures and distributed by Harbor Films.",
			[]rel{{"studios", "Northlight Pictures", ""}, {"distributors", "Harbor Films", ""}}},
		{"Long Road", "The film premiered at the Berlin International Film Festival, where it won a prize.",
			[]rel{{"premiere", "at the Berlin International Film Festival", ""}}},
		{"Long Road", "It was released in cinemas on 3 March 2021.",
			[]rel{{"released", "3 March 2021", ""}}},
		{"Long Road", "Set in 1970s Lisbon, the story follows two brothers.",
			[]rel{{"setting", "1970s Lisbon", ""}}},
		{"Long Road", "Made on a budget of $12 million, it grossed over $90 million worldwide.",
			[]rel{{"budget", "$12 million", ""}, {"box_office", "$90 million", ""}}},
		{"Long Road", "Rating: 3.5/5",
			[]rel{{"rating", "3.5/5", ""}}},
		{"Long Road", "It is a remake of Short Road, the 1988 original.",
			[]rel{{"remake_of", "Short Road", ""}}},
		{"Long Road 2", "Long Road 2 is the sequel to Long Road and picks up a year later.",
			[]rel{{"sequel_to", "Long Road", ""}}},
		{"Long Road", "Cast: Ana Silva, Rui Costa and Joana Reis",
			[]rel{{"cast", "Ana Silva", ""}, {"cast", "Rui Costa", ""}, {"cast", "Joana Reis", ""}}},
		{"Long Road", "Director: K S Raman",
			[]rel{{"directors", "K S Raman", ""}}},
		{"Tide", "Ilse Berzina's \"Tide\" won the prize for best animated feature.",
			[]rel{{"directors", "Ilse Berzina", ""}}},
		// Sentences that state no credit must give none.
		{"Tide", "Tide is a film about water, and it is wonderful.", []rel{}},
		{"Tide", "MARTHA'S POINT, Maine (Reuters) - The town still remembers the shoot.", []rel{}},
		{"Tide", "Tide lasts eleven minutes and has no music at all.", []rel{}},
		{"Tide", "She is an actor from Bergen who trained in Oslo.", []rel{}},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			got := ExtractRelations(tt.sentence, tt.title)
			// The surname-only credit "(Reuters)" is dropped later by ExtractFilm, which
			// knows the article's full names; here only credits of full names count.
			kept := []Relation{}
			for _, r := range got {
				if r.Field == "cast" && !strings.Contains(r.Value, " ") {
					continue
				}
				kept = append(kept, r)
			}
			if d := cmp.Diff(tt.want, kept); d != "" {
				t.Errorf("ExtractRelations(%q) (-want +got):\n%s", tt.sentence, d)
			}
		})
	}
}

func TestExtractFilm_SurnamesAndFirstWins(t *testing.T) {
	f := Film{ID: "blue", Title: "Blue Hour", Source: "a"}
	facts := []Fact{
		{ID: "a-1", Film: "blue", Source: "a", Text: "Blue Hour is directed by Mara Lind and stars Pia Holm."},
		{ID: "a-2", Film: "blue", Source: "a", Text: "It follows a night nurse, Eva (Holm), through one shift."},
		{ID: "a-3", Film: "blue", Source: "a", Text: "Lind's earlier work was directed by Otto Lind."},
		{ID: "a-4", Film: "blue", Source: "a", Text: "A courier (Reuters) rings twice."},
	}
	book := NewPeopleBook([]Person{{ID: "pia", Name: "Pia Holm", Source: "x"}})
	ExtractFilm(&f, facts, book)
	want := Film{
		ID: "blue", Title: "Blue Hour", Source: "a",
		Directors: []string{"mara-lind"},
		Cast:      []Credit{{Person: "pia", Role: "Eva"}},
		Cites:     []Cite{{Field: "directors", Fact: "a-1"}, {Field: "cast", Fact: "a-2"}},
	}
	if d := cmp.Diff(want, f); d != "" {
		t.Errorf("film (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]Person{{ID: "mara-lind", Name: "Mara Lind", Source: "a"}}, book.Added()); d != "" {
		t.Errorf("added people (-want +got):\n%s", d)
	}
}

func TestExtractRelations_More(t *testing.T) {
	tests := []struct {
		title, sentence string
		want            []Relation
	}{
		{"Tide", "People still argue about Mara Lind’s quietly radical coastal film “Tide” every summer.",
			[]Relation{{"directors", "Mara Lind", ""}}},
		{"Tide", "At three hours, the film never once drags.", []Relation{{"runtime", "180", ""}}},
		{"Tide", "It is a two-and-a-half-hour epic of the sea.", []Relation{{"runtime", "150", ""}}},
		{"Tide", "The restoration is a three-hour journey through the war.", []Relation{{"runtime", "180", ""}}},
		{"Tide", "On March 3, 2001, audiences first met the two sisters when Tide hit theaters.",
			[]Relation{{"released", "March 3, 2001", ""}}},
		{"Tide", "It is essentially three hours of people talking in rooms.", []Relation{}},
	}
	for _, tt := range tests {
		got := ExtractRelations(tt.sentence, tt.title)
		if got == nil {
			got = []Relation{}
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ExtractRelations(%q) (-want +got):\n%s", tt.sentence, d)
		}
	}
}
