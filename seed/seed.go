// Package seed defines filmbot's knowledge as a seed file describes it: articles, films,
// people, facts and quiz questions, and reads it from TOML seed files, Red-DiscordBot
// trivia lists and plain-text articles.
//
// # Basics
//
// A [Catalog] is the whole of the knowledge a store holds. [Load] reads several seed files
// (TOML, or Red trivia YAML by extension) as one Catalog, with references across files,
// and reports every problem as a [Problem] carrying file and line; [Parse] and
// [ParseRedList] read a single file. [ImportArticle] turns a plain-text article into
// sentence-level facts. [Default] returns the embedded seed built from the first article.
// [Catalog.Validate] checks a catalog built in code, and [Merge] joins catalogs.
//
// The format is documented in docs/seed-format.md.
package seed

// Catalog is a complete set of knowledge: what one reseed installs.
type Catalog struct {
	Articles  []Article  `toml:"article"`
	Films     []Film     `toml:"film"`
	People    []Person   `toml:"person"`
	Facts     []Fact     `toml:"fact"`
	Questions []Question `toml:"question"`

	// Notes are what loading the seed noticed without refusing it, for the operator: what
	// an imported dataset lacks ("1,741 films without an extract"). Not stored.
	Notes []string `toml:"-" json:"-"`
}

// Article is a published piece the knowledge comes from. Every fact, film and person cites
// one by ID, so a reply can name its publisher and headline.
type Article struct {
	ID        string `toml:"id" json:"id"`
	Publisher string `toml:"publisher" json:"publisher"`
	Headline  string `toml:"headline" json:"headline"`
	Date      string `toml:"date,omitempty" json:"date,omitempty"` // YYYY-MM-DD when known
	URL       string `toml:"url,omitempty" json:"url,omitempty"`
	// License is the credit the text's licence asks for wherever it is shown, such as
	// "Text from Wikipedia, CC BY-SA 4.0". Empty for the project's own words.
	License string `toml:"license,omitempty" json:"license,omitempty"`
}

// Citation is how replies name the article: "Publisher — Headline", or whichever of the
// two is known.
func (a Article) Citation() string {
	switch {
	case a.Publisher != "" && a.Headline != "":
		return a.Publisher + " — " + a.Headline
	case a.Headline != "":
		return a.Headline
	}
	return a.Publisher
}

// Credit is how a reply that shows the article's text names it: the citation, followed by
// the credit its licence asks for when it has one ("Wikipedia — Blue Bayou · Text from
// Wikipedia, CC BY-SA 4.0").
func (a Article) Credit() string {
	if a.License == "" {
		return a.Citation()
	}
	return a.Citation() + " · " + a.License
}

// Film is one film: its card and the structured facts the answer engine reads first.
type Film struct {
	ID        string   `toml:"id" json:"id"`
	Title     string   `toml:"title" json:"title"`
	Aliases   []string `toml:"aliases,omitempty" json:"aliases,omitempty"`
	Year      int      `toml:"year,omitempty" json:"year,omitempty"`
	Genres    []string `toml:"genres,omitempty" json:"genres,omitempty"`
	Countries []string `toml:"countries,omitempty" json:"countries,omitempty"` // producers' countries
	Directors []string `toml:"directors,omitempty" json:"directors,omitempty"` // person IDs
	Cast      []Credit `toml:"cast,omitempty" json:"cast,omitempty"`
	Watch     []Watch  `toml:"watch,omitempty" json:"watch,omitempty"`
	Locations []string `toml:"locations,omitempty" json:"locations,omitempty"` // where it was shot
	Synopsis  string   `toml:"synopsis,omitempty" json:"synopsis,omitempty"`

	// The fields below are what prose says about a film (an article imported raw, a
	// Wikipedia lead paragraph) or what a curated seed writes by hand. People are person
	// IDs; the rest is text as precise as the source gives it.
	Writers      []string `toml:"writers,omitempty" json:"writers,omitempty"`     // person IDs
	Composers    []string `toml:"composers,omitempty" json:"composers,omitempty"` // person IDs
	Producers    []string `toml:"producers,omitempty" json:"producers,omitempty"` // person IDs
	BasedOn      string   `toml:"based_on,omitempty" json:"based_on,omitempty"`   // the source work: "the 1950 novel by Graham Greene"
	Studios      []string `toml:"studios,omitempty" json:"studios,omitempty"`     // production companies
	Distributors []string `toml:"distributors,omitempty" json:"distributors,omitempty"`
	Runtime      int      `toml:"runtime,omitempty" json:"runtime,omitempty"`   // minutes
	Released     string   `toml:"released,omitempty" json:"released,omitempty"` // "1949", "2 September 1949"
	Premiere     string   `toml:"premiere,omitempty" json:"premiere,omitempty"` // where and when it premiered
	Setting      string   `toml:"setting,omitempty" json:"setting,omitempty"`   // where and when the story takes place
	Budget       string   `toml:"budget,omitempty" json:"budget,omitempty"`
	BoxOffice    string   `toml:"box_office,omitempty" json:"box_office,omitempty"`
	Rating       string   `toml:"rating,omitempty" json:"rating,omitempty"` // the source article's own rating: "4/5"
	RemakeOf     string   `toml:"remake_of,omitempty" json:"remake_of,omitempty"`
	SequelTo     string   `toml:"sequel_to,omitempty" json:"sequel_to,omitempty"`
	// Cites says which fact (the sentence it was read from) states a structured field, so an
	// answer from the field can quote its line.
	Cites []Cite `toml:"cites,omitempty" json:"cites,omitempty"`

	Source string `toml:"source" json:"source"` // article ID
}

