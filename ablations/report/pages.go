package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/anomalyncd/ancd/ablations"
)

// cell is one table cell: its text, an optional sort key (numbers sort
// numerically; empty means "sort by text") and links to run pages.
type cell struct {
	Text  string
	Sort  string
	Muted string // shown after the text in grey (e.g. the paper's number)
	Links []link
	Class string
}

type link struct {
	Href, Text, Title string
}

// table is a sortable HTML table.
type table struct {
	ID     string
	Header []string
	Rows   [][]cell
}

func numCell(v float64, text string) cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return cell{Text: text}
	}
	return cell{Text: text, Sort: fmt.Sprintf("%.9g", v)}
}

// page is the frame of every page.
type page struct {
	Title string
	// Root is the path from the page to the report folder.
	Root string
	Nav  []link
	Body any
}

type figureView struct {
	Title, ID string
	Src       template.HTMLAttr
}

// srcAttr is an img src attribute with the bytes as a base64 data: URI
// (base64 needs no escaping inside double quotes).
func srcAttr(mediaType string, b []byte) template.HTMLAttr {
	return template.HTMLAttr(`src="` + dataURI(mediaType, b) + `"`)
}

type tableView struct {
	ID, Anchor, Title, Sweep, Note string
	T                              table
	// Paper lists the paper's numbers of methods not reproduced here.
	Paper  *table
	Claims []claimView
}

type claimView struct {
	Line    string
	Verdict string
}

type appendixView struct {
	Title string
	T     table
}

type indexView struct {
	Header   ablations.Header
	Synth    bool
	Method   string
	Claims   table
	Tables   []tableView
	Appendix []appendixView
	Figures  []figureView
	Runs     table
	Notes    []string
}

func verdictClass(v ablations.Verdict) string {
	return "v-" + strings.ReplaceAll(string(v), " ", "-")
}

// plain removes markdown emphasis from a RESULTS.md line.
func plain(s string) string { return strings.ReplaceAll(s, "**", "") }

func runHref(root, id string) string { return root + "runs/" + id + ".html" }

func indexPage(in Input, rs *runSet) ([]byte, error) {
	synth := in.Header.Dataset == "synthetic"
	v := indexView{Header: in.Header, Synth: synth, Notes: in.Header.Notes}
	v.Claims = table{ID: "claims", Header: []string{"Table", "Claim", "Dataset", "Claim verdict", "Metric", "Metric verdict",
		"Compared", "Mean difference", "95 % interval", "n", "Method"}}
	var judged [][]ablations.ClaimVerdict
	for _, t := range in.Tables {
		tv := tableView{ID: t.Table.ID, Anchor: "table-" + t.Table.ID, Title: t.Table.Title, Sweep: t.Table.Sweep, Note: t.Table.Note}
		// only the datasets the study ran on, as in RESULTS.md
		t.Table.Datasets = in.Header.Present(t.Table.Datasets)
		tv.T = resultTable(t, rs, synth)
		tv.Paper = notReproducedTable(t.Table)
		verdicts := ablations.JudgeTableClaims(t, synth)
		for _, cv := range verdicts {
			if cv.Err != nil {
				return nil, cv.Err
			}
		}
		judged = append(judged, verdicts)
		for _, cv := range verdicts {
			c := cv.Result
			if cv.NotRun {
				tv.Claims = append(tv.Claims, claimView{Line: plain(cv.Line), Verdict: "v-not-run"})
				v.Claims.Rows = append(v.Claims.Rows, []cell{
					{Text: "Table " + t.Table.ID, Sort: fmt.Sprint(tableOrder(t.Table.ID)), Links: []link{{Href: "#table-" + t.Table.ID, Text: "↗", Title: "Table " + t.Table.ID}}},
					{Text: c.Claim.Text}, {Text: datasetName(c.Claim.Dataset, synth)}, {Text: "not run", Class: "v-not-run"},
					{}, {}, {}, {}, {}, {}, {}})
				continue
			}
			tv.Claims = append(tv.Claims, claimView{Line: plain(cv.Line), Verdict: verdictClass(c.Verdict)})
			for _, m := range c.Metrics {
				d := m.Deciding
				compared := d.Loser
				if len(c.Claim.Winners) > 1 {
					compared = d.Winner + " vs " + d.Loser
				}
				iv := d.FormatInterval()
				if iv == "" && d.N > 0 {
					iv = "too few pairs"
				}
				v.Claims.Rows = append(v.Claims.Rows, []cell{
					{Text: "Table " + t.Table.ID, Sort: fmt.Sprint(tableOrder(t.Table.ID)), Links: []link{{Href: "#table-" + t.Table.ID, Text: "↗", Title: "Table " + t.Table.ID}}},
					{Text: c.Claim.Text},
					{Text: datasetName(c.Claim.Dataset, synth)},
					{Text: string(c.Verdict), Class: verdictClass(c.Verdict)},
					{Text: ablations.MetricName(m.Metric)},
					{Text: string(m.Verdict), Class: verdictClass(m.Verdict)},
					{Text: compared},
					numCell(d.Mean, fmt.Sprintf("%+.3f", d.Mean)),
					numCell(d.Lo, iv),
					numCell(float64(d.N), fmt.Sprint(d.N)),
					{Text: string(d.Method)},
				})
			}
		}
		v.Tables = append(v.Tables, tv)
	}
	v.Method = plain(ablations.ClaimsMethod(ablations.ClaimPairs(judged), in.Header.Seeds, synth))
	for _, t := range in.Tables {
		if t.Table.ID != ablations.AppendixTable {
			continue
		}
		for _, b := range ablations.CategoryBlocks(t) {
			for _, m := range ablations.AppendixMetrics {
				v.Appendix = append(v.Appendix, appendixTable(b, m, rs, t.Table.ID, synth))
			}
		}
	}
	for i, f := range in.Figures {
		b, err := os.ReadFile(f.File)
		if err != nil {
			return nil, fmt.Errorf("figure %s: %w", f.Title, err)
		}
		v.Figures = append(v.Figures, figureView{Title: f.Title, ID: fmt.Sprintf("figure-%d", i+1), Src: srcAttr("image/png", b)})
	}
	v.Runs = runsTable(rs, synth)
	return execute("index", page{Title: "AnomalyNCD study report", Root: "", Nav: indexNav(in), Body: v})
}

