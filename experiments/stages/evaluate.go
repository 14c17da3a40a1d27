package stages

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/detect"
	"github.com/anomalyncd/ancd/core/detecteval"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/merge"
	"github.com/anomalyncd/ancd/core/metrics"
	"github.com/anomalyncd/ancd/experiments"
)

// MetricsFile is the result of an evaluate entry; SummaryFile holds its
// dataset means flat, as "<dataset>.<metric>" -> value (undefined values are
// left out), for aggregation over seeds.
const (
	MetricsFile = "metrics.json"
	SummaryFile = "summary.json"
)

// Values are the metrics of one category, or their mean over a dataset's
// categories. NaN values (undefined for the data) are written as null.
type Values struct {
	NMI float64 `json:"nmi"`
	ARI float64 `json:"ari"`
	F1  float64 `json:"f1"`
	// Precision and Recall are those of the normal ("good") class after
	// Hungarian matching (Table VIII).
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	// FPR and FNR are the mean per-image region rates of the binary masks
	// against the ground truth on defective images (IoU of boxes > 0.1).
	FPR float64 `json:"fpr"`
	FNR float64 `json:"fnr"`
	// AUPRO is the detector's segmentation quality (FPR limit 0.3).
	AUPRO jsonNum `json:"aupro"`
}

// jsonNum writes NaN as null.
type jsonNum float64

func (n jsonNum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) {
		return []byte("null"), nil
	}
	return []byte(fmt.Sprintf("%.6f", float64(n))), nil
}

func (n *jsonNum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = jsonNum(math.NaN())
		return nil
	}
	var f float64
	if _, err := fmt.Sscan(string(b), &f); err != nil {
		return err
	}
	*n = jsonNum(f)
	return nil
}

// CategoryMetrics are the metrics of one category.
type CategoryMetrics struct {
	Category string `json:"category"`
	Images   int    `json:"images"`
	Values
}

// DatasetMetrics are one dataset's per-category metrics and their mean.
type DatasetMetrics struct {
	Name       string            `json:"name"`
	Mean       Values            `json:"mean"`
	Categories []CategoryMetrics `json:"categories"`
}

// Metrics is the content of MetricsFile.
type Metrics struct {
	Datasets []DatasetMetrics `json:"datasets"`
}

// Dataset returns the metrics of the dataset called name.
func (m Metrics) Dataset(name string) (DatasetMetrics, bool) {
	for _, d := range m.Datasets {
		if d.Name == name {
			return d, true
		}
	}
	return DatasetMetrics{}, false
}

// ReadSummary reads the SummaryFile of an evaluate or baseline entry:
// "<dataset>.<metric>" -> value.
func ReadSummary(dir string) (map[string]float64, error) {
	var m map[string]float64
	err := readJSON(filepath.Join(dir, SummaryFile), &m)
	return m, err
}

// ReadMetrics reads an evaluate entry's metrics.
func ReadMetrics(dir string) (Metrics, error) {
	var m Metrics
	err := readJSON(filepath.Join(dir, MetricsFile), &m)
	return m, err
}

