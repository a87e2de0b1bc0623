package knowledge

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/internal/catalogtest"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/store/storetest"
)

const kimID = "comrade-kim-goes-flying"

// embedded returns the embedded seed, failing the test when it does not load.
func embedded(tb testing.TB) *seed.Catalog {
	tb.Helper()
	cat, err := seed.Default()
	if err != nil {
		tb.Fatalf("embedded seed: %v", err)
	}
	return cat
}

// open returns a service over a fresh store holding cat.
func open(tb testing.TB, cat *seed.Catalog) *Service {
	tb.Helper()
	return New(storetest.Open(tb, cat))
}

func TestService_FindFilm(t *testing.T) {
	s := open(t, embedded(t))
	ctx := context.Background()
	for _, name := range []string{
		kimID, "Comrade Kim Goes Flying", "comrade kim goes flying", "  Comrade Kim Goes Flying ",
		"comrade kim", // the start of exactly one title
	} {
		f, err := s.FindFilm(ctx, name)
		if err != nil || f.ID != kimID {
			t.Errorf("FindFilm(%q) = %q, %v; want %q", name, f.ID, err, kimID)
		}
	}

	_, err := s.FindFilm(ctx, "   ")
	if !errors.Is(err, ErrNoFilmName) {
		t.Errorf("FindFilm(blank) = %v, want ErrNoFilmName", err)
	}

	var unknown *UnknownFilmError
	_, err = s.FindFilm(ctx, "Comrade Kin Goes")
	if !errors.As(err, &unknown) || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("FindFilm(typo) = %v, want an *UnknownFilmError that is store.ErrNotFound", err)
	}
	var got []string
	for _, m := range unknown.Suggestions {
		got = append(got, m.FilmID)
	}
	if diff := cmp.Diff([]string{kimID}, got); diff != "" {
		t.Errorf("suggestions for a typo (-want +got):\n%s", diff)
	}

	// Nothing folds to the start of every title: no film, even in a one-film store.
	one := open(t, catalogtest.Generate(1, 1))
	for _, name := range []string{"!!!", "\u200b", "\xff\xfe"} {
		if _, err := one.FindFilm(ctx, name); !errors.As(err, &unknown) {
			t.Errorf("FindFilm(%q) = %v, want an *UnknownFilmError", name, err)
		}
	}
}

