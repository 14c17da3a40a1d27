package ablations

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/core/train"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/plots"
	"github.com/anomalyncd/ancd/results"
)

// DiagnosticsRow is one category's training diagnostics in the default
// configuration, each value aggregated over seeds.
type DiagnosticsRow struct {
	Dataset, Category string
	Crops             int  // unlabelled crops (first seed)
	KMeansPrior       Stat // crop-level NMI of k-means on the training-free filter-bank features (n/a for entries without it)
	CosBefore         Stat // mean pairwise cosine of the features from the loaded backbone
	CosAfter          Stat // ... after fine-tuning
	KMeansBefore      Stat // crop-level NMI of k-means on the backbone's features
	KMeansAfter       Stat // ... on the fine-tuned features
	Head              Stat // crop-level NMI of the chosen head
	HeadClusters      Stat // distinct novel clusters the head predicts
	Classes           int  // true classes among the crops
}

// TrainingDiagnostics reads the train stage's diagnostics (core/train
// Diagnostics) of the default configuration's replicates, one row per
// dataset and category. A train entry without diagnostics gives no rows.
func TrainingDiagnostics(store *results.Store, s *Study) ([]DiagnosticsRow, error) {
	keys, err := s.Keys(sweepDefault, pointDefault)
	if err != nil {
		return nil, err
	}
	type cell struct{ p, cb, ca, kb, ka, h, hc []float64 }
	cells := map[[2]string]*cell{}
	var order [][2]string
	rows := map[[2]string]*DiagnosticsRow{}
	for _, k := range keys {
		dir := store.Dir(experiments.StageTrain, k[experiments.StageTrain])
		files, err := fs.Glob(os.DirFS(dir), "*/*/"+train.DiagnosticsFile)
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		for _, f := range files {
			catDir := filepath.Join(dir, filepath.Dir(f))
			d, err := train.ReadDiagnostics(catDir)
			if err != nil {
				return nil, err
			}
			id := [2]string{filepath.Dir(filepath.Dir(f)), filepath.Base(filepath.Dir(f))}
			c, ok := cells[id]
			if !ok {
				c = &cell{}
				cells[id] = c
				order = append(order, id)
				rows[id] = &DiagnosticsRow{Dataset: id[0], Category: id[1], Crops: d.Crops, Classes: d.Classes}
			}
			prior := math.NaN()
			if d.PriorKMeansNMI != nil {
				prior = *d.PriorKMeansNMI
			}
			c.p = append(c.p, prior)
			c.cb, c.ca = append(c.cb, d.Before.MeanCosine), append(c.ca, d.After.MeanCosine)
			c.kb, c.ka = append(c.kb, d.Before.KMeansNMI), append(c.ka, d.After.KMeansNMI)
			if d.After.HeadNMI == nil {
				return nil, errors.New(filepath.Join(catDir, train.DiagnosticsFile) + ": no head NMI")
			}
			c.h, c.hc = append(c.h, *d.After.HeadNMI), append(c.hc, float64(d.After.HeadClusters))
		}
	}
	var out []DiagnosticsRow
	for _, id := range order {
		c, r := cells[id], rows[id]
		r.KMeansPrior = NewStat(c.p)
		r.CosBefore, r.CosAfter = NewStat(c.cb), NewStat(c.ca)
		r.KMeansBefore, r.KMeansAfter = NewStat(c.kb), NewStat(c.ka)
		r.Head, r.HeadClusters = NewStat(c.h), NewStat(c.hc)
		out = append(out, *r)
	}
	return out, nil
}

// renderDiagnostics writes the "Training diagnostics" section.
func renderDiagnostics(b *bytes.Buffer, rows []DiagnosticsRow, synthetic bool) error {
	fmt.Fprintf(b, "\n## Training diagnostics\n\n")
	fmt.Fprintf(b, "Default configuration (MuSc + AnomalyNCD), per category, mean ± std over seeds, at the crop level "+
		"(every unlabelled crop, its true class being its image's anomaly type). *Cosine* is the mean pairwise cosine "+
		"similarity of the [CLS] features (1 = collapsed: every crop looks the same). *k-means* is the NMI of k-means "+
		"(k = true classes) on those features: before = the loaded backbone, after = fine-tuned. *Filter bank* is the same "+
		"k-means on training-free features of the same crops: the filter bank the filter-bank stem and the Anomaly Clustering "+
		"baseline use, averaged over the crop with the mask as weights (the prior, read out the way mask guidance reads a crop). "+
		"*Head* is the NMI of the "+
		"reported head's argmax over the novel classes, with the number of distinct clusters it uses. A run that learns "+
		"has a backbone above the filter bank, a head at least as good as k-means on its own features, and fine-tuned "+
		"features at least as good as the backbone's.\n\n")
	header := []string{"Category", "Crops", "Classes", "Cosine before", "Cosine after", "k-means NMI, filter bank", "k-means NMI before", "k-means NMI after", "Head NMI", "Head clusters"}
	var table [][]string
	for _, r := range rows {
		table = append(table, []string{
			datasetTitle(r.Dataset, synthetic) + " / " + r.Category, fmt.Sprint(r.Crops), fmt.Sprint(r.Classes),
			r.CosBefore.Format(), r.CosAfter.Format(), r.KMeansPrior.Format(), r.KMeansBefore.Format(), r.KMeansAfter.Format(), r.Head.Format(),
			fmt.Sprintf("%.1f", r.HeadClusters.Mean),
		})
	}
	return markdownTable(b, header, table)
}

// diagnosticsFigure draws the default configuration's diagnostics (see
// TrainingDiagnostics) as grouped bars per category; the filter-bank bars
// only when every category has them.
func diagnosticsFigure(store *results.Store, s *Study, out string) error {
	rows, err := TrainingDiagnostics(store, s)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return errors.New("the default configuration's train entries hold no diagnostics")
	}
	d := plots.DiagnosticsData{Title: "Training diagnostics, default configuration (crop level, mean over seeds)", YLabel: "NMI"}
	var prior, before, after, head []float64
	for _, r := range rows {
		d.Categories = append(d.Categories, r.Category)
		prior = append(prior, r.KMeansPrior.Mean)
		before, after, head = append(before, r.KMeansBefore.Mean), append(after, r.KMeansAfter.Mean), append(head, r.Head.Mean)
	}
	if !slices.ContainsFunc(prior, math.IsNaN) { // train entries written before the prior existed have none
		d.Series = append(d.Series, plots.NamedSeries{Name: "k-means, filter bank (training-free)", Values: prior})
	}
	d.Series = append(d.Series,
		plots.NamedSeries{Name: "k-means, backbone features", Values: before},
		plots.NamedSeries{Name: "k-means, fine-tuned features", Values: after},
		plots.NamedSeries{Name: "reported head", Values: head})
	return plots.DiagnosticsFigure(out, d)
}
