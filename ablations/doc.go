// Package ablations declares Tables I-X of the AnomalyNCD paper as data —
// which sweep points fill which rows, which metrics, the paper's numbers and
// the claims each table tests — and turns stored results into RESULTS.md.
// It also compares two results files cell by cell (Diff) for reviewers.
//
// A table never computes anything: its cells come from the evaluate entries
// of the run store, aggregated over the profile's seeds (mean ± sample std).
// Claims are judged on paired differences of the per-category values (same
// seed, same category) with a 95 % interval from core/pairtest: agrees,
// disagrees or inconclusive (JudgeClaim). RESULTS.md ends with a
// per-category appendix of Table II's rows. The HTML report is written by
// the subpackage report from the same filled tables.
package ablations
