package discordspec

import "testing"

func BenchmarkLoad(b *testing.B) {
	ForTest(b) // skips, or fails under CI, when the spec is missing
	path, err := specPath()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}
