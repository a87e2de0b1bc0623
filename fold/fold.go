// Package fold turns text into the comparable form every lookup uses: lower case, no
// accents, punctuation as spaces, runs of space collapsed. Titles, questions and typed quiz
// answers are all folded the same way, so "Comrade KIM goes flying!" finds
// "Comrade Kim Goes Flying".
package fold

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// String returns s folded: decomposed, without combining marks, lower-cased, with every run
// of characters that are neither letters nor digits turned into one space, and trimmed.
// Apostrophes inside words are dropped rather than spaced ("Yong Mi's" → "yong mis").
// Invalid UTF-8 is treated as space.
func String(s string) string {
	if isPlain(s) {
		return plain(s)
	}
	f := folders.Get().(*Folder)
	f.buf = f.Append(f.buf[:0], s)
	out := string(f.buf)
	folders.Put(f)
	return out
}

// folders keep String from allocating a normaliser (a few kilobytes) per call.
var folders = sync.Pool{New: func() any { return new(Folder) }}

// Append appends s folded, as String folds it, to dst and returns the extended buffer.
func Append(dst []byte, s string) []byte {
	f := folders.Get().(*Folder)
	dst = f.Append(dst, s)
	folders.Put(f)
	return dst
}

// Folder folds many texts without allocating per text: a caller that folds millions (the
// answer index) keeps one Folder and one buffer. The zero Folder is ready to use; it is
// not safe for concurrent use.
type Folder struct {
	it  norm.Iter
	buf []byte // String's scratch
}

// Append appends s folded, as String folds it, to dst and returns the extended buffer.
func (f *Folder) Append(dst []byte, s string) []byte {
	start := len(dst)
	space := true // suppress leading space
	if isPlain(s) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'A' && c <= 'Z':
				dst = append(dst, c+'a'-'A')
				space = false
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				dst = append(dst, c)
				space = false
			case c == '\'':
			default:
				if !space {
					dst = append(dst, ' ')
					space = true
				}
			}
		}
	} else {
		it := &f.it
		it.InitString(norm.NFKD, s)
		for !it.Done() {
			seg := it.Next()
			for len(seg) > 0 {
				r, n := utf8.DecodeRune(seg)
				seg = seg[n:]
				switch {
				case r == utf8.RuneError && n <= 1:
					if !space {
						dst = append(dst, ' ')
						space = true
					}
				case unicode.Is(unicode.Mn, r):
					// accent: drop
				case r == '\'' || r == '’' || r == 'ʼ':
					// apostrophe: drop so possessives stay one word
				case unicode.IsLetter(r) || unicode.IsDigit(r):
					dst = utf8.AppendRune(dst, unicode.ToLower(r))
					space = false
				default:
					if !space {
						dst = append(dst, ' ')
						space = true
					}
				}
			}
		}
	}
	if n := len(dst); n > start && dst[n-1] == ' ' {
		dst = dst[:n-1]
	}
	return dst
}

// Words returns the words of s after folding.
func Words(s string) []string {
	return strings.Fields(String(s))
}

// isPlain reports whether s is all ASCII, so the fast path applies.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// plain folds an ASCII string without allocation beyond the result.
func plain(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
			space = false
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
			space = false
		case c == '\'':
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return string(b)
}
