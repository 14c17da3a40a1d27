package ablations

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/anomalyncd/ancd/core/metrics"
)

// Stat is a metric aggregated over seeds.
type Stat struct {
	Values []float64 // per seed, in seed order
	Mean   float64
	Std    float64 // sample standard deviation (0 for one seed)
}

// NewStat aggregates per-seed values with metrics.MeanStd: NaN values are
// kept out of the mean, and no values give a NaN mean.
func NewStat(values []float64) Stat {
	mean, std := metrics.MeanStd(values)
	return Stat{Values: values, Mean: mean, Std: std}
}

// Format prints "mean ± std" with Decimals, or "n/a".
func (s Stat) Format() string { return metrics.FormatStat(s.Mean, s.Std, Decimals) }

// TableResult is a table filled with aggregated values.
type TableResult struct {
	Table Table
	// Cells[row][dataset+"."+metric]
	Cells []map[string]Stat
	// Units[row] are the row's per-seed, per-category values (FillCategories);
	// the claims are judged on them.
	Units [][]CategoryValue
}

// Lookup returns the stat of a row label, dataset and metric.
func (r TableResult) Lookup(row, dataset, metric string) (Stat, bool) {
	for i, rw := range r.Table.Rows {
		if rw.Label == row {
			s, ok := r.Cells[i][dataset+"."+metric]
			return s, ok
		}
	}
	return Stat{}, false
}

// Fill aggregates per-seed summaries into a table. summaries returns, for a
// row's sweep point and stage ("" = evaluate), one summary map per seed.
func Fill(t Table, summaries func(point, stage string) ([]map[string]float64, error)) (TableResult, error) {
	res := TableResult{Table: t}
	for _, r := range t.Rows {
		seeds, err := summaries(r.Point, r.Stage)
		if err != nil {
			return res, fmt.Errorf("table %s, row %q: %w", t.ID, r.Label, err)
		}
		cells := map[string]Stat{}
		for _, d := range t.Datasets {
			for _, m := range t.Metrics {
				key := d + "." + m
				vals := make([]float64, len(seeds))
				for i, s := range seeds {
					v, ok := s[r.metricKey(d, m)]
					if !ok {
						v = math.NaN()
					}
					vals[i] = v
				}
				cells[key] = NewStat(vals)
			}
		}
		res.Cells = append(res.Cells, cells)
	}
	return res, nil
}

// Header is what RESULTS.md states about the run that produced it.
type Header struct {
	Profile     string
	Dataset     string
	Seeds       []int
	CodeVersion string
	ConfigHash  string
	Tasks       int
	Executions  int
	Figures     []Figure
	// Datasets are the names of the datasets the study ran on ("mvtec",
	// "mtd"); nil means every dataset (the synthetic benchmark). Columns and
	// claims of the others are not shown or are "not run".
	Datasets []string
	// Maps describes the external maps added as a detector ("" = none).
	Maps string
	// Notes are printed under the figures (e.g. figures not drawn, and why).
	Notes []string
	// Departures are the method settings of the default configuration that
	// differ from the reference implementation's (experiments.Departures).
	Departures []experiments.Departure
	// Diagnostics are the default configuration's training diagnostics;
	// none: no section.
	Diagnostics []DiagnosticsRow
}

// Figure is a figure linked from RESULTS.md.
type Figure struct {
	Title string
	Path  string // relative to RESULTS.md
}

// datasetTitle names a dataset block in headings.
func datasetTitle(d string, synthetic bool) string {
	name := map[string]string{"mvtec": "MVTec AD", "mtd": "MTD"}[d]
	if name == "" {
		name = d
	}
	if synthetic {
		return name + "-like"
	}
	return name
}

