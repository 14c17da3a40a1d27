package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/anomalyncd/ancd/ablations"
	"github.com/anomalyncd/ancd/ablations/report"
	"github.com/anomalyncd/ancd/results"
)

// fillCategories adds the per-category values of a filled table's rows
// (the paired claim tests and the appendix read them).
func fillCategories(r *ablations.TableResult, study *ablations.Study, store *results.Store) error {
	return ablations.FillCategories(r, func(point, stage, prefix string) ([]ablations.CategoryValue, error) {
		return study.CategoryValues(store, r.Table.Sweep, point, stage, prefix)
	})
}

// reportIndex is the report's index page relative to RESULTS.md.
func reportIndex(f ablationFlags) string {
	index := filepath.Join(f.report, report.IndexFile)
	if rel, err := filepath.Rel(filepath.Dir(f.out), index); err == nil {
		index = rel
	}
	return filepath.ToSlash(index)
}

// reportNote is the line of RESULTS.md that points at the report.
func reportNote(f ablationFlags) string {
	index := reportIndex(f)
	return fmt.Sprintf("Browsable report: [%s](%s) — sortable tables linked to their runs, and one page per run with "+
		"its training curves, diagnostics, confusion matrices, resolved config and provenance.", index, index)
}

// writeReport writes the HTML report (f.report; none when empty) from the
// same tables and header as RESULTS.md. The figures must be in place.
func writeReport(out io.Writer, f ablationFlags, header ablations.Header, filled []ablations.TableResult, study *ablations.Study, store *results.Store) error {
	if f.report == "" {
		return nil
	}
	in := report.Input{Header: header, Tables: filled, Study: study, Store: store}
	for _, fig := range header.Figures {
		in.Figures = append(in.Figures, report.Figure{Title: fig.Title, File: filepath.Join(filepath.Dir(f.out), filepath.FromSlash(fig.Path))})
	}
	n, err := report.Write(f.report, in)
	if err != nil {
		return fmt.Errorf("--report %s: %w", f.report, err)
	}
	fmt.Fprintf(out, "wrote %s (%d run pages)\n", filepath.Join(f.report, report.IndexFile), n)
	return nil
}
