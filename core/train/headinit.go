package train

import (
	"fmt"
	"strings"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/baselines"
	"github.com/anomalyncd/ancd/core/optim"
)

// How the classifier heads start (Config.HeadInit).
const (
	// HeadInitRandom keeps the model's own initialisation (the reference:
	// truncated normal, std 0.02). The zero value "" means the same.
	HeadInitRandom = "random"
	// HeadInitKMeans starts each head from the features of the loaded
	// backbone before the first epoch: the novel rows are the centroids of
	// a k-means (k = number of novel classes, k-means++ seeded by
	// (seed, head), so the heads differ) of the unlabelled items' test-view
	// features, the base rows the summed features of each base class's
	// labelled items (the direction of their mean: the heads are cosine
	// classifiers, so a row only sets a direction). A departure from the reference: with a small
	// backbone trained here from scratch, randomly started heads were seen
	// to collapse into one cluster while k-means on the same features did
	// not (docs/tuning.md).
	HeadInitKMeans = "kmeans"
)

// validHeadInit reports whether s names a head initialisation.
func validHeadInit(s string) bool {
	return s == "" || s == HeadInitRandom || s == HeadInitKMeans
}

// inferFeatures returns the L2-normalised [CLS] features of items idx on
// their test views, in order.
func inferFeatures(m StepModel, aug *augment.Augmenter, idx []int, load func(i int) (augment.Source, error), chunk int) ([][]float64, error) {
	feats := make([][]float64, 0, len(idx))
	err := eachTestBatch(aug, idx, load, chunk, func(img, mask []float32, part []int) error {
		out, err := m.Infer(img, mask, len(part))
		if err != nil {
			return err
		}
		if len(out.Features) != len(part) {
			return fmt.Errorf("inference returned %d features for %d items", len(out.Features), len(part))
		}
		feats = append(feats, toFloat64(out.Features)...)
		return nil
	})
	return feats, err
}

// initHeadsKMeans sets every head's weight_v rows as HeadInitKMeans says.
// known, when not nil, are the unlabelled items' features (see
// Options.HeadFeatures).
func initHeadsKMeans(m StepModel, aug *augment.Augmenter, items []Item, load func(i int) (augment.Source, error), seed uint64, chunk int, known [][]float32) error {
	var heads []*optim.Param
	for _, p := range m.Params() {
		if strings.HasPrefix(p.Name, "heads.") {
			heads = append(heads, p)
		}
	}
	if len(heads) == 0 {
		return fmt.Errorf("train: head_init %s: the model has no heads", HeadInitKMeans)
	}
	classes, dim := heads[0].Shape[0], heads[0].Shape[1]
	var unl, lab []int
	numLabeled := 0
	for i, it := range items {
		if it.Labeled() {
			lab = append(lab, i)
			numLabeled = max(numLabeled, it.Label+1)
		} else {
			unl = append(unl, i)
		}
	}
	k := classes - numLabeled
	if k <= 0 || len(unl) < k {
		return fmt.Errorf("train: head_init %s: %d unlabelled items for %d novel classes", HeadInitKMeans, len(unl), k)
	}
	var fu [][]float64
	if known != nil {
		if len(known) != len(unl) {
			return fmt.Errorf("train: head_init: %d known features for %d unlabelled items", len(known), len(unl))
		}
		fu = toFloat64(known)
	} else {
		var err error
		if fu, err = inferFeatures(m, aug, unl, load, chunk); err != nil {
			return fmt.Errorf("train: head_init: %w", err)
		}
	}
	fl, err := inferFeatures(m, aug, lab, load, chunk)
	if err != nil {
		return fmt.Errorf("train: head_init: %w", err)
	}
	if len(fu) > 0 && len(fu[0]) != dim {
		return fmt.Errorf("train: head_init: features have %d values, heads %d", len(fu[0]), dim)
	}
	base := make([][]float64, numLabeled)
	for i, j := range lab {
		l := items[j].Label
		if base[l] == nil {
			base[l] = make([]float64, dim)
		}
		for d, v := range fl[i] {
			base[l][d] += v
		}
	}
	for h, p := range heads {
		fit, err := baselines.KMeansFit(fu, k, seed^uint64(0x6b6d65616e73)+uint64(h), baselines.KMeansParams{})
		if err != nil {
			return fmt.Errorf("train: head_init head %d: %w", h, err)
		}
		for c := range classes {
			row := p.Value[c*dim : (c+1)*dim]
			var src []float64
			switch {
			case c < numLabeled:
				src = base[c]
			default:
				src = fit.Centers[c-numLabeled]
			}
			if src == nil { // a base class without labelled items keeps its start
				continue
			}
			for d := range row {
				row[d] = float32(src[d])
			}
		}
	}
	return nil
}

// toFloat64 widens float32 rows.
func toFloat64(rows [][]float32) [][]float64 {
	out := make([][]float64, len(rows))
	for i, f := range rows {
		v := make([]float64, len(f))
		for j, x := range f {
			v[j] = float64(x)
		}
		out[i] = v
	}
	return out
}
