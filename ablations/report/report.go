package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/ablations"
	"github.com/anomalyncd/ancd/internal/atomicfile"
	"github.com/anomalyncd/ancd/results"
)

// ManifestFile lists the files a report folder holds, written last.
const ManifestFile = ".ancd-report.json"

// IndexFile is the report's entry page.
const IndexFile = "index.html"

// Figure is a figure file to embed.
type Figure struct {
	Title string
	// File is the PNG on disk.
	File string
}

// Input is what the report is made of.
type Input struct {
	Header  ablations.Header
	Tables  []ablations.TableResult // filled, with per-category values
	Figures []Figure
	Study   *ablations.Study
	Store   *results.Store
}

// manifest is the content of ManifestFile.
type manifest struct {
	Files []string `json:"files"` // slash paths relative to the folder
}

// Write renders the report into dir: index.html, runs/<id>.html and the
// manifest. It returns the number of run pages.
func Write(dir string, in Input) (int, error) {
	if _, err := readManifest(dir); err != nil { // refuse before any work
		return 0, err
	}
	files, err := render(in)
	if err != nil {
		return 0, err
	}
	if err := writeFiles(dir, files); err != nil {
		return 0, err
	}
	return len(files) - 1, nil
}

// writeFiles writes the report's files (slash paths), removes the files of
// the previous manifest that are not among them, and writes the manifest.
func writeFiles(dir string, files map[string][]byte) error {
	old, err := readManifest(dir)
	if err != nil {
		return err
	}
	names := slices.Sorted(maps.Keys(files))
	for _, name := range names {
		if !safeName(name) {
			return fmt.Errorf("report: refusing to write %q", name)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), files[name]); err != nil {
			return err
		}
	}
	// remove what the previous report wrote and this one did not
	for _, name := range old.Files {
		if _, keep := files[name]; keep || !safeName(name) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	b, err := json.MarshalIndent(manifest{Files: names}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

// readManifest returns the previous report's manifest. A folder that does
// not exist or is empty has none; a non-empty folder without one is
// refused, so that a mistyped --report never overwrites a user's files.
func readManifest(dir string) (manifest, error) {
	var m manifest
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("report folder %s: %w", dir, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("report folder %s is not empty and was not written by ancd (no %s); choose another --report folder", dir, ManifestFile)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}

// safeName accepts only the names a report writes: index.html and
// runs/<id>.html.
func safeName(name string) bool {
	if name == IndexFile {
		return true
	}
	rest, ok := strings.CutPrefix(name, "runs/")
	return ok && strings.HasSuffix(rest, ".html") && !strings.ContainsAny(rest, `/\`) && !strings.HasPrefix(rest, ".")
}

// render returns every file of the report by slash path.
func render(in Input) (map[string][]byte, error) {
	runs, err := collectRuns(in)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	idx, err := indexPage(in, runs)
	if err != nil {
		return nil, err
	}
	files[IndexFile] = idx
	for _, r := range runs.list {
		page, err := runPage(in, r)
		if err != nil {
			return nil, fmt.Errorf("run page %s: %w", r.ID, err)
		}
		files["runs/"+r.ID+".html"] = page
	}
	return files, nil
}

func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
