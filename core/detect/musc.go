package detect

import (
	"fmt"
	"math"
	"slices"

	"github.com/anomalyncd/ancd/core/features"
)

// MuScParams configures musc. The zero value means the defaults.
type MuScParams struct {
	// Features configures the extractor (zero Stride: 8, other fields
	// the features defaults; Features.Cells > 0 sizes the cells to the
	// image instead). The cost grows with the square of the number of
	// cells, hence the coarser default grid.
	Features features.Params
	// Scales are the cell-neighbourhood sizes whose scores are averaged
	// (nil: 1 and 3).
	Scales []int
	// Fraction is the share of the other images whose nearest-patch
	// distances are averaged, smallest first (0: 0.3); at least one image.
	Fraction float64
	// Smooth is the map smoothing sigma in working pixels (0: 4;
	// negative: none).
	Smooth float64
}

func (p MuScParams) resolved() MuScParams {
	if p.Features.Stride == 0 {
		p.Features.Stride = 8
	}
	if p.Scales == nil {
		p.Scales = []int{1, 3}
	}
	if p.Fraction == 0 {
		p.Fraction = 0.3
	}
	p.Smooth = smoothOrDefault(p.Smooth)
	return p
}

// MuSc is the zero-shot mutual-scoring detector: it uses only the unlabeled
// test images of the category.
type MuSc struct{ Params MuScParams }

// Name implements Detector.
func (MuSc) Name() string { return "musc" }

// Detect implements Detector.
func (d MuSc) Detect(in Input) ([]Map, error) {
	p := d.Params.resolved()
	if !(p.Fraction > 0 && p.Fraction <= 1) {
		return nil, fmt.Errorf("musc: fraction %v not in (0, 1]", p.Fraction)
	}
	if len(p.Scales) == 0 {
		return nil, fmt.Errorf("musc: no scales")
	}
	n := in.Test.Len()
	if n < 2 {
		return nil, fmt.Errorf("musc: needs at least 2 test images, got %d", n)
	}
	test, err := extractAll(in.Test, p.Features, in.Workers)
	if err != nil {
		return nil, err
	}
	std, err := features.FitStandardizer(grids(test))
	if err != nil {
		return nil, err
	}
	for _, e := range test {
		std.Apply(e.grid)
	}
	keep := max(1, int(math.Ceil(p.Fraction*float64(n-1))))
	scores := make([][]float32, n)
	for i, e := range test {
		scores[i] = make([]float32, e.grid.Len())
	}
	for _, r := range p.Scales {
		agg := make([]*features.Grid, n)
		for i, e := range test {
			agg[i] = e.grid.Aggregate(r)
		}
		s, err := mutualScores(agg, keep, in.Workers)
		if err != nil {
			return nil, err
		}
		for i := range scores {
			for c, v := range s[i] {
				scores[i][c] += v / float32(len(p.Scales))
			}
		}
	}
	return mapsFromScores(scores, test, p.Smooth, in.Workers)
}

// mutualScores computes, for every cell of every grid, the mean of the keep
// smallest values among its nearest-cell distances to each other grid.
// Every unordered pair of images is compared once (row and column minima
// of one distance matrix); pairs are the parallel unit and each writes only
// its own slots, so results do not depend on workers.
func mutualScores(gs []*features.Grid, keep, workers int) ([][]float32, error) {
	n := len(gs)
	// nn[i][j] holds, for each cell of image i, its nearest distance in j.
	nn := make([][][]float32, n)
	for i := range nn {
		nn[i] = make([][]float32, n)
		for j := range nn[i] {
			if j != i {
				nn[i][j] = make([]float32, gs[i].Len())
			}
		}
	}
	type pair struct{ i, j int }
	pairs := make([]pair, 0, n*(n-1)/2)
	for i := range n {
		for j := i + 1; j < n; j++ {
			pairs = append(pairs, pair{i, j})
		}
	}
	err := forEach(len(pairs), workers, func(_, k int) error {
		a, b := gs[pairs[k].i], gs[pairs[k].j]
		if a.D != b.D {
			return fmt.Errorf("musc: feature dims %d and %d differ", a.D, b.D)
		}
		rowMin, colMin := nn[pairs[k].i][pairs[k].j], nn[pairs[k].j][pairs[k].i]
		for c := range colMin {
			colMin[c] = float32(math.Inf(1))
		}
		for r := range rowMin {
			v := a.Vec(r)
			best := float32(math.Inf(1))
			for c := range colMin {
				d := sqDist(v, b.Vec(c))
				best = min(best, d)
				colMin[c] = min(colMin[c], d)
			}
			rowMin[r] = best
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([][]float32, n)
	err = forEach(n, workers, func(_, i int) error {
		s := make([]float32, gs[i].Len())
		vals := make([]float32, 0, n-1)
		for c := range s {
			vals = vals[:0]
			for j := range n {
				if j != i {
					vals = append(vals, nn[i][j][c])
				}
			}
			slices.Sort(vals)
			var sum float64
			for _, v := range vals[:keep] {
				sum += math.Sqrt(float64(v))
			}
			s[c] = float32(sum / float64(keep))
		}
		out[i] = s
		return nil
	})
	return out, err
}
