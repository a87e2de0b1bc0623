package seed

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"filmbot/fold"
)

// TestDefault checks the embedded seed passes the same checks `filmbot check` makes and
// holds the film of the article it was written from.
func TestDefault(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("the embedded seed has problems:\n%v", err)
	}
	n := c.Counts()
	if n.Articles == 0 || n.Films == 0 || n.Facts == 0 || n.Questions == 0 {
		t.Errorf("embedded seed holds %+v, want articles, films, facts and questions", n)
	}
	found := false
	for _, f := range c.Films {
		found = found || fold.String(f.Title) == "comrade kim goes flying"
	}
	if !found {
		t.Error("the embedded seed has no film titled Comrade Kim Goes Flying")
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate on the embedded seed: %v", err)
	}
}

// TestDefault_Files checks every file in seed/data is embedded: Default reads the same
// catalog as Load over the directory on disk.
func TestDefault_Files(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("data", "*"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, name := range names {
		files["seed/"+filepath.ToSlash(name)] = readFile(t, name)
	}
	fromDisk, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if fromDisk.Counts() != embedded.Counts() {
		t.Errorf("seed/data holds %+v, the embedded seed %+v: is a file type missing from the go:embed pattern?",
			fromDisk.Counts(), embedded.Counts())
	}
}

// TestDocExample parses the complete example in docs/seed-format.md, so the page never
// shows a seed the parser rejects.
func TestDocExample(t *testing.T) {
	page := readFile(t, filepath.Join("..", "docs", "seed-format.md"))
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(page, -1)
	if len(blocks) == 0 {
		t.Fatal("docs/seed-format.md has no ```toml example")
	}
	// The first block is the complete example; the others are fragments.
	if _, err := Parse("docs/seed-format.md example", blocks[0][1]); err != nil {
		t.Errorf("the documented example does not parse:\n%v", err)
	}
	lists := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(page, -1)
	if len(lists) == 0 {
		t.Fatal("docs/seed-format.md has no ```yaml trivia list example")
	}
	if _, err := ParseRedList("films.yaml", lists[0][1]); err != nil {
		t.Errorf("the documented trivia list does not parse:\n%v", err)
	}
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