// Render writes RESULTS.md: the header, one section per table with our
// numbers (mean ± std over seeds) and the paper's in parentheses, the
// paper's numbers of methods not reproduced, and each claim's verdict. The
// output has no timestamps or timings: the same inputs give the same bytes.
func Render(w io.Writer, h Header, tables []TableResult) error {
	var b bytes.Buffer
	synthetic := h.Dataset == "synthetic"
	fmt.Fprintf(&b, "# RESULTS\n\n")
	fmt.Fprintf(&b, "Written by `ancd ablations` from the run store; do not edit by hand.\n\n")
	fmt.Fprintf(&b, "- Profile: `%s`\n- Dataset: %s\n- Seeds: %s\n- Code version: `%s`\n- Config hash: `%s`\n- Stage tasks: %d distinct (%d stage executions before sharing)\n\n",
		h.Profile, datasetLine(h.Dataset), joinInts(h.Seeds), h.CodeVersion, h.ConfigHash, h.Tasks, h.Executions)
	if h.Maps != "" {
		fmt.Fprintf(&b, "- External anomaly maps: %s\n\n", h.Maps)
	}
	if len(h.Departures) > 0 {
		fmt.Fprintf(&b, "Departures of the default configuration from the reference implementation (base.yaml; every one is a config key, so the reference value can be run as it is):\n\n")
		for _, d := range h.Departures {
			fmt.Fprintf(&b, "- %s\n", d)
		}
		fmt.Fprintln(&b)
	}
	fmt.Fprintf(&b, "Cells are `ours (paper)`: our mean ± sample std over the seeds, and in parentheses the paper's number (MVTec AD / MTD, ViT-B/8). ")
	if synthetic {
		fmt.Fprintf(&b, "Our numbers come from the embedded synthetic benchmark, so they are comparable with each other (the claims), not with the paper's values.")
	}
	fmt.Fprintf(&b, "\n\n")
	paper := PaperNumbers()
	var claimLines []string
	var judged [][]ClaimVerdict
	for _, r := range tables {
		t := r.Table
		fmt.Fprintf(&b, "## Table %s — %s\n\n", t.ID, t.Title)
		fmt.Fprintf(&b, "Sweep: `configs/%s`\n\n", t.Sweep)
		needed := datasetList(t.Datasets, synthetic)
		t.Datasets = h.Present(t.Datasets)
		r.Table = t
		if len(t.Datasets) == 0 {
			fmt.Fprintf(&b, "Not run: this table needs %s, which this study has no data for.\n", needed)
		}
		header := []string{"Setting"}
		for _, d := range t.Datasets {
			for _, m := range t.Metrics {
				header = append(header, datasetTitle(d, synthetic)+" "+MetricName(m))
			}
		}
		var rows [][]string
		for i, rw := range t.Rows {
			if len(t.Datasets) == 0 {
				break
			}
			row := []string{rw.Label}
			for _, d := range t.Datasets {
				for _, m := range t.Metrics {
					row = append(row, fmt.Sprintf("%s (%s)", r.Cells[i][d+"."+m].Format(), t.PaperValue(paper[t.ID], rw, d, m)))
				}
			}
			rows = append(rows, row)
		}
		if len(t.Datasets) > 0 {
			if err := markdownTable(&b, header, rows); err != nil {
				return err
			}
		}
		if t.Note != "" && len(t.Datasets) > 0 {
			fmt.Fprintf(&b, "\n%s\n", t.Note)
		}
		if len(t.NotReproduced) > 0 && len(t.Datasets) > 0 {
			fmt.Fprintf(&b, "\nNot reproduced (not implemented here; the paper's numbers only):\n\n")
			nh := []string{"Method"}
			for _, d := range t.Datasets {
				for _, m := range t.Metrics {
					nh = append(nh, datasetTitle(d, false)+" "+MetricName(m))
				}
			}
			var nrows [][]string
			for _, nr := range t.NotReproducedRows() {
				row := []string{nr.Label}
				for _, d := range t.Datasets {
					for _, m := range t.Metrics {
						row = append(row, t.PaperValue(paper[t.ID], nr, d, m))
					}
				}
				nrows = append(nrows, row)
			}
			if err := markdownTable(&b, nh, nrows); err != nil {
				return err
			}
		}
		verdicts := JudgeTableClaims(r, synthetic)
		judged = append(judged, verdicts)
		for ci, v := range verdicts {
			fmt.Fprintf(&b, "\n- Claim %s\n", v.Line)
			// the first column names the claim uniquely (results diff keys on it)
			claimLines = append(claimLines, fmt.Sprintf("| Table %s, claim %d | %s |", t.ID, ci+1, v.Line))
		}
		fmt.Fprintln(&b)
	}
	fmt.Fprintf(&b, "## The paper's claims\n\n%s\n\n| Table | Claim and verdict on our runs |\n|---|---|\n%s\n", ClaimsMethod(ClaimPairs(judged), h.Seeds, synthetic), strings.Join(claimLines, "\n"))
	if len(h.Diagnostics) > 0 {
		if err := renderDiagnostics(&b, h.Diagnostics, synthetic); err != nil {
			return err
		}
	}
	if len(h.Figures) > 0 {
		fmt.Fprintf(&b, "\n## Figures\n\n")
		for _, f := range h.Figures {
			fmt.Fprintf(&b, "- [%s](%s)\n", f.Title, f.Path)
		}
	}
	if len(h.Notes) > 0 {
		fmt.Fprintln(&b)
		for _, n := range h.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if err := renderAppendix(&b, tables, synthetic); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ClaimVerdict is one claim of a table judged once, for RESULTS.md and the
// report alike.
type ClaimVerdict struct {
	// Result is the claim's paired tests (Index 1-based).
	Result ClaimResult
	// Err is why the tests failed ("no verdict"); nil when they ran.
	Err error
	// NotRun: the study has no data for the claim's dataset, or a compared
	// cell has no value; the claim gets no verdict.
	NotRun bool
	// Line is the claim's line as RESULTS.md prints it (markdown).
	Line string
}

// JudgeTableClaims judges every claim of a filled table once. The table's
// Datasets are those the study ran on (Header.Present): a claim on another
// dataset is not run. A claim is tested even when it is not run (its pairs
// still count in ClaimPairs).
func JudgeTableClaims(r TableResult, synthetic bool) []ClaimVerdict {
	out := make([]ClaimVerdict, len(r.Table.Claims))
	for i, c := range r.Table.Claims {
		res, err := JudgeClaim(r, i+1, c)
		v := ClaimVerdict{Result: res, Err: err}
		if !slices.Contains(r.Table.Datasets, c.Dataset) {
			v.NotRun = true
			v.Line = fmt.Sprintf("%s (%s): **not run** — this study has no %s data", c.Text, datasetTitle(c.Dataset, synthetic), datasetTitle(c.Dataset, false))
		} else {
			v.Line, v.NotRun = claimLine(r, res, err, synthetic)
		}
		out[i] = v
	}
	return out
}

// claimLine is a claim's line as RESULTS.md prints it, from its tests
// (res.Claim is the claim): "not run" when a compared cell has no value,
// else the verdict of its paired tests with the deciding mean difference,
// interval and n per metric; and whether the claim is not run.
func claimLine(r TableResult, res ClaimResult, err error, synthetic bool) (string, bool) {
	c := res.Claim
	if missing := notRun(r, c); len(missing) > 0 {
		return fmt.Sprintf("%s (%s): **not run** — no results for %s", c.Text, datasetTitle(c.Dataset, synthetic), strings.Join(missing, ", ")), true
	}
	if err != nil {
		return fmt.Sprintf("%s (%s): **no verdict** — %v", c.Text, datasetTitle(c.Dataset, synthetic), err), false
	}
	return res.Line(synthetic), false
}

// notRun lists the claim's cells ("row metric") that have no value from any
// seed: a claim on cells that were not run gets no verdict.
func notRun(r TableResult, c Claim) []string {
	var missing []string
	for _, row := range append(append([]string(nil), c.Winners...), c.Losers...) {
		for _, m := range c.Metrics {
			if s, ok := r.Lookup(row, c.Dataset, m); !ok || s.runs() == 0 {
				missing = append(missing, row+" "+MetricName(m))
			}
		}
	}
	return missing
}

// runs is the number of seeds with a value.
func (s Stat) runs() int {
	n := 0
	for _, v := range s.Values {
		if !math.IsNaN(v) {
			n++
		}
	}
	return n
}

// Present keeps the datasets of ds the study ran on, in order (all of them
// when the header names none: the synthetic benchmark).
func (h Header) Present(ds []string) []string {
	if h.Datasets == nil {
		return ds
	}
	var out []string
	for _, d := range ds {
		if slices.Contains(h.Datasets, d) {
			out = append(out, d)
		}
	}
	return out
}

// datasetList names the datasets of a table, "MVTec AD or MTD".
func datasetList(ds []string, synthetic bool) string {
	var names []string
	for _, d := range ds {
		names = append(names, datasetTitle(d, synthetic))
	}
	if len(names) == 0 {
		return "a dataset"
	}
	return strings.Join(names, " or ")
}

// datasetLine is the header's dataset entry: the synthetic benchmark's name
// in code style, a real dataset's description as given.
func datasetLine(d string) string {
	if d == "synthetic" {
		return "`synthetic`"
	}
	return d
}

// orient turns a metric into "higher is better".
func orient(v float64, metric string) float64 {
	if higherIsBetter(metric) {
		return v
	}
	return -v
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// markdownTable renders a GitHub markdown table with tablewriter.
func markdownTable(w io.Writer, header []string, rows [][]string) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewMarkdown()),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	t.Header(hdr...)
	for _, r := range rows {
		if err := t.Append(r); err != nil {
			return err
		}
	}
	return t.Render()
}
