package results

import (
	"os"
	"path/filepath"
	"slices"
	"time"
)

// readOnly is the store at root for the reads below, which must not open
// (or create) it: a missing store reads as empty.
func readOnly(root string) *Store { return &Store{root: root} }

// StageTimings returns the wall times (End - Start of their provenance) of
// the complete entries of one stage in the store at root, sorted. It only
// reads: a missing store or stage folder gives none.
func StageTimings(root, stage string) []time.Duration {
	s := readOnly(root)
	entries, err := os.ReadDir(filepath.Join(root, stage))
	if err != nil {
		return nil
	}
	var out []time.Duration
	for _, e := range entries {
		if !s.Done(stage, e.Name()) {
			continue
		}
		p, err := s.ReadProvenance(stage, e.Name())
		if err != nil || p.Start.IsZero() || p.End.Before(p.Start) {
			continue
		}
		out = append(out, p.End.Sub(p.Start))
	}
	slices.Sort(out)
	return out
}

// EntryDone reports whether the entry is complete in the store at root,
// without opening (or creating) the store.
func EntryDone(root, stage, key string) bool { return readOnly(root).Done(stage, key) }
