package ablations

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/mebin"
	"github.com/anomalyncd/ancd/core/train"
	"github.com/anomalyncd/ancd/core/tsne"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/plots"
	"github.com/anomalyncd/ancd/results"
)

// Sweep points the figures read (see configs/tables).
const (
	sweepDefault   = "tables/table2.yaml" // the default configuration (MuSc + AnomalyNCD)
	pointDefault   = "AnomalyNCD"         // its point in sweepDefault
	sweepDetectors = "tables/table1.yaml"
	sweepFig7      = "tables/fig7.yaml"
)

// figureList is every figure of the study: file name (no extension), title,
// drawing function.
type figure struct {
	file, title string
	draw        func(store *results.Store, s *Study, out string) error
}

func figureList() []figure {
	return []figure{
		{"fig3_mebin", "Fig. 3 — MEBin: regions vs threshold, stable interval and mask (MuSc, PatchCore)", mebinFigure},
		{"fig7_thresholds", "Fig. 7 — NMI vs fixed threshold per detector, MEBin dashed", thresholdFigure},
		{"fig8_tsne", "Fig. 8 — t-SNE of crop features: w/o MGA, MGA w/o D^l, MGA with D^l", tsneFigure},
		{"training_curves", "Training curves of the default configuration (first category, first seed)", curvesFigure},
		{"fig11_multilabel", "Fig. 11 — combined-type images: per-crop and merged class probabilities (multi-label)", multiLabelFigure},
		{"training_diagnostics", "Training diagnostics of the default configuration: crop-level NMI of k-means on the training-free filter bank, the backbone's and the fine-tuned features, and of the head (mean over seeds)", diagnosticsFigure},
		{"confusion", "Confusion matrices of the default configuration (MuSc + AnomalyNCD, first seed) per category, after the Hungarian mapping of the evaluation", confusionFigure},
		{"fig9_attention", "Fig. 4/9/10 — CLS-token attention per block on defect crops: with mask-guided attention on CLS (top rows) and without (bottom rows)", attentionFigure},
	}
}

// FigureFiles are the file names (without .png/.svg) of the study's figures.
func FigureFiles() []string {
	var out []string
	for _, f := range figureList() {
		out = append(out, f.file)
	}
	return out
}

// WriteFigures draws the figures of the study into dir (PNG and SVG) and
// returns them with paths relative to relTo. A figure whose data the study
// lacks is skipped with a reason in the returned notes.
func WriteFigures(store *results.Store, s *Study, dir, relTo string) ([]Figure, []string, error) {
	list := figureList()
	var figs []Figure
	var notes []string
	for _, f := range list {
		out := filepath.Join(dir, f.file)
		err := f.draw(store, s, out)
		if errors.Is(err, errNoCheckpoint) {
			notes = append(notes, f.title+": not drawn, the model is too large for the train stage to keep its checkpoint.")
			continue
		}
		var sk skipped
		if errors.As(err, &sk) {
			notes = append(notes, f.title+": not drawn, "+string(sk)+".")
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("figure %s: %w", f.title, err)
		}
		png, _ := plots.Paths(out)
		r, err := filepath.Rel(relTo, png)
		if err != nil {
			r = png
		}
		figs = append(figs, Figure{Title: f.title, Path: filepath.ToSlash(r)})
	}
	return figs, notes, nil
}

// pointEntry returns the stage keys of a sweep point's first replicate and
// the first dataset of its data entry.
func pointEntry(store *results.Store, s *Study, sweep, label string) (map[string]string, stages.DatasetRef, error) {
	keys, err := s.Keys(sweep, label)
	if err != nil {
		return nil, stages.DatasetRef{}, err
	}
	d, err := firstCategory(store, keys[0])
	return keys[0], d, err
}

// firstCategory returns the first dataset of a point's data entry, its
// roots absolute, checking that it has a category.
func firstCategory(store *results.Store, keys map[string]string) (stages.DatasetRef, error) {
	ds, err := stages.ReadDatasets(store.Dir(experiments.StageData, keys[experiments.StageData]))
	if err != nil {
		return stages.DatasetRef{}, err
	}
	if len(ds.Datasets) == 0 || len(ds.Datasets[0].Categories) == 0 {
		return stages.DatasetRef{}, fmt.Errorf("no dataset in the data entry")
	}
	return ds.Datasets[0], nil
}

