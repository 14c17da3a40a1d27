package report

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	cases := []struct {
		name string
		ok   bool
	}{
		{"index.html", true},
		{"runs/evaluate-0123456789ab.html", true},
		{"runs/baseline-0123456789ab-ac_semi.html", true},
		{"../index.html", false},
		{"runs/../../x.html", false},
		{"runs/.hidden.html", false},
		{"runs/a/b.html", false},
		{"notes.txt", false},
		{"runs/page.txt", false},
		{ManifestFile, false},
	}
	for _, tc := range cases {
		if got := safeName(tc.name); got != tc.ok {
			t.Errorf("safeName(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			r, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(r))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// TestWriteFiles: a fresh or empty folder is written; a rewrite removes the
// pages the previous report wrote and no longer has, and nothing else; a
// non-empty folder that no report wrote is refused untouched.
func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	first := map[string][]byte{"index.html": []byte("v1"), "runs/a.html": []byte("a"), "runs/b.html": []byte("b")}
	if err := writeFiles(dir, first); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); !slices.Equal(got, []string{ManifestFile, "index.html", "runs/a.html", "runs/b.html"}) {
		t.Fatalf("first report: %v", got)
	}
	// a file of the user's beside the report survives rewrites
	if err := os.WriteFile(filepath.Join(dir, "runs", "mine.html"), []byte("user"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := map[string][]byte{"index.html": []byte("v2"), "runs/b.html": []byte("b2"), "runs/c.html": []byte("c")}
	if err := writeFiles(dir, second); err != nil {
		t.Fatal(err)
	}
	if got := listFiles(t, dir); !slices.Equal(got, []string{ManifestFile, "index.html", "runs/b.html", "runs/c.html", "runs/mine.html"}) {
		t.Fatalf("rewritten report: %v", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "v2" {
		t.Errorf("index.html = %q, want v2", b)
	}

	// a folder with someone else's files
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "thesis.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeFiles(foreign, first)
	if err == nil || !strings.Contains(err.Error(), foreign) || !strings.Contains(err.Error(), "not written by ancd") {
		t.Fatalf("foreign folder: error %v", err)
	}
	if got := listFiles(t, foreign); !slices.Equal(got, []string{"thesis.txt"}) {
		t.Errorf("foreign folder changed: %v", got)
	}
	// a page name outside the report's layout is never written
	if err := writeFiles(t.TempDir(), map[string][]byte{"../escape.html": nil}); err == nil {
		t.Error("wrote ../escape.html")
	}
}
