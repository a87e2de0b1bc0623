// Package catalogtest builds deterministic, realistic-looking knowledge catalogs of any size,
// for tests and benchmarks that need more films than the embedded seed holds.
//
// The same arguments always give the same catalog. Titles and names are built from word
// lists, so some share prefixes ("The Last …"), some carry accents ("Amélie") and some films
// have aliases; every reference (film → people, fact → film, question → film, anything →
// article) points at a record in the same catalog.
package catalogtest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"filmbot/fold"
	"filmbot/seed"
)

// Generate returns a catalog of films films, each with factsPerFilm facts and two quiz
// questions, plus one article per thousand films (at least one) and about films/2 people.
func Generate(films, factsPerFilm int) *seed.Catalog {
	return Tagged(films, factsPerFilm, "")
}

// Tagged is Generate with every ID prefixed by tag and a dash, and tag named in each
// article's headline, so two catalogs of the same size can be told apart record by record
// (the crash test installs them alternately). An empty tag gives Generate's catalog.
func Tagged(films, factsPerFilm int, tag string) *seed.Catalog {
	g := &generator{
		r:    rand.New(rand.NewPCG(20120907, uint64(films)*31+uint64(factsPerFilm))),
		tag:  tag,
		used: make(map[string]bool),
	}
	return g.catalog(max(films, 0), max(factsPerFilm, 0))
}

// Word lists. Entries fold to distinct words, so names and titles built from them stay
// unique after folding.
var (
	adjectives = []string{
		"Last", "Silent", "Golden", "Red", "Hidden", "Broken", "Distant", "Little", "Secret",
		"Wild", "Lonely", "Burning", "Frozen", "Crimson", "Electric", "Forgotten", "Quiet",
		"Endless", "Paper", "Glass", "Midnight", "Northern", "Velvet", "Iron", "Bright",
		"Hollow", "Eternal", "Sleeping", "Restless", "Wandering", "Scarlet", "Tender",
		"Savage", "Gentle", "Stolen", "Sunken", "Painted", "Flying", "Blind", "Final",
	}
	nouns = []string{
		"River", "Garden", "Station", "Mirror", "Harbour", "Orchard", "Circus", "Lantern",
		"Mountain", "Island", "Winter", "Summer", "Road", "Bridge", "Letter", "Voyage",
		"Season", "Kingdom", "Dancer", "Stranger", "Soldier", "Daughter", "Widow", "Hunter",
		"Tailor", "Sailor", "Miner", "Acrobat", "Orphan", "Prophet", "Thief", "Clockmaker",
		"Lighthouse", "Carnival", "Desert", "Forest", "Factory", "Village", "Empire", "Echo",
		"Storm", "Ghost", "Fortune", "Promise", "Shadow", "Horizon", "Tide", "Compass",
		"Café", "Éclair", "Piñata", "Fiesta", "Bazaar", "Requiem", "Sonata", "Ballad",
	}
	places = []string{
		"Pyongyang", "Pyŏngyang Nights", "Kraków", "Reykjavík", "São Paulo", "Montréal",
		"Marseille", "Lagos", "Kyoto", "Havana", "Tbilisi", "Oaxaca", "Zürich", "Valparaíso",
		"Dakar", "Lisbon", "Odesa", "Hanoi", "Tromsø", "Cusco", "Brno", "Nantes", "Bergen",
		"Jaipur", "Tangier", "Bogotá", "Sapporo", "Galway", "Trieste", "Ushuaia",
	}
	gerunds = []string{
		"Flying", "Dancing", "Fishing", "Home", "Swimming", "Singing", "Hunting", "Sailing",
		"Walking", "Dreaming", "Running", "Skating",
	}
	firstNames = []string{
		"Amélie", "José", "Zoë", "Søren", "Björn", "Renée", "Ngozi", "Hiroshi", "Ji-woo",
		"Kim", "Yong", "Anders", "Nicholas", "Anja", "Pak", "Han", "Mariana", "Tomás",
		"Ingrid", "Omar", "Fatima", "Lucía", "Pierre", "Chiara", "Dmitri", "Olga", "Kwame",
		"Aiko", "Mateo", "Elif", "Ravi", "Priya", "Nadia", "Jonas", "Greta", "Farid",
		"Leila", "Marek", "Sione", "Wen",
	}
	lastNames = []string{
		"Núñez", "Müller", "Kowalski", "Okafor", "Ødegaard", "Bonner", "Gabriel", "Brabants",
		"Jong", "Myong", "Ri", "Sato", "Tanaka", "Rossi", "Dubois", "Lefèvre", "García",
		"Ivanova", "Novák", "Haddad", "Mensah", "Kaur", "Singh", "Berg", "Lindqvist",
		"O'Brien", "Fernández", "Costa", "Yılmaz", "Nguyen", "Park", "Choi", "Abebe",
		"Kovač", "Horvath", "Silva", "Mbeki", "Larsen", "Petrov", "Zhou",
	}
	genres = []string{
		"drama", "comedy", "romantic comedy", "thriller", "documentary", "animation",
		"romance", "horror", "western", "musical", "science fiction", "adventure",
	}
	countries = []string{
		"North Korea", "Belgium", "United Kingdom", "France", "Japan", "Brazil", "Nigeria",
		"Iceland", "Poland", "Canada", "Mexico", "Georgia", "Norway", "India", "Chile",
	}
	services  = []string{"Vimeo On Demand", "Mubi", "Criterion Channel", "BFI Player", "Kanopy"}
	kinds     = []string{"stream", "rent", "buy", "festival", "cinema"}
	festivals = []string{
		"Toronto International Film Festival", "Pyongyang International Film Festival",
		"Berlinale", "Busan International Film Festival", "Sundance", "Locarno Film Festival",
	}
	publishers = []string{"Lonely Planet", "Sight and Sound", "The Film Quarterly", "Cahiers du Nord"}
	roleWords  = []string{
		"Comrade", "Captain", "Doctor", "Grandmother", "Uncle", "Madame", "Officer", "Brother",
	}
	describe = []string{
		"a coal miner who dreams of the trapeze", "an arrogant acrobat", "a patient coach",
		"a retired lighthouse keeper", "a runaway bride", "a travelling salesman",
		"the village schoolteacher", "a stubborn fisherman",
	}
)

