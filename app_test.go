package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"filmbot/config"
	"filmbot/console"
)

// Open on a store it cannot open fails with the store's error and leaves nothing open.
func TestApp_OpenFails(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dir.db")
	if err := os.Mkdir(db, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB = db
	a, err := Open(context.Background(), cfg, Options{Messenger: console.New(console.Options{Out: io.Discard})})
	if err == nil || a != nil {
		t.Fatalf("Open on a directory = %v, %v; want an error and no app", a, err)
	}
}

// An offline app (the console's) creates and seeds its store, answers, has no bot, refuses
// to Run, and closes once however often Close is called; the store is free afterwards.
func TestApp_Offline(t *testing.T) {
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "filmbot.db")
	ctx := context.Background()
	open := func() *App {
		t.Helper()
		a, err := Open(ctx, cfg, Options{Messenger: console.New(console.Options{Out: io.Discard})})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := open()
	if a.Bot != nil {
		t.Error("an offline app has a bot")
	}
	if a.Commands.Knowledge() != a.Knowledge {
		t.Error("the commands answer from a knowledge service of their own")
	}
	if ans, err := a.Knowledge.Ask(ctx, "Who plays Yong Mi in Comrade Kim Goes Flying?", ""); err != nil || !ans.Found {
		t.Errorf("Ask = %+v, %v; want an answer from the embedded seed", ans, err)
	}
	if err := a.Run(ctx); err == nil {
		t.Error("Run of an offline app succeeded")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	open().Close() // the store's lock was released
}
