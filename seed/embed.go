package seed

import (
	"embed"
	"io/fs"
)

// embedded holds the default seed: the files under seed/data, built into the binary so a
// fresh store can be seeded without any file at hand.
//
//go:embed data/*.toml
var embedded embed.FS

// Default reads and validates the embedded seed, the knowledge a new store starts with. It
// parses the files on every call (about a millisecond), so callers keep the result rather
// than calling it per request. An error means the binary was built from a broken seed,
// which the tests catch.
func Default() (*Catalog, error) {
	files, err := EmbeddedFiles()
	if err != nil {
		return nil, err
	}
	return Load(files)
}

// EmbeddedFiles returns the embedded seed's files by name ("seed/data/….toml"), for a
// load that keeps the embedded seed beside other files (filmbot reseed -with-embedded).
func EmbeddedFiles() (map[string][]byte, error) {
	names, err := fs.Glob(embedded, "data/*.toml")
	if err != nil {
		return nil, err
	}
	files := make(map[string][]byte, len(names))
	for _, name := range names {
		data, err := embedded.ReadFile(name)
		if err != nil {
			return nil, err
		}
		files["seed/"+name] = data
	}
	return files, nil
}