type generator struct {
	r    *rand.Rand
	tag  string
	used map[string]bool   // folded titles and aliases already given out
	name map[string]string // person ID → name
}

// id prefixes s with the catalog's tag.
func (g *generator) id(s string) string {
	if g.tag == "" {
		return s
	}
	return g.tag + "-" + s
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

// slug turns a name into an ASCII ID the way a seed author would write one.
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '-'
		case r == 'ø':
			return 'o'
		case r == 'ı':
			return 'i'
		case r > 127:
			return -1
		}
		return r
	}, fold.String(s))
}

func (g *generator) catalog(films, factsPerFilm int) *seed.Catalog {
	c := &seed.Catalog{}
	for i := range max(1, (films+999)/1000) {
		headline := fmt.Sprintf("%s film notes, part %d", g.pick(adjectives), i+1)
		if g.tag != "" {
			headline += " (" + g.tag + ")"
		}
		c.Articles = append(c.Articles, seed.Article{
			ID:        g.id(fmt.Sprintf("article-%03d", i+1)),
			Publisher: g.pick(publishers),
			Headline:  headline,
			Date:      fmt.Sprintf("20%02d-%02d-%02d", 10+g.r.IntN(15), 1+g.r.IntN(12), 1+g.r.IntN(28)),
		})
	}
	// A film takes up to five distinct people (two directors, three cast).
	c.People = g.people(max(6, films/2), c.Articles)
	g.name = make(map[string]string, len(c.People))
	for _, p := range c.People {
		g.name[p.ID] = p.Name
	}
	for i := range films {
		art := c.Articles[i/1000].ID
		f := g.film(art, c.People)
		c.Films = append(c.Films, f)
		c.Facts = append(c.Facts, g.facts(f, factsPerFilm, c.People)...)
		c.Questions = append(c.Questions, g.questions(f, c.People)...)
	}
	return c
}

