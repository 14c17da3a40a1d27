package results

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// StageTimings returns the wall times (End - Start of their provenance) of
// the complete entries of one stage in the store at root, sorted. It only
// reads: a missing store or stage folder gives none.
func StageTimings(root, stage string) []time.Duration {
	entries, err := os.ReadDir(filepath.Join(root, stage))
	if err != nil {
		return nil
	}
	var out []time.Duration
	for _, e := range entries {
		dir := filepath.Join(root, stage, e.Name())
		if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, ProvenanceFile))
		if err != nil {
			continue
		}
		var p Provenance
		if json.Unmarshal(b, &p) != nil || p.Start.IsZero() || p.End.Before(p.Start) {
			continue
		}
		out = append(out, p.End.Sub(p.Start))
	}
	slices.Sort(out)
	return out
}

// EntryDone reports whether the entry is complete in the store at root,
// without opening (or creating) the store.
func EntryDone(root, stage, key string) bool {
	_, err := os.Stat(filepath.Join(root, stage, key, ManifestFile))
	return err == nil
}