// binarizeReport returns the folder of dataset d in a point's binarize
// entry and the MEBin report there.
func binarizeReport(store *results.Store, keys map[string]string, d stages.DatasetRef) (string, crop.Report, error) {
	dir := filepath.Join(store.Dir(experiments.StageBinarize, keys[experiments.StageBinarize]), d.Name)
	rep, err := crop.ReadReport(dir)
	return dir, rep, err
}

func mebinFigure(store *results.Store, s *Study, out string) error {
	var rows []plots.MEBinData
	for _, p := range []struct{ sweep, label, title string }{
		{sweepDefault, pointDefault, "MuSc"},
		{sweepDetectors, "detect.method=patchcore", "PatchCore"},
	} {
		keys, d, err := pointEntry(store, s, p.sweep, p.label)
		if err != nil {
			return err
		}
		binDir, rep, err := binarizeReport(store, keys, d)
		if err != nil {
			return err
		}
		// the first defective map of the first category
		var rec *crop.Record
		for i := range rep.Maps {
			parts := strings.Split(rep.Maps[i].File, "/")
			if len(parts) == 3 && parts[0] == d.Categories[0] && parts[1] != "good" && parts[1] != "combined" {
				rec = &rep.Maps[i]
				break
			}
		}
		if rec == nil || len(rec.Counts) == 0 {
			return fmt.Errorf("%s: no MEBin record of a defective map", binDir)
		}
		m, err := imageio.ReadGray(filepath.Join(store.Dir(experiments.StageDetect, keys[experiments.StageDetect]), d.Name, filepath.FromSlash(rec.File)))
		if err != nil {
			return err
		}
		stem := strings.TrimSuffix(filepath.Base(rec.File), filepath.Ext(rec.File))
		mask, err := imageio.ReadGray(filepath.Join(binDir, "binary_masks", filepath.Dir(filepath.FromSlash(rec.File)), stem+".png"))
		if err != nil {
			return err
		}
		start, end, ok := mebin.StableInterval(rec.Counts, mebin.DefaultMinIntervalLen)
		if !ok {
			start, end = -1, -1
		}
		rows = append(rows, plots.MEBinData{Title: p.title + ": " + rec.File, Thresholds: mebin.Thresholds(mebin.DefaultSampleRate),
			Counts: rec.Counts, IntervalStart: start, IntervalEnd: end, Map: m, Mask: mask})
	}
	return plots.MEBinFigure(out, rows)
}

func thresholdFigure(store *results.Store, s *Study, out string) error {
	var series []plots.ThresholdSeries
	for _, det := range []struct{ key, name string }{{"musc", "MuSc"}, {"patchcore", "PatchCore"}, {"padim", "PaDiM"}} {
		ser := plots.ThresholdSeries{Detector: det.name, MEBin: math.NaN()}
		for _, label := range s.Labels(sweepFig7) {
			cfg, err := s.Config(sweepFig7, label)
			if err != nil {
				return err
			}
			if cfg.Detect.Method != det.key {
				continue
			}
			sums, err := s.Summaries(store, sweepFig7, label, "")
			if err != nil {
				return err
			}
			vals := make([]float64, len(sums))
			for i, m := range sums {
				v, ok := m["mvtec.nmi"]
				if !ok {
					return skipped("it plots MVTec AD results, which this study has none of")
				}
				vals[i] = v
			}
			mean := NewStat(vals).Mean
			if cfg.Binarize.Method == "mebin" {
				ser.MEBin = mean
				continue
			}
			ser.Theta = append(ser.Theta, cfg.Binarize.Theta)
			ser.Value = append(ser.Value, mean)
		}
		if len(ser.Theta) > 0 {
			series = append(series, ser)
		}
	}
	return plots.ThresholdFigure(out, plots.ThresholdData{Metric: "NMI (MVTec AD-like)", Series: series})
}

