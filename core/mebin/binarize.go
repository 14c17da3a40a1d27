package mebin

import (
	"fmt"
	"image"
	"sync"
	"sync/atomic"
)

// Result is the binarization of one map.
//
// Threshold is on the raw 8-bit scale and the mask is always
// erode(raw > Threshold) (no erosion when Params.NoErode): for MEBin the
// mapped-back stable threshold, or 255 when no stable interval exists; for
// Fixed the largest raw value not above theta; for Otsu the Otsu level.
type Result struct {
	Threshold int
	// EstAnomalyNum is MEBin's estimated number of anomaly regions (0 when no
	// stable interval); for Fixed and Otsu it is the number of 8-connected
	// components of the final mask.
	EstAnomalyNum int
	// Counts holds MEBin's component count at every sweep threshold (64 for
	// the default sample rate); nil for Fixed and Otsu.
	Counts []int
	// Mask is the final 0/255 mask, the map's size, origin (0,0).
	Mask *image.Gray
}

// Binarize runs MEBin on a set of maps: one search range for the whole set,
// then each map independently, in parallel with p.Workers goroutines. The
// output does not depend on the worker count.
func Binarize(maps []*image.Gray, p Params) (Range, []Result, error) {
	r, err := SearchRange(maps)
	if err != nil {
		return Range{}, nil, err
	}
	return binarizeWithRange(maps, r, p)
}

// BinarizeMap runs MEBin on one map with the range of its whole set.
func BinarizeMap(m *image.Gray, r Range, p Params) (Result, error) {
	p.Workers = 1
	_, res, err := binarizeWithRange([]*image.Gray{m}, r, p)
	if err != nil {
		return Result{}, err
	}
	return res[0], nil
}

func binarizeWithRange(maps []*image.Gray, r Range, p Params) (Range, []Result, error) {
	p, err := p.resolved()
	if err != nil {
		return r, nil, err
	}
	ts := Thresholds(p.SampleRate)
	level := levels(r, ts)
	res, err := forEach(maps, p.Workers, func(m *image.Gray, s *scratch) Result {
		return binarizeOne(newRaster(m), r, ts, &level, p, s)
	})
	return r, res, err
}

// levels returns, for every raw value a, the first sweep index j at which
// a is foreground (norm(a) > ts[j]), or len(ts) when never. len(ts) is at most
// 255, so every level fits a byte.
func levels(r Range, ts []int) [256]uint8 {
	var level [256]uint8
	for a := range level {
		v := r.Value(uint8(a))
		level[a] = uint8(len(ts))
		for j, t := range ts {
			if v > float64(t) {
				level[a] = uint8(j)
				break
			}
		}
	}
	return level
}

func binarizeOne(m raster, r Range, ts []int, level *[256]uint8, p Params, s *scratch) Result {
	eroded := m.pix
	if !p.NoErode {
		eroded = windowMin(m, s)
	}
	counts := sweepCounts(eroded, m.w, m.h, level, len(ts), s)
	res := Result{Threshold: 255, Counts: counts}
	if end, est, ok := chooseInterval(counts, p.MinIntervalLen); ok {
		res.Threshold = r.Raw(ts[end])
		res.EstAnomalyNum = est
	}
	res.Mask = maskAbove(eroded, m.w, m.h, res.Threshold)
	return res
}