// Cite ties a structured field of a film to the fact that states it.
type Cite struct {
	Field string `toml:"field" json:"field"` // the field's TOML key: "directors", "runtime"
	Fact  string `toml:"fact" json:"fact"`   // fact ID
}

// Credit is one cast member and the character they play.
type Credit struct {
	Person string `toml:"person" json:"person"` // person ID
	Role   string `toml:"role" json:"role"`     // the character, as the film names them
	// RoleAliases are other names the character goes by ("Yong Mi" for "Comrade Yong Mi").
	RoleAliases []string `toml:"role_aliases,omitempty" json:"role_aliases,omitempty"`
	// Description says who the character is ("Yong Mi's nemesis, an arrogant acrobat").
	Description string `toml:"description,omitempty" json:"description,omitempty"`
}

// Watch is one place to see a film.
type Watch struct {
	Service string `toml:"service" json:"service"`                 // "Vimeo On Demand"
	Kind    string `toml:"kind,omitempty" json:"kind,omitempty"`   // stream, rent, buy, festival, cinema
	Since   string `toml:"since,omitempty" json:"since,omitempty"` // as precise as the source says: "1 June", "2012"
	Note    string `toml:"note,omitempty" json:"note,omitempty"`
}

// Person is anyone the knowledge mentions: cast, crew, producers.
type Person struct {
	ID      string   `toml:"id" json:"id"`
	Name    string   `toml:"name" json:"name"`
	Aliases []string `toml:"aliases,omitempty" json:"aliases,omitempty"`
	Bio     string   `toml:"bio,omitempty" json:"bio,omitempty"` // one or two sentences
	Source  string   `toml:"source" json:"source"`               // article ID
}

// Fact is one statement, in the project's own words, with the article it comes from.
type Fact struct {
	ID     string `toml:"id" json:"id"`
	Film   string `toml:"film,omitempty" json:"film,omitempty"`     // film ID the fact is about
	Person string `toml:"person,omitempty" json:"person,omitempty"` // person ID the fact is about
	// Character names the film character the fact is about, when there is one.
	Character string   `toml:"character,omitempty" json:"character,omitempty"`
	Text      string   `toml:"text" json:"text"`
	Source    string   `toml:"source" json:"source"` // article ID
	Tags      []string `toml:"tags,omitempty" json:"tags,omitempty"`
}

// Question is one quiz question.
type Question struct {
	ID     string `toml:"id" json:"id"`
	Film   string `toml:"film,omitempty" json:"film,omitempty"`
	Prompt string `toml:"prompt" json:"prompt"`
	Answer string `toml:"answer" json:"answer"`
	// Accept lists other typed answers that count as right.
	Accept []string `toml:"accept,omitempty" json:"accept,omitempty"`
	// Distractors are plausible wrong answers for multiple-choice buttons.
	Distractors []string `toml:"distractors,omitempty" json:"distractors,omitempty"`
	// Hard questions are answered by typing, not by buttons.
	Hard   bool   `toml:"hard,omitempty" json:"hard,omitempty"`
	Source string `toml:"source,omitempty" json:"source,omitempty"` // article ID
}

// Counts says how much a catalog holds.
type Counts struct {
	Articles, Films, People, Facts, Questions int
}

// Counts returns how many of each kind c holds.
func (c *Catalog) Counts() Counts {
	return Counts{len(c.Articles), len(c.Films), len(c.People), len(c.Facts), len(c.Questions)}
}
