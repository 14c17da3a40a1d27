package detect

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/anomalyncd/ancd/core/features"
)

// PatchCoreParams configures patchcore. The zero value means the defaults.
type PatchCoreParams struct {
	// Features configures the extractor (zero Stride: 8, like the stride-8
	// layer-2 grid of the original on 224 px inputs; other fields the
	// features defaults). Cost grows with the square of the cell count.
	Features features.Params
	// Aggregate is the cell neighbourhood averaged into each patch
	// feature (0: 3, i.e. 3x3; 1: none).
	Aggregate int
	// CoresetRatio is the fraction of training patches kept in the
	// memory bank (0: 0.1; 1 keeps every patch, skipping the selection).
	CoresetRatio float64
	// Smooth is the sigma in working pixels of the Gaussian applied to the
	// map (0: 4; negative: none).
	Smooth float64
}

func (p PatchCoreParams) resolved() PatchCoreParams {
	if p.Features.Stride == 0 {
		p.Features.Stride = 8
	}
	if p.Aggregate == 0 {
		p.Aggregate = 3
	}
	if p.CoresetRatio == 0 {
		p.CoresetRatio = 0.1
	}
	p.Smooth = smoothOrDefault(p.Smooth)
	return p
}

// PatchCore is the memory-bank nearest-neighbour detector.
type PatchCore struct{ Params PatchCoreParams }

// Name implements Detector.
func (PatchCore) Name() string { return "patchcore" }

// Detect implements Detector.
func (d PatchCore) Detect(in Input) ([]Map, error) {
	p := d.Params.resolved()
	if !(p.CoresetRatio > 0 && p.CoresetRatio <= 1) {
		return nil, fmt.Errorf("patchcore: coreset ratio %v not in (0, 1]", p.CoresetRatio)
	}
	if in.Train == nil || in.Train.Len() == 0 {
		return nil, fmt.Errorf("patchcore: needs normal training images, got none")
	}
	train, err := extractAll(in.Train, p.Features, in.Workers)
	if err != nil {
		return nil, err
	}
	test, err := extractAll(in.Test, p.Features, in.Workers)
	if err != nil {
		return nil, err
	}
	std, err := features.FitStandardizer(grids(train))
	if err != nil {
		return nil, err
	}
	prep := func(ex []extracted) {
		for i := range ex {
			std.Apply(ex[i].grid)
			ex[i].grid = ex[i].grid.Aggregate(p.Aggregate)
		}
	}
	prep(train)
	prep(test)

	bank := flatten(grids(train))
	dim := train[0].grid.D
	k := int(math.Ceil(p.CoresetRatio * float64(len(bank)/dim)))
	if k < len(bank)/dim {
		rng := rand.New(rand.NewPCG(in.Seed, 0))
		bank = Coreset(bank, dim, k, rng.IntN(len(bank)/dim), in.Workers)
	}

	scores := make([][]float32, len(test))
	err = forEach(len(test), in.Workers, func(_, i int) error {
		g := test[i].grid
		s := make([]float32, g.Len())
		for c := range s {
			s[c] = float32(math.Sqrt(float64(nearest(g.Vec(c), bank, dim))))
		}
		scores[i] = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return mapsFromScores(scores, test, p.Smooth, in.Workers)
}

// flatten concatenates the data of grids.
func flatten(gs []*features.Grid) []float32 {
	n := 0
	for _, g := range gs {
		n += len(g.Data)
	}
	out := make([]float32, 0, n)
	for _, g := range gs {
		out = append(out, g.Data...)
	}
	return out
}

// nearest returns the smallest squared distance from v to the vectors of
// bank (dimension dim).
func nearest(v, bank []float32, dim int) float32 {
	best := float32(math.Inf(1))
	for j := 0; j+dim <= len(bank); j += dim {
		if d := sqDist(v, bank[j:j+dim]); d < best {
			best = d
		}
	}
	return best
}

// Coreset selects k of the vectors in points (dimension dim) by greedy
// k-center (farthest-point) selection starting at index start: each step
// adds the point farthest (Euclidean) from the selected set, ties going to
// the lowest index. It returns the selected vectors in selection order. The
// distance updates run on up to workers fixed chunks; the result does not
// depend on workers.
func Coreset(points []float32, dim, k, start, workers int) []float32 {
	n := len(points) / dim
	k = min(k, n)
	minD := make([]float32, n)
	for i := range minD {
		minD[i] = float32(math.Inf(1))
	}
	out := make([]float32, 0, k*dim)
	w := workerCount(workers, n/4096+1)
	type best struct {
		d   float32
		idx int
	}
	chunkBest := make([]best, w)
	cur := start
	for len(out) < k*dim {
		c := points[cur*dim : (cur+1)*dim]
		out = append(out, c...)
		var wg sync.WaitGroup
		for t := range w {
			lo, hi := t*n/w, (t+1)*n/w
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := best{-1, -1}
				for i := lo; i < hi; i++ {
					if d := sqDist(c, points[i*dim:(i+1)*dim]); d < minD[i] {
						minD[i] = d
					}
					if minD[i] > b.d {
						b = best{minD[i], i}
					}
				}
				chunkBest[t] = b
			}()
		}
		wg.Wait()
		b := best{-1, -1}
		for _, cb := range chunkBest {
			if cb.d > b.d {
				b = cb
			}
		}
		cur = b.idx
	}
	return out
}
