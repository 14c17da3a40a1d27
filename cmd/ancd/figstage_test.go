package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFigureStage: staged figures replace the plots folder's only on
// commit; a figure not drawn this time is removed, the user's other files
// stay; discarding leaves the old figures untouched and no staging folder.
func TestFigureStage(t *testing.T) {
	root := t.TempDir()
	plots := filepath.Join(root, "plots")
	os.MkdirAll(plots, 0o755)
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			return "<missing>"
		}
		return string(b)
	}
	write(filepath.Join(plots, "fig3_mebin.png"), "old")
	write(filepath.Join(plots, "fig11_multilabel.png"), "old")
	write(filepath.Join(plots, "mine.png"), "user")

	// a failed run: staged, never committed
	s, err := newFigureStage(plots)
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(s.tmp, "fig3_mebin.png"), "new")
	s.discard()
	if read(filepath.Join(plots, "fig3_mebin.png")) != "old" || read(filepath.Join(plots, "fig11_multilabel.png")) != "old" {
		t.Fatal("a discarded stage changed the figures")
	}
	// a successful run without Fig. 11
	s, err = newFigureStage(plots)
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(s.tmp, "fig3_mebin.png"), "new")
	write(filepath.Join(s.tmp, "fig3_mebin.svg"), "new")
	if got := s.finalPath("../x/.ancd-figures-1/fig3_mebin.png", root); got != "plots/fig3_mebin.png" {
		t.Errorf("final path %s", got)
	}
	if err := s.commit(); err != nil {
		t.Fatal(err)
	}
	s.discard()
	for name, want := range map[string]string{"fig3_mebin.png": "new", "fig3_mebin.svg": "new", "fig11_multilabel.png": "<missing>", "mine.png": "user"} {
		if got := read(filepath.Join(plots, name)); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(root, ".ancd-figures-*")); len(m) != 0 {
		t.Errorf("staging folders left: %v", m)
	}
}
