package train

import (
	"fmt"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/baselines"
	"github.com/anomalyncd/ancd/core/features"
	"github.com/anomalyncd/ancd/core/mgvit"
)

// FilterBankFeatures returns a training-free feature for each item: the
// filter bank of the filter-bank stem (mgvit.StemFeatureParams(patch)) run
// on the item's test view at imageSize, averaged over its patch cells with
// each cell weighted by the mean of the mask over it (every cell alike when
// the mask covers none), then each dimension standardised over the items
// (baselines.ZScore: zero mean, unit variance; a constant dimension
// becomes 0). It is the
// prior the backbone starts from, read out the way mask guidance reads a
// crop: k-means on it beside k-means on the backbone's features tells
// whether training learned more than the prior holds.
func FilterBankFeatures(items []Item, root string, imageSize, patch, workers int) ([][]float32, error) {
	aug, err := augment.New(imageSize, workers)
	if err != nil {
		return nil, err
	}
	ext, err := features.NewExtractor(mgvit.StemFeatureParams(patch))
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	s := imageSize
	var rgb [3][]float32
	for ch := range rgb {
		rgb[ch] = make([]float32, s*s)
	}
	rows := make([][]float64, 0, len(items))
	err = eachTestBatch(aug, idx, func(i int) (augment.Source, error) { return items[i].load(root) }, 64,
		func(img, mask []float32, part []int) error {
			for i := range part {
				v := img[i*3*s*s : (i+1)*3*s*s]
				for ch := range rgb {
					for j, x := range v[ch*s*s : (ch+1)*s*s] {
						rgb[ch][j] = augment.Denormalize(x, ch) // the test view is normalised; the stem undoes it too
					}
				}
				g, err := ext.ExtractRGB(rgb[0], rgb[1], rgb[2], s, s)
				if err != nil {
					return fmt.Errorf("train: filter bank of %s: %w", items[part[i]].Image, err)
				}
				rows = append(rows, maskPooled(g, mask[i*s*s:(i+1)*s*s], s))
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	baselines.ZScore(rows)
	out := make([][]float32, len(rows))
	for i, r := range rows {
		out[i] = make([]float32, len(r))
		for d, x := range r {
			out[i][d] = float32(x)
		}
	}
	return out, nil
}

// maskPooled is the mean of g's cell vectors weighted by the mean of the
// s×s mask over each cell (uniform when the mask is empty).
func maskPooled(g *features.Grid, mask []float32, s int) []float64 {
	w := make([]float64, g.Len())
	cnt := make([]float64, g.Len())
	for y := range s {
		cy := min(y*g.H/s, g.H-1)
		for x := range s {
			c := cy*g.W + min(x*g.W/s, g.W-1)
			w[c] += float64(mask[y*s+x])
			cnt[c]++
		}
	}
	var total float64
	for c := range w {
		if cnt[c] > 0 {
			w[c] /= cnt[c]
		}
		total += w[c]
	}
	if total == 0 {
		for c := range w {
			w[c] = 1
		}
		total = float64(len(w))
	}
	v := make([]float64, g.D)
	for c, wc := range w {
		if wc == 0 {
			continue
		}
		for d, x := range g.Vec(c) {
			v[d] += wc * float64(x)
		}
	}
	for d := range v {
		v[d] /= total
	}
	return v
}