func TestService_SuggestFilms(t *testing.T) {
	cat := catalogtest.Generate(200, 1)
	s := open(t, cat)
	ms, err := s.SuggestFilms(context.Background(), "the", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != MaxSuggestions {
		t.Errorf("SuggestFilms(%q) gave %d films, want the cap %d", "the", len(ms), MaxSuggestions)
	}
	ms, err = s.SuggestFilms(context.Background(), cat.Films[7].Title, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].FilmID != cat.Films[7].ID {
		t.Errorf("SuggestFilms(%q) = %+v, want %q first", cat.Films[7].Title, ms, cat.Films[7].ID)
	}
}

// A done context makes every lookup return its error before touching the store.
func TestService_DoneContext(t *testing.T) {
	s := open(t, embedded(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Current(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Current = %v, want context.Canceled", err)
	}
	if _, err := s.Ask(ctx, "Who plays Yong Mi?", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("Ask = %v, want context.Canceled", err)
	}
	if _, err := s.FindFilm(ctx, kimID); !errors.Is(err, context.Canceled) {
		t.Errorf("FindFilm = %v, want context.Canceled", err)
	}
	if _, err := s.SuggestFilms(ctx, "com", 5); !errors.Is(err, context.Canceled) {
		t.Errorf("SuggestFilms = %v, want context.Canceled", err)
	}
	if _, err := s.Reseed(ctx, embedded(t), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Reseed = %v, want context.Canceled", err)
	}
}

// One generation in memory per store generation: calls share it, and a reseed by another
// process (another service on the same store here) is seen through the generation check.
func TestService_Current(t *testing.T) {
	st := storetest.Open(t, embedded(t))
	s := New(st)
	ctx := context.Background()
	g1, err := s.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g2, _ := s.Current(ctx); g2 != g1 {
		t.Error("a second call rebuilt the knowledge of the same generation")
	}
	if q1, q2 := g1.Quiz(), g1.Quiz(); q1 == nil || q1 != q2 {
		t.Error("the quiz bank was built twice for one generation")
	}
	other := New(st)
	small := catalogtest.Generate(3, 1)
	if _, err := other.Reseed(ctx, small, nil); err != nil {
		t.Fatal(err)
	}
	g3, err := s.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g3.Number != g1.Number+1 || len(g3.Catalog.Films) != len(small.Films) {
		t.Errorf("after a reseed elsewhere: generation %d with %d films, want %d with %d",
			g3.Number, len(g3.Catalog.Films), g1.Number+1, len(small.Films))
	}
}

// A reseed through the service is live when it returns; while a rebuild is running,
// questions are answered from the previous generation instead of queueing behind it.
func TestService_DuringRebuild(t *testing.T) {
	st := storetest.Open(t, embedded(t))
	s := New(st)
	ctx := context.Background()
	const q = "Who plays Yong Mi in Comrade Kim Goes Flying?"
	before, err := s.Ask(ctx, q, "")
	if err != nil || !before.Found {
		t.Fatalf("Ask before = %+v, %v; want an answer", before, err)
	}
	small := catalogtest.Generate(3, 1)
	if _, err := New(st).Reseed(ctx, small, nil); err != nil {
		t.Fatal(err)
	}

	s.build.Lock() // a rebuild in progress
	answered := make(chan *Generation, 1)
	go func() {
		g, _ := s.Current(ctx)
		answered <- g
	}()
	during := <-answered // a wait here would be the bug: it never ends while build is held
	s.build.Unlock()
	if during == nil || len(during.Catalog.Films) == len(small.Films) {
		t.Fatalf("during the rebuild Current gave %v, want the previous generation", during)
	}
	after, err := s.Current(ctx)
	if err != nil || len(after.Catalog.Films) != len(small.Films) {
		t.Errorf("after the rebuild: %v, %v; want the new catalog", after, err)
	}

	// A reseed through s itself swaps the generation before returning.
	res, err := s.Reseed(ctx, embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	g := s.cur.Load()
	if g.Number != res.Generation || !slices.ContainsFunc(g.Catalog.Films, func(f seed.Film) bool { return f.ID == kimID }) {
		t.Errorf("after Reseed returned, generation %d in memory, want %d with the embedded films", g.Number, res.Generation)
	}
}

// One reseed at a time per service; a held lock refuses others, and End releases it once.
func TestService_ReseedLock(t *testing.T) {
	s := open(t, embedded(t))
	rs, ok := s.BeginReseed()
	if !ok || !s.Reseeding() {
		t.Fatal("BeginReseed on an idle service failed")
	}
	if _, err := s.Reseed(context.Background(), embedded(t), nil); !errors.Is(err, ErrReseedRunning) {
		t.Errorf("Reseed while held = %v, want ErrReseedRunning", err)
	}
	if _, ok := s.BeginReseed(); ok {
		t.Error("a second BeginReseed succeeded while the first held the lock")
	}
	rs.End()
	rs.End()
	if s.Reseeding() {
		t.Error("Reseeding after End")
	}
	if _, err := rs.Install(context.Background(), embedded(t), nil); err == nil {
		t.Error("Install after End succeeded")
	}
	if _, err := s.Reseed(context.Background(), embedded(t), nil); err != nil {
		t.Errorf("Reseed after End = %v", err)
	}
}

// Many callers on a cold service build the generation once and all see the same one.
func TestService_ConcurrentFirstUse(t *testing.T) {
	s := open(t, embedded(t))
	var wg sync.WaitGroup
	gens := make([]*Generation, 16)
	for i := range gens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gens[i], _ = s.Current(context.Background())
		}()
	}
	wg.Wait()
	for i, g := range gens {
		if g == nil || g != gens[0] {
			t.Fatalf("caller %d got generation %p, caller 0 %p", i, g, gens[0])
		}
	}
	a, err := s.Ask(context.Background(), "Who plays Yong Mi?", kimID)
	if err != nil || !strings.Contains(strings.ToLower(a.Text), "han jong sim") {
		t.Errorf("Ask = %+v, %v; want Han Jong Sim", a, err)
	}
}