func indexNav(in Input) []link {
	nav := []link{{Href: "#claims", Text: "Claims"}}
	for _, t := range in.Tables {
		nav = append(nav, link{Href: "#table-" + t.Table.ID, Text: "Table " + t.Table.ID})
	}
	return append(nav, link{Href: "#appendix", Text: "Per category"}, link{Href: "#figures", Text: "Figures"}, link{Href: "#runs", Text: "Runs"})
}

func tableOrder(id string) int {
	for i, t := range ablations.Tables() {
		if t.ID == id {
			return i
		}
	}
	return 99
}

func datasetName(d string, synth bool) string {
	name := map[string]string{"mvtec": "MVTec AD", "mtd": "MTD"}[d]
	if name == "" {
		name = d
	}
	if synth {
		name += "-like"
	}
	return name
}

// resultTable is one of Tables I-X: our mean ± std per cell with the
// paper's number in grey and links to the run of every seed.
func resultTable(t ablations.TableResult, rs *runSet, synth bool) table {
	tb := table{ID: "t-" + t.Table.ID, Header: []string{"Setting"}}
	for _, d := range t.Table.Datasets {
		for _, m := range t.Table.Metrics {
			tb.Header = append(tb.Header, datasetName(d, synth)+" "+ablations.MetricName(m))
		}
	}
	paper := ablations.PaperNumbers()[t.Table.ID]
	for i, rw := range t.Table.Rows {
		var links []link
		for si, id := range rs.cell[t.Table.ID][rw.Label] {
			links = append(links, link{Href: runHref("", id), Text: fmt.Sprintf("s%d", si+1), Title: fmt.Sprintf("run, seed %d", rs.byID[id].Seed)})
		}
		row := []cell{{Text: rw.Label, Links: links}}
		for _, d := range t.Table.Datasets {
			for _, m := range t.Table.Metrics {
				s := t.Cells[i][d+"."+m]
				c := numCell(s.Mean, s.Format())
				c.Muted = "(" + t.Table.PaperValue(paper, rw, d, m) + ")"
				c.Links = links
				row = append(row, c)
			}
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb
}

// notReproducedTable lists the paper's numbers of the methods the project
// does not implement (nil if none).
func notReproducedTable(t ablations.Table) *table {
	rows := t.NotReproducedRows()
	if len(rows) == 0 {
		return nil
	}
	tb := &table{ID: "p-" + t.ID, Header: []string{"Method"}}
	for _, d := range t.Datasets {
		for _, m := range t.Metrics {
			tb.Header = append(tb.Header, datasetName(d, false)+" "+ablations.MetricName(m))
		}
	}
	paper := ablations.PaperNumbers()[t.ID]
	for _, r := range rows {
		row := []cell{{Text: r.Label}}
		for _, d := range t.Datasets {
			for _, m := range t.Metrics {
				v := t.PaperValue(paper, r, d, m)
				c := cell{Text: v}
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					c = numCell(f, v)
				}
				row = append(row, c)
			}
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb
}

func appendixTable(b ablations.CategoryBlock, metric string, rs *runSet, tableID string, synth bool) appendixView {
	t := table{ID: "a-" + b.Dataset + "-" + metric, Header: append([]string{"Category", "Seed"}, b.Rows...)}
	for _, c := range b.Categories {
		for si, s := range b.Seeds {
			row := []cell{{Text: c}, numCell(float64(s), fmt.Sprint(s))}
			for _, r := range b.Rows {
				v := b.Value(r, c, s, metric)
				cl := numCell(v, formatMetric(v))
				if ids := rs.cell[tableID][r]; si < len(ids) {
					cl.Links = []link{{Href: runHref("", ids[si]), Text: "run", Title: r + ", seed " + fmt.Sprint(s)}}
				}
				row = append(row, cl)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return appendixView{Title: datasetName(b.Dataset, synth) + " " + ablations.MetricName(metric), T: t}
}

func formatMetric(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v)
}

// runsTable lists every run with its dataset means of NMI, ARI and F1.
func runsTable(rs *runSet, synth bool) table {
	t := table{ID: "runs-table", Header: []string{"Run", "Setting", "Seed", "Stage", "Used in"}}
	var datasets []string
	for _, r := range rs.list {
		for _, u := range r.Units {
			if !contains(datasets, u.Dataset) {
				datasets = append(datasets, u.Dataset)
			}
		}
	}
	for _, d := range datasets {
		for _, m := range ablations.AppendixMetrics {
			t.Header = append(t.Header, datasetName(d, synth)+" "+ablations.MetricName(m))
		}
	}
	for _, r := range rs.list {
		var uses []string
		for _, u := range r.Uses {
			uses = append(uses, u.Table)
		}
		row := []cell{
			{Text: r.ID, Links: []link{{Href: runHref("", r.ID), Text: "open", Title: r.Row}}},
			{Text: r.Row},
			numCell(float64(r.Seed), fmt.Sprint(r.Seed)),
			{Text: r.Stage},
			{Text: strings.Join(dedupe(uses), ", ")},
		}
		for _, d := range datasets {
			for _, m := range ablations.AppendixMetrics {
				v := meanOver(r.Units, d, m)
				row = append(row, numCell(v, formatMetric(v)))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func meanOver(units []ablations.CategoryValue, dataset, metric string) float64 {
	var vals []float64
	for _, u := range units {
		if v, ok := u.Values[metric]; ok && u.Dataset == dataset {
			vals = append(vals, v)
		}
	}
	return ablations.NewStat(vals).Mean
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

type runView struct {
	*run
	Title       string
	Uses        []link
	Metrics     table
	Curves      template.HTMLAttr
	Diagnostics []diagnostics
	Confusion   []confusionView
	Config      string
	Provenance  []provenanceRow
	RawProv     string
	Trained     bool
}

func runPage(in Input, r *run) ([]byte, error) {
	synth := in.Header.Dataset == "synthetic"
	v := runView{run: r, Title: fmt.Sprintf("%s — seed %d", r.Row, r.Seed)}
	for _, u := range r.Uses {
		v.Uses = append(v.Uses, link{Href: "../index.html#table-" + u.Table, Text: "Table " + u.Table, Title: u.Row})
	}
	v.Metrics = table{ID: "metrics", Header: []string{"Dataset", "Category"}}
	metrics := []string{"nmi", "ari", "f1", "precision", "recall", "fpr", "fnr", "aupro"}
	var shown []string
	for _, m := range metrics {
		for _, u := range r.Units {
			if _, ok := u.Values[m]; ok {
				shown = append(shown, m)
				break
			}
		}
	}
	for _, m := range shown {
		v.Metrics.Header = append(v.Metrics.Header, ablations.MetricName(m))
	}
	for _, u := range r.Units {
		row := []cell{{Text: datasetName(u.Dataset, synth)}, {Text: u.Category}}
		for _, m := range shown {
			x, ok := u.Values[m]
			if !ok {
				x = math.NaN()
			}
			row = append(row, numCell(x, formatMetric(x)))
		}
		v.Metrics.Rows = append(v.Metrics.Rows, row)
	}
	ds, err := runDatasets(in, r)
	if err != nil {
		return nil, err
	}
	dirs, titles := trainDirs(in, r, ds)
	v.Trained = len(dirs) > 0
	if svg, err := curvesSVG(dirs, titles); err != nil {
		return nil, err
	} else if svg != nil {
		v.Curves = srcAttr("image/svg+xml", svg)
	}
	if v.Diagnostics, err = readDiagnostics(dirs, titles); err != nil {
		return nil, err
	}
	if v.Confusion, err = confusionTables(in, r, ds); err != nil {
		return nil, err
	}
	cfg, err := json.MarshalIndent(r.Rep.Config, "", "  ")
	if err != nil {
		return nil, err
	}
	v.Config = string(cfg)
	if v.Provenance, v.RawProv, err = provenance(in, r); err != nil {
		return nil, err
	}
	nav := []link{{Href: "../index.html", Text: "Report"}, {Href: "#metrics", Text: "Metrics"}}
	if v.Trained {
		nav = append(nav, link{Href: "#curves", Text: "Training curves"}, link{Href: "#diagnostics", Text: "Diagnostics"}, link{Href: "#confusion", Text: "Confusion"})
	}
	nav = append(nav, link{Href: "#config", Text: "Config"}, link{Href: "#provenance", Text: "Provenance"})
	return execute("run", page{Title: v.Title, Root: "../", Nav: nav, Body: v})
}