func tsneFigure(store *results.Store, s *Study, out string) error {
	var panels []plots.TSNEPanel
	for _, p := range []struct{ sweep, label, title string }{
		{"tables/table4.yaml", "(a) w/o mask-guided attention", "w/o MGA"},
		{"tables/table9.yaml", "w/o D^l", "MGA w/o D^l"},
		{"tables/table9.yaml", "w D^l", "MGA + D^l"},
	} {
		keys, d, err := pointEntry(store, s, p.sweep, p.label)
		if err != nil {
			return err
		}
		dir := filepath.Join(store.Dir(experiments.StageTrain, keys[experiments.StageTrain]), d.Name, d.Categories[0])
		preds, err := train.ReadPredictions(dir)
		if err != nil {
			return err
		}
		f, err := checkpoint.ReadFile(filepath.Join(dir, train.FeaturesFile))
		if err != nil {
			return err
		}
		feat, ok := f.Lookup("features")
		if !ok || len(feat.Shape) != 2 {
			return fmt.Errorf("%s: no features tensor", dir)
		}
		n, dim := feat.Shape[0], feat.Shape[1]
		x := make([][]float64, n)
		var classes []string
		labels := make([]int, n)
		for i := range x {
			x[i] = make([]float64, dim)
			for j := range x[i] {
				x[i][j] = float64(feat.Data[i*dim+j])
			}
			typ, _, _ := strings.Cut(preds.Crops[i].Group, "/")
			k := slices.Index(classes, typ)
			if k < 0 {
				classes = append(classes, typ)
				k = len(classes) - 1
			}
			labels[i] = k
		}
		tp := tsne.DefaultParams() // the exact t-SNE
		tp.Perplexity = math.Min(30, float64(n-1)/3)
		tp.Seed = 3407
		emb, err := tsne.Embed(x, tp)
		if err != nil {
			return fmt.Errorf("t-SNE of %s: %w", dir, err)
		}
		panels = append(panels, plots.TSNEPanel{Title: p.title + " (" + d.Categories[0] + ")", Points: emb, Labels: labels, Classes: classes})
	}
	return plots.TSNEFigure(out, panels)
}

func curvesFigure(store *results.Store, s *Study, out string) error {
	keys, d, err := pointEntry(store, s, sweepDefault, pointDefault)
	if err != nil {
		return err
	}
	path := filepath.Join(store.Dir(experiments.StageTrain, keys[experiments.StageTrain]), d.Name, d.Categories[0], train.MetricsFile)
	data, err := ReadTrainingData(path, "MGCRL losses, "+d.Name+"/"+d.Categories[0])
	if err != nil {
		return err
	}
	return plots.TrainingCurves(out, data)
}

// Losses are the losses of a train metrics.jsonl record that the training
// curves draw, in drawing order.
var Losses = []struct {
	Name string
	Of   func(train.EpochMetrics) float64
}{
	{"total", func(m train.EpochMetrics) float64 { return m.Total }},
	{"contrastive", func(m train.EpochMetrics) float64 { return m.Contrastive }},
	{"supcon", func(m train.EpochMetrics) float64 { return m.SupCon }},
	{"cls", func(m train.EpochMetrics) float64 { return m.Cls }},
	{"cluster", func(m train.EpochMetrics) float64 { return m.Cluster }},
}

// ReadTrainingData reads a train metrics.jsonl into loss curves.
func ReadTrainingData(path, title string) (plots.TrainingData, error) {
	epochs, err := train.ReadMetrics(path)
	if err != nil {
		return plots.TrainingData{}, err
	}
	data := plots.TrainingData{Title: title}
	for _, m := range epochs {
		data.Epochs = append(data.Epochs, float64(m.Epoch))
	}
	for _, l := range Losses {
		values := make([]float64, len(epochs))
		for i, m := range epochs {
			values[i] = l.Of(m)
		}
		data.Series = append(data.Series, plots.NamedSeries{Name: l.Name, Values: values})
	}
	return data, nil
}

