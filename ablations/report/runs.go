package report

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"path/filepath"
	"strings"

	"github.com/anomalyncd/ancd/ablations"
	"github.com/anomalyncd/ancd/core/train"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/plots"
	"github.com/anomalyncd/ancd/runners"
)

// use is one table cell row a run fills.
type use struct {
	Table, Row string
}

// run is one run page: one seed of a table row's sweep point, identified by
// the entry that scores it (evaluate, or baseline for baseline rows).
type run struct {
	ID    string
	Stage string // evaluate or baseline
	Key   string
	Seed  int
	// Sweep and Point of the first row that uses the run.
	Sweep, Point string
	// Row is the label of the first row that uses it; Prefix is the
	// baseline's prefix for baseline runs.
	Row, Prefix string
	Uses        []use
	Rep         ablations.Replicate
	// Units are the run's per-category values (of the first row).
	Units []ablations.CategoryValue
}

// runSet is every run of the report, in order of first use.
type runSet struct {
	list []*run
	byID map[string]*run
	// cell[table][row] are the run IDs of a row, in seed order.
	cell map[string]map[string][]string
}

// runID names a run's page: stage, short key and, for baseline rows (one
// baseline entry holds several baselines), the baseline.
func runID(stage, key, prefix string) string {
	id := stage + "-" + runners.ShortKey(key)
	if prefix != "" {
		id += "-" + prefix
	}
	return id
}

func collectRuns(in Input) (*runSet, error) {
	rs := &runSet{byID: map[string]*run{}, cell: map[string]map[string][]string{}}
	for _, t := range in.Tables {
		rs.cell[t.Table.ID] = map[string][]string{}
		for ri, row := range t.Table.Rows {
			reps, err := in.Study.Replicates(t.Table.Sweep, row.Point)
			if err != nil {
				return nil, fmt.Errorf("table %s row %q: %w", t.Table.ID, row.Label, err)
			}
			stage := row.Stage
			if stage == "" {
				stage = experiments.StageEvaluate
			}
			for _, rep := range reps {
				key, ok := rep.Keys[stage]
				if !ok {
					return nil, fmt.Errorf("table %s row %q has no %s stage", t.Table.ID, row.Label, stage)
				}
				id := runID(stage, key, row.Prefix)
				r, ok := rs.byID[id]
				if !ok {
					r = &run{ID: id, Stage: stage, Key: key, Seed: rep.Seed, Sweep: t.Table.Sweep, Point: row.Point,
						Row: row.Label, Prefix: row.Prefix, Rep: rep}
					if ri < len(t.Units) {
						for _, u := range t.Units[ri] {
							if u.Seed == rep.Seed {
								r.Units = append(r.Units, u)
							}
						}
					}
					rs.byID[id] = r
					rs.list = append(rs.list, r)
				}
				r.Uses = append(r.Uses, use{Table: t.Table.ID, Row: row.Label})
				rs.cell[t.Table.ID][row.Label] = append(rs.cell[t.Table.ID][row.Label], id)
			}
		}
	}
	return rs, nil
}

