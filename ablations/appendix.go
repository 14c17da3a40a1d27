package ablations

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// AppendixTable is the table whose rows the per-category appendix lists:
// Table II holds the default configuration (MuSc + AnomalyNCD) and the main
// baselines on the same maps.
const AppendixTable = "II"

// AppendixMetrics are the appendix's metrics.
var AppendixMetrics = []string{"nmi", "ari", "f1"}

// CategoryBlock is one dataset's per-category values of the appendix rows.
type CategoryBlock struct {
	Dataset    string
	Categories []string // in the order the runs report them
	Seeds      []int    // in seed order
	Rows       []string // the table's row labels
	// Value(row, category, seed, metric), NaN when missing.
	values map[string]float64
}

func blockKey(row, cat string, seed int, metric string) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", row, cat, seed, metric)
}

// Value returns one row's metric on a category and seed (NaN if missing).
func (b CategoryBlock) Value(row, cat string, seed int, metric string) float64 {
	if v, ok := b.values[blockKey(row, cat, seed, metric)]; ok {
		return v
	}
	return math.NaN()
}

// Mean returns one row's metric on a category averaged over the seeds
// (NaN if none).
func (b CategoryBlock) Mean(row, cat, metric string) float64 {
	var vals []float64
	for _, s := range b.Seeds {
		vals = append(vals, b.Value(row, cat, s, metric))
	}
	return NewStat(vals).Mean
}

// CategoryBlocks arranges the per-category values of a filled table by
// dataset (in the table's dataset order).
func CategoryBlocks(r TableResult) []CategoryBlock {
	var out []CategoryBlock
	for _, d := range r.Table.Datasets {
		b := CategoryBlock{Dataset: d, values: map[string]float64{}}
		for i, rw := range r.Table.Rows {
			b.Rows = append(b.Rows, rw.Label)
			if i >= len(r.Units) {
				continue
			}
			for _, u := range r.Units[i] {
				if u.Dataset != d {
					continue
				}
				if !slices.Contains(b.Categories, u.Category) {
					b.Categories = append(b.Categories, u.Category)
				}
				if !slices.Contains(b.Seeds, u.Seed) {
					b.Seeds = append(b.Seeds, u.Seed)
				}
				for m, v := range u.Values {
					b.values[blockKey(rw.Label, u.Category, u.Seed, m)] = v
				}
			}
		}
		if len(b.Categories) > 0 {
			out = append(out, b)
		}
	}
	return out
}

// formatValue prints a value at Decimals, or "n/a".
func formatValue(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.*f", Decimals, v)
}

// renderAppendix writes the per-category appendix: for each dataset and
// metric, one row per category and seed (and the category's mean over
// seeds), one column per row of AppendixTable.
func renderAppendix(w io.Writer, tables []TableResult, synthetic bool) error {
	var r *TableResult
	for i := range tables {
		if tables[i].Table.ID == AppendixTable && tables[i].Units != nil {
			r = &tables[i]
		}
	}
	if r == nil {
		return nil
	}
	blocks := CategoryBlocks(*r)
	if len(blocks) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\n## Appendix — per-category results\n\n")
	fmt.Fprintf(w, "The rows of Table %s (the default configuration and the baselines on the same maps) per category and seed; "+
		"the tables above average over categories, which hides the categories that fail. Columns are the rows of Table %s.\n",
		AppendixTable, AppendixTable)
	for _, b := range blocks {
		for _, m := range AppendixMetrics {
			fmt.Fprintf(w, "\n### Per category — %s %s\n\n", datasetTitle(b.Dataset, synthetic), MetricName(m))
			header := append([]string{"Category, seed"}, b.Rows...)
			var rows [][]string
			for _, c := range b.Categories {
				for _, s := range b.Seeds {
					row := []string{fmt.Sprintf("%s, seed %d", c, s)}
					for _, rw := range b.Rows {
						row = append(row, formatValue(b.Value(rw, c, s, m)))
					}
					rows = append(rows, row)
				}
				if len(b.Seeds) > 1 {
					row := []string{c + ", mean"}
					for _, rw := range b.Rows {
						row = append(row, formatValue(b.Mean(rw, c, m)))
					}
					rows = append(rows, row)
				}
			}
			if err := markdownTable(w, header, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// ClaimsMethod explains how the verdicts below are reached and how many
// pairs they rest on.
func ClaimsMethod(pairs []DatasetPairs, seeds []int, synthetic bool) string {
	o := TestOptions()
	var b strings.Builder
	fmt.Fprintf(&b, "Each claim is tested on paired differences: for every seed and category that both compared rows have "+
		"(same seed, same category, same maps where the rows share a detector), the claimed winner (of several, the one with "+
		"the best mean) minus the compared row, signed so that a positive difference supports the claim (lower is better for "+
		"Avg FPR and Avg FNR). Each verdict prints the mean difference, its %g %% interval and n, the number of pairs. "+
		"With %d or more pairs the interval is a percentile bootstrap of the mean (%d resamples, seeded); with fewer it is "+
		"the exact interval of the median that goes with the sign test, which needs at least 6 pairs at %g %%. "+
		"A comparison **agrees** when its interval lies above 0, **disagrees** when it lies below 0 and is **inconclusive** "+
		"otherwise; a claim agrees when every comparison (each metric against each compared row) agrees, and disagrees when "+
		"any disagrees. Printed per metric is the deciding comparison (the lowest interval). Intervals are per comparison, "+
		"not corrected for multiple comparisons.",
		100*o.Level, o.MinBootstrap, o.Resamples, 100*o.Level)
	var parts []string
	for _, p := range pairs {
		if p.Pairs == 0 {
			continue // a dataset the study did not run on
		}
		parts = append(parts, fmt.Sprintf("%d %s on %s", p.Pairs, plural(p.Pairs, "pair"), datasetTitle(p.Dataset, synthetic)))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " With %d %s, a verdict rests on at most %s.", len(seeds), plural(len(seeds), "seed"), strings.Join(parts, " and "))
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// DatasetPairs is the largest number of pairs any claim comparison on a
// dataset rests on.
type DatasetPairs struct {
	Dataset string
	Pairs   int
}

// ClaimPairs returns, per dataset in order of first claim, the most pairs
// any comparison of the tables' claims (JudgeTableClaims, one slice per
// table) rests on. A table with a claim that could not be tested does not
// count.
func ClaimPairs(tables [][]ClaimVerdict) []DatasetPairs {
	var out []DatasetPairs
	for _, judged := range tables {
		if slices.ContainsFunc(judged, func(c ClaimVerdict) bool { return c.Err != nil }) {
			continue // the claim's own line reports the error
		}
		for _, c := range judged {
			i := slices.IndexFunc(out, func(p DatasetPairs) bool { return p.Dataset == c.Result.Claim.Dataset })
			if i < 0 {
				out = append(out, DatasetPairs{Dataset: c.Result.Claim.Dataset})
				i = len(out) - 1
			}
			out[i].Pairs = max(out[i].Pairs, c.Result.Pairs())
		}
	}
	return out
}
