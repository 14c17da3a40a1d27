package train

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/anomalyncd/ancd/core/baselines"
	"github.com/anomalyncd/ancd/core/metrics"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// DiagnosticsFile holds a run's [Diagnostics] (written by the study's
// train stage next to the predictions).
const DiagnosticsFile = "diagnostics.json"

// FeatureDiagnostics describe one set of crop features against the crops'
// true classes: how spread out they are and how well they cluster.
type FeatureDiagnostics struct {
	// MeanCosine is the mean pairwise cosine similarity of the features
	// (1 = every crop has the same feature: collapsed).
	MeanCosine float64 `json:"mean_cosine"`
	// KMeansNMI is the crop-level NMI of k-means (k = number of true
	// classes present) on the features.
	KMeansNMI float64 `json:"kmeans_nmi"`
	// HeadNMI is the crop-level NMI of the chosen head's argmax over the
	// novel columns (absent for features that had no trained head).
	HeadNMI *float64 `json:"head_nmi,omitempty"`
	// HeadClusters is how many distinct novel clusters the head predicts.
	HeadClusters int `json:"head_clusters,omitempty"`
}

// Diagnostics tell whether a run learned: the unlabelled crops' features
// before fine-tuning (the loaded backbone) and after it.
type Diagnostics struct {
	Crops   int `json:"crops"`
	Classes int `json:"classes"` // true classes present among the crops
	// PriorKMeansNMI is the crop-level NMI of k-means on the crops'
	// training-free filter-bank features (FilterBankFeatures): what the
	// prior alone gives. Absent when not computed.
	PriorKMeansNMI *float64           `json:"prior_kmeans_nmi,omitempty"`
	Before         FeatureDiagnostics `json:"before"`
	After          FeatureDiagnostics `json:"after"`
}

// NewDiagnostics describes a run: before are the unlabelled crops' features
// from the loaded backbone, preds the run's predictions (features after
// training and the chosen head's logits), truth each crop's true class,
// numLabeled the number of base classes; seed seeds the k-means. prior,
// when not nil, are the crops' training-free features (FilterBankFeatures)
// for PriorKMeansNMI.
func NewDiagnostics(before [][]float32, preds Predictions, truth []int, numLabeled int, seed uint64, prior [][]float32) (Diagnostics, error) {
	d := Diagnostics{Crops: len(truth), Classes: distinct(truth)}
	var err error
	if prior != nil {
		p, err := DescribeFeatures(prior, truth, seed)
		if err != nil {
			return d, err
		}
		d.PriorKMeansNMI = &p.KMeansNMI
	}
	if d.Before, err = DescribeFeatures(before, truth, seed); err != nil {
		return d, err
	}
	if d.After, err = DescribeFeatures(preds.Features, truth, seed); err != nil {
		return d, err
	}
	DescribeHead(&d.After, preds, truth, numLabeled)
	return d, nil
}

// MeanPairwiseCosine is the mean cosine similarity over all pairs i < j of
// rows of f (0 for fewer than two rows). Rows need not be normalised.
func MeanPairwiseCosine(f [][]float32) float64 {
	n := len(f)
	if n < 2 {
		return 0
	}
	norms := make([]float64, n)
	for i, v := range f {
		var s float64
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		norms[i] = math.Sqrt(s)
	}
	var sum float64
	for i := range n {
		for j := i + 1; j < n; j++ {
			if norms[i] == 0 || norms[j] == 0 {
				continue
			}
			var d float64
			for k := range f[i] {
				d += float64(f[i][k]) * float64(f[j][k])
			}
			sum += d / (norms[i] * norms[j])
		}
	}
	return sum / float64(n*(n-1)/2)
}

// DescribeFeatures computes MeanCosine and KMeansNMI of features against
// the true class of each row (k-means seeded with seed).
func DescribeFeatures(features [][]float32, truth []int, seed uint64) (FeatureDiagnostics, error) {
	if len(features) != len(truth) {
		return FeatureDiagnostics{}, fmt.Errorf("train: %d features for %d labels", len(features), len(truth))
	}
	d := FeatureDiagnostics{MeanCosine: MeanPairwiseCosine(features)}
	k := distinct(truth)
	if k < 2 || len(features) < k {
		return d, nil
	}
	x := make([][]float64, len(features))
	for i, f := range features {
		x[i] = make([]float64, len(f))
		for j, v := range f {
			x[i][j] = float64(v)
		}
	}
	labels, err := baselines.KMeans(x, k, seed, baselines.KMeansParams{})
	if err != nil {
		return d, err
	}
	d.KMeansNMI = metrics.NMI(truth, labels)
	return d, nil
}

// DescribeHead adds the chosen head's crop-level NMI to d: each crop is
// assigned the argmax of its logits over the novel columns (>= numLabeled).
func DescribeHead(d *FeatureDiagnostics, p Predictions, truth []int, numLabeled int) {
	pred := make([]int, len(p.Crops))
	for i, c := range p.Crops {
		best := numLabeled
		for j := numLabeled; j < len(c.Logits); j++ {
			if c.Logits[j] > c.Logits[best] {
				best = j
			}
		}
		pred[i] = best
	}
	nmi := metrics.NMI(truth, pred)
	d.HeadNMI = &nmi
	d.HeadClusters = distinct(pred)
}

func distinct(v []int) int {
	seen := map[int]bool{}
	for _, x := range v {
		seen[x] = true
	}
	return len(seen)
}

// Write stores d as DiagnosticsFile in dir (atomically).
func (d Diagnostics) Write(dir string) error {
	js, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, DiagnosticsFile), append(js, '\n'))
}

// ReadDiagnostics reads the DiagnosticsFile of dir.
func ReadDiagnostics(dir string) (Diagnostics, error) {
	var d Diagnostics
	b, err := os.ReadFile(filepath.Join(dir, DiagnosticsFile))
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("%s: %w", filepath.Join(dir, DiagnosticsFile), err)
	}
	return d, nil
}