// dataURI embeds bytes of a media type.
func dataURI(mediaType string, b []byte) string {
	return "data:" + mediaType + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// runDatasets returns the datasets of an evaluate run's data entry; none
// for other runs (which have no training or predictions to show).
func runDatasets(in Input, r *run) ([]stages.DatasetRef, error) {
	if r.Stage != experiments.StageEvaluate {
		return nil, nil
	}
	return ablations.DatasetRefs(in.Store, r.Rep.Keys[experiments.StageData])
}

// trainDirs returns the per-category folders of a run's train entry, with
// their "<dataset>/<category>" titles; none for runs without training.
func trainDirs(in Input, r *run, ds []stages.DatasetRef) ([]string, []string) {
	key, ok := r.Rep.Keys[experiments.StageTrain]
	if !ok {
		return nil, nil
	}
	var dirs, titles []string
	for _, d := range ds {
		for _, c := range d.Categories {
			dirs = append(dirs, filepath.Join(in.Store.Dir(experiments.StageTrain, key), d.Name, c))
			titles = append(titles, d.Name+"/"+c)
		}
	}
	return dirs, titles
}

// curvesSVG draws the loss curves of every category of a run's training.
func curvesSVG(dirs, titles []string) ([]byte, error) {
	var runs []plots.TrainingData
	for i, dir := range dirs {
		d, err := ablations.ReadTrainingData(filepath.Join(dir, train.MetricsFile), titles[i])
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(d.Epochs) > 0 {
			runs = append(runs, d)
		}
	}
	if len(runs) == 0 {
		return nil, nil
	}
	return plots.TrainingGridSVG(runs)
}

// diagnostics is a run's diagnostics block: the train stage's
// diagnostics.json of every category as one table, or where there are none
// the per-epoch losses of each category's metrics.jsonl.
type diagnostics struct {
	Title  string
	Source string // file name it comes from
	T      table
}

// readDiagnostics returns the diagnostics block of a run's training.
func readDiagnostics(dirs, titles []string) ([]diagnostics, error) {
	t := table{ID: "diagnostics-table", Header: []string{"Category", "Crops", "Classes", "Mean cosine before", "Mean cosine after",
		"k-means NMI, filter bank", "k-means NMI before", "k-means NMI after", "Head NMI", "Head clusters"}}
	for i, dir := range dirs {
		d, err := train.ReadDiagnostics(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		head, headText := math.NaN(), ""
		if d.After.HeadNMI != nil {
			head, headText = *d.After.HeadNMI, formatNumber(*d.After.HeadNMI)
		}
		prior, priorText := math.NaN(), "n/a"
		if d.PriorKMeansNMI != nil {
			prior, priorText = *d.PriorKMeansNMI, formatNumber(*d.PriorKMeansNMI)
		}
		t.Rows = append(t.Rows, []cell{{Text: titles[i]},
			numCell(float64(d.Crops), fmt.Sprint(d.Crops)), numCell(float64(d.Classes), fmt.Sprint(d.Classes)),
			numCell(d.Before.MeanCosine, formatNumber(d.Before.MeanCosine)), numCell(d.After.MeanCosine, formatNumber(d.After.MeanCosine)),
			numCell(prior, priorText),
			numCell(d.Before.KMeansNMI, formatNumber(d.Before.KMeansNMI)), numCell(d.After.KMeansNMI, formatNumber(d.After.KMeansNMI)),
			numCell(head, headText), numCell(float64(d.After.HeadClusters), fmt.Sprint(d.After.HeadClusters))})
	}
	if len(t.Rows) > 0 {
		return []diagnostics{{Title: "Features before and after fine-tuning", Source: train.DiagnosticsFile, T: t}}, nil
	}
	var out []diagnostics
	for i, dir := range dirs {
		t, err := lossTable(filepath.Join(dir, train.MetricsFile))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, diagnostics{Title: titles[i], Source: train.MetricsFile, T: t})
	}
	return out, nil
}

// lossTable lists the per-epoch records of a metrics.jsonl: epoch, the
// losses, the batches trained and skipped, the learning rate and the
// teacher temperature.
func lossTable(path string) (table, error) {
	epochs, err := train.ReadMetrics(path)
	if err != nil {
		return table{}, err
	}
	t := table{Header: []string{"epoch"}}
	for _, l := range ablations.Losses {
		t.Header = append(t.Header, l.Name)
	}
	t.Header = append(t.Header, "batches", "skipped", "lr", "teacher_temp")
	for _, m := range epochs {
		row := []cell{numCell(float64(m.Epoch), fmt.Sprint(m.Epoch))}
		for _, l := range ablations.Losses {
			row = append(row, numCell(l.Of(m), formatNumber(l.Of(m))))
		}
		row = append(row, numCell(float64(m.Batches), fmt.Sprint(m.Batches)), numCell(float64(m.Skipped), fmt.Sprint(m.Skipped)),
			numCell(m.LR, formatNumber(m.LR)), numCell(m.TeacherTemp, formatNumber(m.TeacherTemp)))
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func formatNumber(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.4g", x)
}

// confusionView is one category's Hungarian-mapped confusion matrix as an
// HTML table, each cell shaded by the share of its true class.
type confusionView struct {
	Title    string
	Accuracy string
	Classes  []string
	Rows     []confusionRow
}

type confusionRow struct {
	Class string
	Cells []confusionCell
}

type confusionCell struct {
	Count int
	Style template.CSS
}

// confusionTables returns the confusion matrices of a run's image
// predictions; none for runs without an infer stage.
func confusionTables(in Input, r *run, ds []stages.DatasetRef) ([]confusionView, error) {
	key, ok := r.Rep.Keys[experiments.StageInfer]
	if !ok || len(ds) == 0 {
		return nil, nil
	}
	panels, err := ablations.ConfusionPanels(in.Store.Dir(experiments.StageInfer, key), ds)
	if err != nil {
		return nil, err
	}
	var out []confusionView
	for _, p := range panels {
		v := confusionView{Title: p.Title, Classes: p.Classes}
		total, correct := 0, 0
		for i, row := range p.Counts {
			sum := 0
			for _, n := range row {
				sum += n
			}
			cr := confusionRow{Class: p.Classes[i]}
			for j, n := range row {
				total += n
				if i == j {
					correct += n
				}
				share := 0.0
				if sum > 0 {
					share = float64(n) / float64(sum)
				}
				cr.Cells = append(cr.Cells, confusionCell{Count: n, Style: shade(share)})
			}
			v.Rows = append(v.Rows, cr)
		}
		if total > 0 {
			v.Accuracy = fmt.Sprintf("accuracy %.3f, n = %d", float64(correct)/float64(total), total)
		}
		out = append(out, v)
	}
	return out, nil
}

// shade is a cell's background from white (share 0) to dark blue (1), with
// white text on dark cells (the colours of plots.ConfusionFigure).
func shade(share float64) template.CSS {
	share = math.Max(0, math.Min(1, share))
	lerp := func(a, b float64) int { return int(math.Round(a + (b-a)*share)) }
	fg := "#1b1f24"
	if share > 0.6 {
		fg = "#ffffff"
	}
	return template.CSS(fmt.Sprintf("background:#%02x%02x%02x;color:%s", lerp(0xf7, 0x08), lerp(0xfb, 0x30), lerp(0xff, 0x6b), fg))
}

// provenanceRow is one entry of a run's provenance chain.
type provenanceRow struct {
	Stage, Key, Short, Seed, Commit, Go, Host, Start, End, Inputs string
}

// provenance returns the provenance of every entry the run depends on, in
// pipeline order, and the raw PROVENANCE.json of the run's own entry.
func provenance(in Input, r *run) ([]provenanceRow, string, error) {
	need := map[string]bool{r.Stage: true}
	pipe := in.Study.Pipeline
	for i := len(pipe) - 1; i >= 0; i-- { // inputs come before their users
		if need[pipe[i].Name] {
			for _, s := range pipe[i].Inputs {
				need[s] = true
			}
		}
	}
	var rows []provenanceRow
	raw := ""
	for _, st := range pipe {
		if !need[st.Name] {
			continue
		}
		key := r.Rep.Keys[st.Name]
		p, data, err := in.Store.ReadProvenanceFile(st.Name, key)
		if err != nil {
			return nil, "", fmt.Errorf("provenance of %s/%s: %w", st.Name, key, err)
		}
		commit := p.Build.GitCommit
		if p.Build.GitDirty {
			commit += " (dirty)"
		}
		var inputs []string
		for _, inp := range p.Inputs {
			how := "made in the same run as this entry"
			if inp.Cached {
				how = "from cache"
			}
			inputs = append(inputs, fmt.Sprintf("%s %s (%s)", inp.Stage, runners.ShortKey(inp.Key), how))
		}
		rows = append(rows, provenanceRow{Stage: st.Name, Key: key, Short: runners.ShortKey(key), Seed: fmt.Sprint(p.Seed), Commit: commit,
			Go: p.Build.GoVersion, Host: p.Build.Host, Start: p.Start.UTC().Format("2006-01-02 15:04:05Z"),
			End: p.End.UTC().Format("2006-01-02 15:04:05Z"), Inputs: strings.Join(inputs, "; ")})
		if st.Name == r.Stage {
			raw = string(data)
		}
	}
	return rows, raw, nil
}
