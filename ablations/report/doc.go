// Package report writes the study's browsable HTML report from the run
// store: report/index.html with every table (sortable columns, each cell
// linked to the runs behind it), the claims with their intervals, the
// per-category appendix and every figure, plus one page per run under
// report/runs/ with its resolved config, provenance, training curves,
// diagnostics and confusion matrices.
//
// The report is self-contained: plain HTML with inline CSS, a small inline
// script for sorting, and figures embedded as data: URIs (PNG files of the
// figures, SVG drawn here for the run pages), so it works opened from disk
// with no network. It has no timestamps of its own: the same store gives
// the same bytes.
//
// The report folder is an output: Write refuses a non-empty folder that it
// did not write (no manifest), and on a rewrite removes only files that its
// previous manifest lists.
package report