func multiLabelFigure(store *results.Store, s *Study, out string) error {
	keys, d, err := pointEntry(store, s, sweepDefault, pointDefault)
	if err != nil {
		return err
	}
	binDir, rep, err := binarizeReport(store, keys, d)
	if err != nil {
		return err
	}
	var items []plots.MultiLabelItem
	for _, cat := range d.Categories {
		cp, err := stages.ReadCombinedPredictions(store.Dir(experiments.StageInfer, keys[experiments.StageInfer]), d.Name, cat)
		if errors.Is(err, fs.ErrNotExist) {
			continue // this category has no combined-type images
		}
		if err != nil {
			return err
		}
		for _, im := range cp.Images {
			if len(items) == 4 {
				break
			}
			var rec *crop.Record
			for i := range rep.Maps {
				if strings.TrimSuffix(rep.Maps[i].File, filepath.Ext(rep.Maps[i].File)) == cat+"/"+strings.TrimSuffix(im.Image, ".png") {
					rec = &rep.Maps[i]
				}
			}
			if rec == nil || rec.Image == "" {
				return fmt.Errorf("%s: no binarize record for %s/%s", binDir, cat, im.Image)
			}
			rgb, err := imageio.ReadRGB(filepath.Join(d.Root, filepath.FromSlash(rec.Image)))
			if err != nil {
				return err
			}
			var boxes [][4]float64
			for _, b := range rec.Boxes {
				boxes = append(boxes, [4]float64{float64(b[0]), float64(b[1]), float64(b[2]), float64(b[3])})
			}
			novel := func(p []float64) []float64 { return p[cp.NumBase:] }
			var cropProbs [][]float64
			for _, p := range im.CropProbs {
				cropProbs = append(cropProbs, novel(p))
			}
			items = append(items, plots.MultiLabelItem{Title: cat + "/" + im.Image, Image: rgb, Boxes: boxes,
				Classes: cp.Classes, CropProbs: cropProbs, ImageProbs: novel(im.Probs), Threshold: cp.Threshold})
		}
	}
	if len(items) == 0 {
		return skipped("the dataset has no combined-type images")
	}
	return plots.MultiLabelFigure(out, items)
}

// skipped is returned by a figure whose input the study lacks (no
// combined-type images, no MVTec AD data): the figure is left out with the
// reason as a note in RESULTS.md.
type skipped string

func (s skipped) Error() string { return string(s) }

// errNoCheckpoint: the train entry kept no model (see stages.KeepCheckpointBytes).
var errNoCheckpoint = errors.New("no kept checkpoint")

// attentionFigure draws the [CLS] attention of two trained models (mask on
// [CLS], no mask guidance) on the first defect crops of the first category.
func attentionFigure(store *results.Store, s *Study, out string) error {
	var rows []plots.AttentionRow
	for _, p := range []struct{ label, title string }{
		{"(d) mask on [CLS] token", "MGA on [CLS]"},
		{"(a) w/o mask-guided attention", "w/o MGA"},
	} {
		const sweep = "tables/table4.yaml"
		keys, d, err := pointEntry(store, s, sweep, p.label)
		if err != nil {
			return err
		}
		cfg, err := s.Config(sweep, p.label)
		if err != nil {
			return err
		}
		cat := d.Categories[0]
		ckpt := filepath.Join(store.Dir(experiments.StageTrain, keys[experiments.StageTrain]), d.Name, cat, train.CheckpointFile)
		if _, err := os.Stat(ckpt); err != nil {
			return errNoCheckpoint
		}
		cp, err := stages.ReadCategoryPredictions(store.Dir(experiments.StageInfer, keys[experiments.StageInfer]), d.Name, cat)
		if err != nil {
			return err
		}
		model, err := LoadModelFromCheckpoint(stages.ModelConfig(cfg, cp.NumBase, len(cp.Classes), uint64(cfg.Experiment.Seed)), ckpt)
		if err != nil {
			return err
		}
		items, root, err := stages.ReadCropItems(store.Dir(experiments.StageCrop, keys[experiments.StageCrop]))
		if err != nil {
			return err
		}
		var inputs []AttentionInput
		types := map[string]bool{}
		for _, it := range items {
			if it.Dataset != d.Name || it.Category != cat || it.Type == "good" || it.Type == "combined" || types[it.Type] || len(inputs) == 2 {
				continue
			}
			types[it.Type] = true
			img, err := imageio.ReadRGB(filepath.Join(root, it.Image))
			if err != nil {
				return err
			}
			mask, err := imageio.ReadGray(filepath.Join(root, it.Mask))
			if err != nil {
				return err
			}
			inputs = append(inputs, AttentionInput{Title: p.title + ": " + it.Group, Image: img, Mask: mask})
		}
		depth := cfg.Model.Depth
		blocks := []int{0, depth / 4, depth / 2, 3 * depth / 4, depth - 1}
		r, err := AttentionRows(model, inputs, slices.Compact(blocks))
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	return plots.AttentionFigure(out, rows)
}
