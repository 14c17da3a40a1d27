package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Names of the files the store writes into every entry.
const (
	ManifestFile   = "DONE.json"
	ProvenanceFile = "PROVENANCE.json"
	tmpPrefix      = ".tmp-"
)

// Store is a run store rooted at a folder. Create it with Open; a Store is
// safe for concurrent use by many goroutines and many processes.
type Store struct {
	root string

	buildOnce sync.Once
	build     Build

	// writeFile writes a store-owned file; tests replace it to simulate a
	// full disk. nil means writeSynced.
	writeFile func(path string, data []byte) error
}

// Open creates root when missing and checks that it is a writable folder.
func Open(root string) (*Store, error) {
	if root == "" {
		return nil, errors.New("run store: empty folder name")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("run store %s: %w", root, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("run store %s: cannot create folder: %w", abs, err)
	}
	probe, err := os.CreateTemp(abs, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("run store %s: folder is not writable: %w", abs, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return &Store{root: abs}, nil
}

// OpenExisting opens the store at root for reading: unlike Open it never
// creates the folder, and a missing one is an error saying so.
func OpenExisting(root string) (*Store, error) {
	if root == "" {
		return nil, errors.New("run store: empty folder name")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("run store %s: %w", root, err)
	}
	fi, err := os.Stat(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("run store %s does not exist (nothing has run with --store %s yet; check the path)", abs, root)
	}
	if err != nil {
		return nil, fmt.Errorf("run store %s: %w", abs, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("run store %s is not a folder", abs)
	}
	return &Store{root: abs}, nil
}

// Root returns the absolute store folder.
func (s *Store) Root() string { return s.root }

// Dir returns the folder of an entry (it may not exist).
func (s *Store) Dir(stage, key string) string { return filepath.Join(s.root, stage, key) }

// Done reports whether the entry is complete.
func (s *Store) Done(stage, key string) bool {
	_, err := os.Stat(filepath.Join(s.Dir(stage, key), ManifestFile))
	return err == nil
}

// FileSum is one file of an entry in its manifest.
type FileSum struct {
	Path   string `json:"path"` // slash-separated, relative to the entry
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest lists an entry's result files (provenance excluded), sorted by path.
type Manifest struct {
	Stage string    `json:"stage"`
	Key   string    `json:"key"`
	Files []FileSum `json:"files"`
}

// ReadManifest reads the manifest of a complete entry.
func (s *Store) ReadManifest(stage, key string) (Manifest, error) {
	path := filepath.Join(s.Dir(stage, key), ManifestFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("manifest %s: %w", path, err)
	}
	return m, nil
}

// ErrReservedName is returned when a stage writes a file named like one the
// store owns.
var ErrReservedName = errors.New("file name reserved by the run store")

// Put builds the entry (stage, key) unless it is already done. fill writes
// the stage's files into dir, a fresh temporary folder. Then the store writes
// PROVENANCE.json, then DONE.json, and renames the folder into place.
//
// created is false when the entry was already done, or when another writer
// finished it first (its result is kept, ours discarded). On any error nothing
// is left behind: no entry and no temporary folder.
func (s *Store) Put(stage, key string, prov Provenance, fill func(dir string) error) (created bool, err error) {
	if stage == "" || key == "" || strings.ContainsAny(stage+key, `/\`) || strings.HasPrefix(key, ".") {
		return false, fmt.Errorf("run store: invalid entry name %q/%q", stage, key)
	}
	if s.Done(stage, key) {
		return false, nil
	}
	parent := filepath.Join(s.root, stage)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return false, fmt.Errorf("run store: create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, tmpPrefix+key+"-")
	if err != nil {
		return false, fmt.Errorf("run store: temporary folder in %s: %w", parent, err)
	}
	defer func() {
		if err != nil || !created {
			os.RemoveAll(tmp)
		}
	}()
	if prov.Start.IsZero() {
		prov.Start = time.Now().UTC()
	}
	if err := fill(tmp); err != nil {
		return false, fmt.Errorf("%s %s: %w", stage, key, err)
	}
	prov.End = time.Now().UTC()
	prov.Stage, prov.Key = stage, key
	if prov.Build.GoVersion == "" {
		prov.Build = s.buildInfo()
	}
	man, err := manifestOf(tmp, stage, key)
	if err != nil {
		return false, err
	}
	provData, _ := json.MarshalIndent(prov, "", "  ")
	if err := s.write(filepath.Join(tmp, ProvenanceFile), append(provData, '\n')); err != nil {
		return false, fmt.Errorf("%s %s: write provenance: %w", stage, key, err)
	}
	manData, _ := json.MarshalIndent(man, "", "  ")
	if err := s.write(filepath.Join(tmp, ManifestFile), append(manData, '\n')); err != nil {
		return false, fmt.Errorf("%s %s: write manifest: %w", stage, key, err)
	}
	syncDir(tmp)
	dst := s.Dir(stage, key)
	if err := os.Rename(tmp, dst); err != nil {
		if s.Done(stage, key) {
			return false, nil // another writer won the race
		}
		return false, fmt.Errorf("run store: move %s into place: %w", dst, err)
	}
	syncDir(parent)
	return true, nil
}

func (s *Store) write(path string, data []byte) error {
	if s.writeFile != nil {
		return s.writeFile(path, data)
	}
	return writeSynced(path, data)
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(path string) {
	if d, err := os.Open(path); err == nil {
		d.Sync()
		d.Close()
	}
}

// manifestOf hashes every regular file under dir, sorted by path.
func manifestOf(dir, stage, key string) (Manifest, error) {
	m := Manifest{Stage: stage, Key: key, Files: []FileSum{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		if rel == ManifestFile || rel == ProvenanceFile {
			return fmt.Errorf("%s: %w", rel, ErrReservedName)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", rel)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return fmt.Errorf("hash %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", path, err)
		}
		m.Files = append(m.Files, FileSum{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("%s %s: %w", stage, key, err)
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	return m, nil
}
