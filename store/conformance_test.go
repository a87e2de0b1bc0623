package store_test

import (
	"testing"

	"filmbot/store"
	"filmbot/store/storetest"
)

// TestConformance holds the bbolt store to the GuildStore behaviour pgstore shares.
func TestConformance(t *testing.T) {
	storetest.Conformance(t, func(t *testing.T) store.GuildStore { return storetest.Open(t, nil) })
}
