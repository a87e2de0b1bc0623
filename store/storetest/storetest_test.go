package storetest

import (
	"context"
	"testing"

	"filmbot/internal/catalogtest"
)

func TestOpen(t *testing.T) {
	cat := catalogtest.Generate(30, 2)
	s := Open(t, cat)
	f, err := s.FindFilm(context.Background(), cat.Films[4].Title)
	if err != nil || f.ID != cat.Films[4].ID {
		t.Errorf("FindFilm in a seeded test store = %q, %v; want %q", f.ID, err, cat.Films[4].ID)
	}
	if seeded, err := Open(t, nil).Seeded(); err != nil || seeded {
		t.Errorf("store opened with no catalog: Seeded() = %v, %v; want false, nil", seeded, err)
	}
}
