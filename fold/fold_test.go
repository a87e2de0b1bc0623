package fold

import "testing"

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Comrade Kim Goes Flying", "comrade kim goes flying"},
		{"  COMRADE   kim—goes flying!! ", "comrade kim goes flying"},
		{"Amélie", "amelie"},
		{"Yong Mi’s nemesis", "yong mis nemesis"},
		{"Yong Mi's nemesis", "yong mis nemesis"},
		{"Ｆｕｌｌｗｉｄｔｈ", "fullwidth"},
		{"a\xffb", "a b"},
		{"rom-com", "rom com"},
		{"", ""},
		{"...", ""},
		{"Pyŏngyang", "pyongyang"},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("Comrade Kim Goes Flying")
	f.Add("a\xffé\u200b")
	f.Fuzz(func(t *testing.T, s string) {
		got := String(s)
		if String(got) != got {
			t.Errorf("String not idempotent on %q: %q then %q", s, got, String(got))
		}
	})
}

// TestAppend checks that Append and a reused Folder fold as String does, appending after
// what the buffer holds.
func TestAppend(t *testing.T) {
	var f Folder
	buf := []byte("x|")
	for _, s := range []string{"Comrade KIM goes flying!", "Núñez’s café", "  ", "Pyongyang, 2012", "ÉCOLE"} {
		got := string(f.Append(buf[:2], s))
		if want := "x|" + String(s); got != want {
			t.Errorf("Folder.Append(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(Append(nil, s)), String(s); got != want {
			t.Errorf("Append(%q) = %q, want %q", s, got, want)
		}
	}
}