// evaluateStage scores the image predictions per category (NMI, ARI, F1
// exactly as the reference, normal-class precision/recall), the binary masks
// against the ground truth (FPR/FNR) and reports the detector's AUPRO;
// dataset values are means over categories.
func evaluateStage(ctx context.Context, job experiments.Job) error {
	dirs, err := inputs(job, experiments.StageData, experiments.StageDetect, experiments.StageBinarize, experiments.StageInfer)
	if err != nil {
		return err
	}
	dataDir, detectDir, binDir, inferDir := dirs[0], dirs[1], dirs[2], dirs[3]
	ds, err := ReadDatasets(dataDir)
	if err != nil {
		return err
	}
	var out Metrics
	for _, d := range ds.Datasets {
		set, err := dataset.Open(d.Format, d.Root)
		if err != nil {
			return err
		}
		det, _, err := detect.ReadReport(filepath.Join(detectDir, d.Name, detect.ReportFile))
		if err != nil {
			return err
		}
		dm := DatasetMetrics{Name: d.Name}
		for _, cat := range d.Categories {
			if err := ctx.Err(); err != nil {
				return err
			}
			cp, err := ReadCategoryPredictions(inferDir, d.Name, cat)
			if err != nil {
				return err
			}
			yTrue, yPred := merge.Labels(cp.Images)
			for i := range yTrue {
				yTrue[i] -= cp.NumBase
				yPred[i] -= cp.NumBase
				if yPred[i] < 0 {
					return fmt.Errorf("evaluate %s/%s: image %s predicted as base class %d", d.Name, cat, cp.Images[i].Image, yPred[i]+cp.NumBase)
				}
			}
			s, err := metrics.ClusterScores(yTrue, yPred, nil)
			if err != nil {
				return fmt.Errorf("evaluate %s/%s: %w", d.Name, cat, err)
			}
			prec, rec := metrics.NormalClassPrecisionRecall(s, slices.Index(cp.Classes, dataset.GoodType))
			fpr, fnr, err := regionRates(set, cat, filepath.Join(binDir, d.Name, "binary_masks", cat))
			if err != nil {
				return err
			}
			aupro := math.NaN()
			if c, ok := det.Category(cat); ok {
				aupro = c.Metrics.AUPRO
			}
			dm.Categories = append(dm.Categories, CategoryMetrics{Category: cat, Images: len(yTrue), Values: Values{
				NMI: s.NMI, ARI: s.ARI, F1: s.F1, Precision: prec, Recall: rec, FPR: fpr, FNR: fnr, AUPRO: jsonNum(aupro)}})
		}
		dm.Mean = meanValues(dm.Categories)
		out.Datasets = append(out.Datasets, dm)
		fmt.Fprintf(job.Log, "%s: NMI %.3f ARI %.3f F1 %.3f\n", d.Name, dm.Mean.NMI, dm.Mean.ARI, dm.Mean.F1)
	}
	if err := writeJSON(filepath.Join(job.Out, SummaryFile), out.Flat()); err != nil {
		return err
	}
	return writeJSON(filepath.Join(job.Out, MetricsFile), out)
}

// Flat returns the dataset means as "<dataset>.<metric>" -> value, leaving
// out undefined (NaN) values.
func (m Metrics) Flat() map[string]float64 {
	flat := map[string]float64{}
	for _, d := range m.Datasets {
		v := d.Mean
		for name, x := range map[string]float64{"nmi": v.NMI, "ari": v.ARI, "f1": v.F1, "precision": v.Precision,
			"recall": v.Recall, "fpr": v.FPR, "fnr": v.FNR, "aupro": float64(v.AUPRO)} {
			if !math.IsNaN(x) {
				flat[d.Name+"."+name] = x
			}
		}
	}
	return flat
}

// regionRates compares the binary masks of a category's defective test
// images with their ground truth (detecteval.MatchRegions) and averages the
// per-image FPR and FNR.
func regionRates(set *dataset.Set, cat, masksDir string) (fpr, fnr float64, err error) {
	samples, err := set.Samples(cat)
	if err != nil {
		return 0, 0, err
	}
	var counts []detecteval.RegionCounts
	for _, s := range samples {
		if s.Split != dataset.SplitTest || s.Type == dataset.GoodType || s.Type == dataset.CombinedType || s.MaskPath == "" {
			continue
		}
		gt, err := imageio.ReadGray(s.MaskPath)
		if err != nil {
			return 0, 0, err
		}
		predPath := filepath.Join(masksDir, s.Type, dataset.FileStem(s.ImagePath)+".png")
		pred, err := imageio.ReadGray(predPath)
		if err != nil {
			return 0, 0, err
		}
		if err := imageio.SameSize(predPath, pred.Rect, s.MaskPath, gt.Rect); err != nil {
			return 0, 0, err
		}
		c, err := detecteval.MatchRegions(detect.MaskBools(pred), detect.MaskBools(gt), gt.Rect.Dx(), gt.Rect.Dy(), detecteval.DefaultMinBoxIoU)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", predPath, err)
		}
		counts = append(counts, c)
	}
	fpr, fnr = detecteval.MeanRegionRates(counts)
	return fpr, fnr, nil
}

// meanValues averages every metric over categories (AUPRO over those where
// it is defined).
func meanValues(cs []CategoryMetrics) Values {
	var v Values
	n := float64(len(cs))
	if n == 0 {
		return v
	}
	var aupro float64
	na := 0
	for _, c := range cs {
		v.NMI += c.NMI / n
		v.ARI += c.ARI / n
		v.F1 += c.F1 / n
		v.Precision += c.Precision / n
		v.Recall += c.Recall / n
		v.FPR += c.FPR / n
		v.FNR += c.FNR / n
		if a := float64(c.AUPRO); !math.IsNaN(a) {
			aupro += a
			na++
		}
	}
	v.AUPRO = jsonNum(math.NaN())
	if na > 0 {
		v.AUPRO = jsonNum(aupro / float64(na))
	}
	return v
}
