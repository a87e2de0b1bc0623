package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A reseed writes the new generation before the old one's pages can be freed, so a store
// that has been reseeded a few times is about twice the size of its knowledge, and bbolt
// never gives the space back. Reclaim does: it copies the live data into a new file and
// swaps that in. It needs the store to itself, which a read-write open of the file
// guarantees across processes (bbolt's exclusive lock), so Open runs it when a third of
// the file is free, and `filmbot reseed` runs it after installing: the file an operator
// sees settles at one generation's size, not two.

// reclaimShare is the share of the file that must be free for Reclaim to copy it: below
// it, the copy would save too little to be worth its seconds.
const reclaimShare = 3 // a third

// Reclaim rewrites the store into a new file holding only live data, packed, when a third
// or more of the file is free space, and reports whether it did. It must not run while
// anything else in the process uses the store: the copy is taken from one transaction,
// and a write committed after it would be lost. On failure the store is unchanged.
func (s *Store) Reclaim() (bool, error) {
	if s.db.IsReadOnly() {
		return false, nil
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return false, fmt.Errorf("reclaim %s: %w", s.path, err)
	}
	// Pages a commit freed stay pending until a later transaction; either way the copy
	// leaves them out.
	st := s.db.Stats()
	free := int64(st.FreePageN+st.PendingPageN) * int64(s.db.Info().PageSize)
	if free*reclaimShare < fi.Size() {
		return false, nil
	}
	tmp := s.path + ".reclaim"
	os.Remove(tmp) // left by a crash during an earlier reclaim: it was never swapped in
	if err := s.Compact(tmp); err != nil {
		return false, err
	}
	// Lock the copy before it takes the store's name, so no other process can open the
	// new file in between; the old file stays locked until it is closed below.
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{
		Timeout:         time.Second,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: minMmapSize,
		PageSize:        pageSize,
	})
	if err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("reclaim %s: %w", s.path, err)
	}
	db.AllocSize = allocSize
	if err := os.Rename(tmp, s.path); err != nil {
		db.Close()
		os.Remove(tmp)
		return false, fmt.Errorf("reclaim %s: %w", s.path, err)
	}
	syncDir(filepath.Dir(s.path))
	old := s.db
	s.db = db
	return true, old.Close()
}

// syncDir makes a rename in dir durable. A failure leaves the rename to the file system's
// own schedule, which a crash may undo; both files are whole, so that only costs the space.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
