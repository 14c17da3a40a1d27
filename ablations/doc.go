// Package ablations declares Tables I-X of the AnomalyNCD paper as data —
// which sweep points fill which rows, which metrics, the paper's numbers and
// the claims each table tests — and turns stored results into RESULTS.md.
// It also compares two results files cell by cell (Diff) for reviewers.
//
// A table never computes anything: its cells come from the evaluate entries
// of the run store, aggregated over the profile's seeds (mean ± sample std).
package ablations
