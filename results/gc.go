package results

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// EntryRef names one entry of the store.
type EntryRef struct {
	Stage string
	Key   string
}

// Path returns stage/key.
func (e EntryRef) Path() string { return e.Stage + "/" + e.Key }

// Entries lists the complete entries, sorted by stage then key.
func (s *Store) Entries() ([]EntryRef, error) {
	var out []EntryRef
	err := s.walk(func(stage, name string) {
		if !strings.HasPrefix(name, ".") && s.Done(stage, name) {
			out = append(out, EntryRef{stage, name})
		}
	})
	return out, err
}

// walk calls fn for every folder <root>/<stage>/<name> (stage folders that
// start with "." or hold no entry-like folders are skipped by fn's caller).
func (s *Store) walk(fn func(stage, name string)) error {
	stages, err := os.ReadDir(s.root)
	if err != nil {
		return fmt.Errorf("run store %s: %w", s.root, err)
	}
	for _, st := range stages {
		if !st.IsDir() || strings.HasPrefix(st.Name(), ".") {
			continue
		}
		names, err := os.ReadDir(filepath.Join(s.root, st.Name()))
		if err != nil {
			return fmt.Errorf("run store %s: %w", st.Name(), err)
		}
		for _, n := range names {
			if n.IsDir() {
				fn(st.Name(), n.Name())
			}
		}
	}
	return nil
}

// GC removes every complete entry for which keep returns false, and every
// left-over temporary folder (from killed writers). Folders that are neither
// (no manifest, not temporary: e.g. a logs folder) are left alone. With
// dryRun nothing is removed. It returns the removed (or removable) paths
// relative to the root, sorted.
//
// GC must not run while a runner writes to the same store: it would remove
// that runner's temporary folders.
func (s *Store) GC(keep func(EntryRef) bool, dryRun bool) ([]string, error) {
	var victims []string
	err := s.walk(func(stage, name string) {
		switch {
		case strings.HasPrefix(name, tmpPrefix):
			victims = append(victims, stage+"/"+name)
		case s.Done(stage, name) && !keep(EntryRef{stage, name}):
			victims = append(victims, stage+"/"+name)
		}
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(victims)
	if dryRun {
		return victims, nil
	}
	for _, v := range victims {
		// Rename first so that a GC killed half-way never leaves an entry
		// whose manifest survives while some of its files are gone.
		path := filepath.Join(s.root, filepath.FromSlash(v))
		stage, name := filepath.Split(path)
		if !strings.HasPrefix(name, tmpPrefix) {
			moved := filepath.Join(stage, tmpPrefix+"gc-"+name)
			if err := os.Rename(path, moved); err != nil {
				return victims, fmt.Errorf("gc: remove %s: %w", v, err)
			}
			path = moved
		}
		if err := os.RemoveAll(path); err != nil {
			return victims, fmt.Errorf("gc: remove %s: %w", v, err)
		}
	}
	return victims, nil
}