// people returns n people with unique names, in shuffled order.
func (g *generator) people(n int, arts []seed.Article) []seed.Person {
	ps := make([]seed.Person, n)
	nf, nl := len(firstNames), len(lastNames)
	for i := range n {
		name := firstNames[i%nf]
		if k := i / (nf * nl); k > 0 {
			name += " " + string(rune('A'+(k-1)%26)) + "."
			if k > 26 {
				name += strconv.Itoa((k - 1) / 26)
			}
		}
		name += " " + lastNames[(i/nf)%nl]
		p := seed.Person{
			ID:     g.id(slug(name)),
			Name:   name,
			Source: arts[g.r.IntN(len(arts))].ID,
		}
		if g.r.IntN(3) == 0 {
			p.Bio = fmt.Sprintf("%s began in %s theatre and has worked in film since %d.",
				name, g.pick(countries), 1960+g.r.IntN(60))
		}
		if g.r.IntN(10) == 0 {
			p.Aliases = []string{strings.Fields(name)[0]}
		}
		ps[i] = p
	}
	g.r.Shuffle(n, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	return ps
}

// title returns a title whose folded form has not been given out yet.
func (g *generator) title() string {
	for attempt := 0; ; attempt++ {
		var t string
		switch g.r.IntN(8) {
		case 0:
			t = "The " + g.pick(adjectives) + " " + g.pick(nouns)
		case 1:
			t = g.pick(nouns) + " of " + g.pick(places)
		case 2:
			t = g.pick(roleWords) + " " + g.pick(firstNames) + " Goes " + g.pick(gerunds)
		case 3:
			t = "The " + g.pick(nouns) + " and the " + g.pick(nouns)
		case 4:
			t = g.pick(adjectives) + " " + g.pick(nouns) + "s in " + g.pick(places)
		case 5:
			t = "A " + g.pick(nouns) + " for " + g.pick(firstNames)
		case 6:
			t = g.pick(places) + " " + g.pick(nouns)
		default:
			t = g.pick(adjectives) + " " + g.pick(nouns)
		}
		if attempt > 8 {
			t += " " + strconv.Itoa(attempt-7)
		}
		if k := fold.String(t); !g.used[k] {
			g.used[k] = true
			return t
		}
	}
}

func (g *generator) film(art string, people []seed.Person) seed.Film {
	title := g.title()
	f := seed.Film{
		ID:        g.id(slug(title)),
		Title:     title,
		Year:      1920 + g.r.IntN(106),
		Genres:    []string{g.pick(genres)},
		Countries: []string{g.pick(countries)},
		Locations: []string{g.pick(places)},
		Source:    art,
	}
	if g.r.IntN(5) == 0 {
		alias := fmt.Sprintf("%s (%d)", title, f.Year)
		if g.r.IntN(2) == 0 {
			alias = g.pick(adjectives) + " " + g.pick(gerunds) + " " + strconv.Itoa(f.Year)
		}
		if k := fold.String(alias); !g.used[k] {
			g.used[k] = true
			f.Aliases = []string{alias}
		}
	}
	if g.r.IntN(3) == 0 {
		if gen := g.pick(genres); gen != f.Genres[0] {
			f.Genres = append(f.Genres, gen)
		}
	}
	if g.r.IntN(3) == 0 {
		if c := g.pick(countries); c != f.Countries[0] {
			f.Countries = append(f.Countries, c)
		}
	}
	// Directors and cast are distinct people.
	chosen := make(map[int]bool)
	person := func() seed.Person {
		for {
			i := g.r.IntN(len(people))
			if !chosen[i] {
				chosen[i] = true
				return people[i]
			}
		}
	}
	f.Directors = []string{person().ID}
	if g.r.IntN(4) == 0 {
		f.Directors = append(f.Directors, person().ID)
	}
	for range 3 {
		cr := seed.Credit{
			Person: person().ID,
			Role:   g.pick(roleWords) + " " + g.pick(firstNames),
		}
		if g.r.IntN(2) == 0 {
			cr.Description = g.pick(describe)
		}
		if g.r.IntN(4) == 0 {
			cr.RoleAliases = []string{strings.Fields(cr.Role)[1]}
		}
		f.Cast = append(f.Cast, cr)
	}
	for range g.r.IntN(3) {
		f.Watch = append(f.Watch, seed.Watch{
			Service: g.pick(services),
			Kind:    g.pick(kinds),
			Since:   strconv.Itoa(f.Year + g.r.IntN(10)),
		})
	}
	f.Synopsis = fmt.Sprintf("%s, %s, leaves %s for %s and finds %s.",
		f.Cast[0].Role, g.pick(describe), g.pick(places), g.pick(places),
		strings.ToLower("the "+g.pick(nouns)))
	return f
}

func (g *generator) facts(f seed.Film, n int, people []seed.Person) []seed.Fact {
	name := g.name
	facts := make([]seed.Fact, 0, n)
	start := g.r.IntN(8)
	for k := range n {
		fc := seed.Fact{ID: fmt.Sprintf("%s-fact-%d", f.ID, k+1), Film: f.ID, Source: f.Source}
		cr := f.Cast[g.r.IntN(len(f.Cast))]
		switch (start + k) % 8 {
		case 0:
			fc.Text = fmt.Sprintf("%s was shot over %d weeks in %s.", f.Title, 3+g.r.IntN(30), f.Locations[0])
			fc.Tags = []string{"production", "location"}
		case 1:
			fc.Person = f.Directors[0]
			fc.Text = fmt.Sprintf("%s directed %s, released in %d.", name[fc.Person], f.Title, f.Year)
			fc.Tags = []string{"director"}
		case 2:
			fc.Person, fc.Character = cr.Person, cr.Role
			fc.Text = fmt.Sprintf("In %s, %s plays %s.", f.Title, name[cr.Person], cr.Role)
			fc.Tags = []string{"cast"}
		case 3:
			fc.Text = fmt.Sprintf("%s premiered at the %s in %d.", f.Title, g.pick(festivals), f.Year)
			fc.Tags = []string{"release", "festival"}
		case 4:
			fc.Text = fmt.Sprintf("%s runs %d minutes.", f.Title, 70+g.r.IntN(110))
			fc.Tags = []string{"runtime"}
		case 5:
			fc.Text = fmt.Sprintf("%s was produced with money from %s and %s.", f.Title, f.Countries[0], g.pick(countries))
			fc.Tags = []string{"production", "countries"}
		case 6:
			fc.Person = people[g.r.IntN(len(people))].ID
			fc.Text = fmt.Sprintf("The score for %s was written by %s.", f.Title, name[fc.Person])
			fc.Tags = []string{"music"}
		default:
			fc.Text = fmt.Sprintf("%s sold %d tickets in its first week.", f.Title, 1000*(1+g.r.IntN(900)))
			fc.Tags = []string{"box office"}
		}
		facts = append(facts, fc)
	}
	return facts
}

func (g *generator) questions(f seed.Film, people []seed.Person) []seed.Question {
	years := map[int]bool{f.Year: true}
	var wrongYears []string
	for len(wrongYears) < 3 {
		y := f.Year - 12 + g.r.IntN(25)
		if !years[y] {
			years[y] = true
			wrongYears = append(wrongYears, strconv.Itoa(y))
		}
	}
	director := g.name[f.Directors[0]]
	names := map[string]bool{director: true}
	var wrongNames []string
	for len(wrongNames) < 3 {
		n := people[g.r.IntN(len(people))].Name
		if !names[n] {
			names[n] = true
			wrongNames = append(wrongNames, n)
		}
	}
	return []seed.Question{
		{
			ID:          f.ID + "-q-year",
			Film:        f.ID,
			Prompt:      fmt.Sprintf("In which year was %s released?", f.Title),
			Answer:      strconv.Itoa(f.Year),
			Distractors: wrongYears,
			Source:      f.Source,
		},
		{
			ID:          f.ID + "-q-director",
			Film:        f.ID,
			Prompt:      fmt.Sprintf("Who directed %s?", f.Title),
			Answer:      director,
			Accept:      []string{strings.Fields(director)[len(strings.Fields(director))-1]},
			Distractors: wrongNames,
			Hard:        g.r.IntN(10) == 0,
			Source:      f.Source,
		},
	}
}
