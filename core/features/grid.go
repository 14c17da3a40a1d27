package features

import (
	"fmt"
	"math"
)

// Grid holds one feature vector per patch cell, row-major:
// the vector of cell (x, y) is Data[(y*W+x)*D : (y*W+x+1)*D].
// WorkW x WorkH is the size of the working image the grid was pooled from
// (the input size unless it was shrunk to Params.MaxSide) and Stride the cell
// size in working pixels. The zero value is an empty grid.
type Grid struct {
	W, H, D      int
	Stride       int
	WorkW, WorkH int
	Data         []float32
}

// Len is the number of cells.
func (g *Grid) Len() int { return g.W * g.H }

// Vec returns the feature vector of cell i (= y*W + x), aliasing Data.
func (g *Grid) Vec(i int) []float32 { return g.Data[i*g.D : (i+1)*g.D] }

// Aggregate returns a new grid whose cell (x, y) is the mean of the cells in
// the r x r neighbourhood centred on it (border cells average what exists).
// r <= 1 returns a copy. This is the local neighbourhood aggregation of
// PatchCore and MuSc, applied on the feature grid.
func (g *Grid) Aggregate(r int) *Grid {
	out := *g
	out.Data = make([]float32, len(g.Data))
	if r <= 1 {
		copy(out.Data, g.Data)
		return &out
	}
	lo, hi := -(r-1)/2, r/2
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			dst := out.Vec(y*g.W + x)
			n := 0
			for yy := max(y+lo, 0); yy <= min(y+hi, g.H-1); yy++ {
				for xx := max(x+lo, 0); xx <= min(x+hi, g.W-1); xx++ {
					for d, v := range g.Vec(yy*g.W + xx) {
						dst[d] += v
					}
					n++
				}
			}
			inv := 1 / float32(n)
			for d := range dst {
				dst[d] *= inv
			}
		}
	}
	return &out
}

// Standardizer maps every feature dimension to zero mean and unit variance
// over a reference set of grids: v' = (v - Mean[d]) * Scale[d]. The zero
// value is unusable; build one with FitStandardizer.
type Standardizer struct {
	Mean  []float32
	Scale []float32
}

// FitStandardizer computes per-dimension mean and 1/std over every cell of
// grids (float64 accumulation in grid order). Dimensions with std below 1e-6
// get Scale 1, so constant responses stay constant instead of exploding.
func FitStandardizer(grids []*Grid) (Standardizer, error) {
	if len(grids) == 0 {
		return Standardizer{}, fmt.Errorf("features: no grids to standardise")
	}
	d := grids[0].D
	sum := make([]float64, d)
	sq := make([]float64, d)
	var n float64
	for gi, g := range grids {
		if g.D != d {
			return Standardizer{}, fmt.Errorf("features: grid %d has dim %d, want %d", gi, g.D, d)
		}
		for i := 0; i < g.Len(); i++ {
			for k, v := range g.Vec(i) {
				sum[k] += float64(v)
				sq[k] += float64(v) * float64(v)
			}
		}
		n += float64(g.Len())
	}
	s := Standardizer{Mean: make([]float32, d), Scale: make([]float32, d)}
	for k := range d {
		m := sum[k] / n
		v := sq[k]/n - m*m
		s.Mean[k] = float32(m)
		s.Scale[k] = 1
		if v > 1e-12 {
			s.Scale[k] = float32(1 / math.Sqrt(v))
		}
	}
	return s, nil
}

// Apply standardises g in place.
func (s Standardizer) Apply(g *Grid) {
	d := len(s.Mean)
	for i := 0; i+d <= len(g.Data); i += d {
		v := g.Data[i : i+d]
		for k := range v {
			v[k] = (v[k] - s.Mean[k]) * s.Scale[k]
		}
	}
}
