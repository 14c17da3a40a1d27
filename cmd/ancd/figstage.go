package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/ablations"
)

// figureStage draws a study's figures into a staging folder beside the
// plots folder and moves them into place only when everything else of the
// study's outputs is ready (commit), so that RESULTS.md and the figures are
// replaced together.
type figureStage struct {
	dir, tmp string
}

func newFigureStage(dir string) (*figureStage, error) {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("--plots %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, ".ancd-figures-*")
	if err != nil {
		return nil, fmt.Errorf("--plots %s: %w", dir, err)
	}
	return &figureStage{dir: dir, tmp: tmp}, nil
}

// finalPath turns a figure path relative to relTo inside the staging folder
// into the path it will have in the plots folder.
func (s *figureStage) finalPath(rel, relTo string) string {
	final := filepath.Join(s.dir, filepath.Base(filepath.FromSlash(rel)))
	if r, err := filepath.Rel(relTo, final); err == nil {
		final = r
	}
	return filepath.ToSlash(final)
}

// commit moves the staged figures into the plots folder and removes the
// study's figure files that this run did not draw (a figure skipped now
// must not stay beside RESULTS.md from an earlier run). Only files named
// like the study's figures are removed.
func (s *figureStage) commit() error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return err
	}
	var drawn []string
	for _, e := range entries {
		if err := os.Rename(filepath.Join(s.tmp, e.Name()), filepath.Join(s.dir, e.Name())); err != nil {
			return err
		}
		drawn = append(drawn, e.Name())
	}
	for _, name := range ablations.FigureFiles() {
		for _, ext := range []string{".png", ".svg"} {
			if f := name + ext; !slices.Contains(drawn, f) {
				if err := os.Remove(filepath.Join(s.dir, f)); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
		}
	}
	return nil
}

// discard removes the staging folder (empty after commit).
func (s *figureStage) discard() { os.RemoveAll(s.tmp) }