// Fixed binarizes every map at a fixed threshold theta in [0,1] on the
// set-normalised scale: a pixel is foreground when norm(a)/255 > theta,
// computed as norm(a) > theta*255 with norm as in Normalize; then the same
// 6x6 erosion as MEBin unless p.NoErode. EstAnomalyNum is the component
// count of the final mask; Counts is nil.
func Fixed(maps []*image.Gray, theta float64, p Params) (Range, []Result, error) {
	if !(theta >= 0 && theta <= 1) {
		return Range{}, nil, fmt.Errorf("mebin: fixed threshold theta %v out of [0,1]", theta)
	}
	p, err := p.resolved()
	if err != nil {
		return Range{}, nil, err
	}
	r, err := SearchRange(maps)
	if err != nil {
		return Range{}, nil, err
	}
	// norm is non-decreasing in a (NaN only in a degenerate range, where it
	// is never foreground), so the foreground is a > thr for the largest
	// raw value thr that is not foreground.
	thr := -1
	for a := 0; a < 256; a++ {
		if !(r.Value(uint8(a)) > theta*255) {
			thr = a
		}
	}
	res, err := forEach(maps, p.Workers, func(m *image.Gray, s *scratch) Result {
		return thresholdOne(newRaster(m), thr, p, s)
	})
	return r, res, err
}

// Otsu binarizes every map at its own Otsu level computed on the raw 8-bit
// histogram of that map (not the set-normalised map): the level k maximises
// the between-class variance of {a <= k} and {a > k}, the first maximum wins,
// and levels where one class is empty are skipped (a single-valued map gets
// k = 0). The foreground is a > k, then the 6x6 erosion unless p.NoErode.
// EstAnomalyNum is the component count of the final mask; Counts is nil. The
// range is returned for crop scoring.
func Otsu(maps []*image.Gray, p Params) (Range, []Result, error) {
	p, err := p.resolved()
	if err != nil {
		return Range{}, nil, err
	}
	r, err := SearchRange(maps)
	if err != nil {
		return Range{}, nil, err
	}
	res, err := forEach(maps, p.Workers, func(m *image.Gray, s *scratch) Result {
		ras := newRaster(m)
		return thresholdOne(ras, OtsuLevel(ras.pix), p, s)
	})
	return r, res, err
}

func thresholdOne(m raster, thr int, p Params, s *scratch) Result {
	eroded := m.pix
	if !p.NoErode {
		eroded = windowMin(m, s)
	}
	mask := maskAbove(eroded, m.w, m.h, thr)
	return Result{Threshold: thr, EstAnomalyNum: countComponents(mask.Pix, m.w, m.h, s), Mask: mask}
}

// OtsuLevel returns Otsu's threshold of 8-bit samples: the foreground is
// v > level. See Otsu for the tie and empty-class rules.
func OtsuLevel(pix []uint8) int {
	var hist [256]float64
	for _, v := range pix {
		hist[v]++
	}
	total := float64(len(pix))
	var sumAll float64
	for v, c := range hist {
		sumAll += float64(v) * c
	}
	best, bestVar := 0, 0.0
	var n0, sum0 float64
	for k := 0; k < 255; k++ {
		n0 += hist[k]
		sum0 += float64(k) * hist[k]
		n1 := total - n0
		if n0 == 0 || n1 == 0 {
			continue
		}
		mu0, mu1 := sum0/n0, (sumAll-sum0)/n1
		between := n0 * n1 * (mu0 - mu1) * (mu0 - mu1)
		if between > bestVar {
			best, bestVar = k, between
		}
	}
	return best
}

// scratchPool keeps worker buffers between calls, so that binarizing one
// map or a small set does not allocate and clear them again. Buffers carry
// no state from one map to the next: every use resizes and overwrites them.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// forEach applies f to every map with at most workers goroutines, each with
// its own scratch buffers; result i belongs to map i whatever the
// scheduling.
func forEach(maps []*image.Gray, workers int, f func(*image.Gray, *scratch) Result) ([]Result, error) {
	for i, m := range maps {
		if m == nil || m.Rect.Empty() {
			return nil, fmt.Errorf("mebin: map %d is empty", i)
		}
	}
	out := make([]Result, len(maps))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(1, workers), len(maps)) {
		wg.Go(func() {
			s := scratchPool.Get().(*scratch)
			defer scratchPool.Put(s)
			for i := int(next.Add(1)) - 1; i < len(maps); i = int(next.Add(1)) - 1 {
				out[i] = f(maps[i], s)
			}
		})
	}
	wg.Wait()
	return out, nil
}
