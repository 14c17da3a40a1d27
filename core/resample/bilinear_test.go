package resample

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The three resizes this package replaced, as they were written, so that the
// test shows it computes the same values.

// oldFeatures is core/features.ResizeBilinear's sampling (scale src/dst).
func oldFeatures(src []float32, sw, sh, w, h int) []float32 {
	sx, sy := float64(sw)/float64(w), float64(sh)/float64(h)
	tap := func(d int, s float64, n int) (int, int, float32) {
		c := (float64(d)+0.5)*s - 0.5
		if c <= 0 {
			return 0, 0, 0
		}
		i := int(c)
		if i >= n-1 {
			return n - 1, n - 1, 0
		}
		return i, i + 1, float32(c - float64(i))
	}
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		y0, y1, fy := tap(y, sy, sh)
		r0, r1 := src[y0*sw:(y0+1)*sw], src[y1*sw:(y1+1)*sw]
		for x := 0; x < w; x++ {
			x0, x1, fx := tap(x, sx, sw)
			a := r0[x0] + fx*(r0[x1]-r0[x0])
			b := r1[x0] + fx*(r1[x1]-r1[x0])
			out[y*w+x] = a + fy*(b-a)
		}
	}
	return out
}

// oldCells is core/detect.upsampleCells' sampling (cell c centred on pixel
// (c+0.5)*stride-0.5, coordinate divided by the stride).
func oldCells(scores []float32, gw, gh, stride, workW, workH int) []float32 {
	s := float64(stride)
	tap := func(p, n int) (int, int, float32) {
		c := (float64(p)+0.5)/s - 0.5
		if c <= 0 {
			return 0, 0, 0
		}
		i := int(c)
		if i >= n-1 {
			return n - 1, n - 1, 0
		}
		return i, i + 1, float32(c - float64(i))
	}
	out := make([]float32, workW*workH)
	for y := 0; y < workH; y++ {
		y0, y1, fy := tap(y, gh)
		r0, r1 := scores[y0*gw:(y0+1)*gw], scores[y1*gw:(y1+1)*gw]
		for x := 0; x < workW; x++ {
			x0, x1, fx := tap(x, gw)
			a := r0[x0] + fx*(r0[x1]-r0[x0])
			c := r1[x0] + fx*(r1[x1]-r1[x0])
			out[y*workW+x] = a + fy*(c-a)
		}
	}
	return out
}

// oldPlots is plots.upsampleBilinear (float64, (1-t)·a + t·b).
func oldPlots(m []float64, grid, w, h int) []float64 {
	at := func(dst, dstLen, srcLen int) (int, int, float64) {
		s := (float64(dst)+0.5)*float64(srcLen)/float64(dstLen) - 0.5
		if s <= 0 {
			return 0, 0, 0
		}
		if s >= float64(srcLen-1) {
			return srcLen - 1, srcLen - 1, 0
		}
		i0 := int(math.Floor(s))
		return i0, i0 + 1, s - float64(i0)
	}
	out := make([]float64, w*h)
	for y := range h {
		y0, y1, ty := at(y, h, grid)
		for x := range w {
			x0, x1, tx := at(x, w, grid)
			top := m[y0*grid+x0]*(1-tx) + m[y0*grid+x1]*tx
			bottom := m[y1*grid+x0]*(1-tx) + m[y1*grid+x1]*tx
			out[y*w+x] = top*(1-ty) + bottom*ty
		}
	}
	return out
}

func randomPlane[T Float](rng *rand.Rand, n int) []T {
	p := make([]T, n)
	for i := range p {
		p[i] = T(rng.Float64()*4 - 1)
	}
	return p
}

// TestBilinearMatchesFeatures: the feature-plane resize is bit-identical
// for any sizes, shrinking or growing.
func TestBilinearMatchesFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sz := range [][4]int{{7, 5, 3, 2}, {256, 256, 100, 77}, {1000, 700, 256, 179}, {3, 3, 9, 9}, {1, 4, 5, 1}, {10, 10, 10, 10}} {
		sw, sh, w, h := sz[0], sz[1], sz[2], sz[3]
		src := randomPlane[float32](rng, sw*sh)
		got := make([]float32, w*h)
		Bilinear(got, w, h, src, sw, sh, float64(sw)/float64(w), float64(sh)/float64(h))
		if want := oldFeatures(src, sw, sh, w, h); !slices.Equal(got, want) {
			t.Errorf("%v: differs from the feature-plane resize", sz)
		}
	}
}

// TestBilinearMatchesCells: the patch-score upsampling is bit-identical for
// power-of-two strides (the detectors use 4 and 8), also when the working
// size is not a multiple of the stride.
func TestBilinearMatchesCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, stride := range []int{1, 2, 4, 8, 16} {
		for _, work := range [][2]int{{64, 48}, {61, 37}, {256, 256}, {5, 3}} {
			gw, gh := (work[0]+stride-1)/stride, (work[1]+stride-1)/stride
			scores := randomPlane[float32](rng, gw*gh)
			got := make([]float32, work[0]*work[1])
			Bilinear(got, work[0], work[1], scores, gw, gh, 1/float64(stride), 1/float64(stride))
			if want := oldCells(scores, gw, gh, stride, work[0], work[1]); !slices.Equal(got, want) {
				t.Errorf("stride %d work %v: differs from the cell upsampling", stride, work)
			}
		}
	}
}

// TestBilinearMatchesPlots: the attention-grid upsampling agrees to
// rounding (it computed a·(1−t) + b·t, now a + t·(b−a)).
func TestBilinearMatchesPlots(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range [][3]int{{4, 32, 32}, {28, 224, 224}, {16, 224, 224}, {2, 4, 4}, {3, 10, 7}, {1, 3, 2}} {
		grid, w, h := c[0], c[1], c[2]
		m := randomPlane[float64](rng, grid*grid)
		got := make([]float64, w*h)
		Bilinear(got, w, h, m, grid, grid, float64(grid)/float64(w), float64(grid)/float64(h))
		want := oldPlots(m, grid, w, h)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("%v: pixel %d: %v, was %v", c, i, got[i], want[i])
			}
		}
	}
}

func TestTapAt(t *testing.T) {
	tests := []struct {
		d     int
		scale float64
		n     int
		want  Tap[float64]
	}{
		{0, 0.5, 4, Tap[float64]{}},                      // c = -0.25: clamped to the first sample
		{1, 0.5, 4, Tap[float64]{I0: 0, I1: 1, F: 0.25}}, // c = 0.25
		{7, 0.5, 4, Tap[float64]{I0: 3, I1: 3}},          // c = 3.25: clamped to the last
		{2, 2, 8, Tap[float64]{I0: 4, I1: 5, F: 0.5}},    // c = 4.5 (shrinking)
		{0, 1, 1, Tap[float64]{}},                        // one sample
	}
	for _, tc := range tests {
		if got := TapAt[float64](tc.d, tc.scale, tc.n); got != tc.want {
			t.Errorf("TapAt(%d, %v, %d) = %+v, want %+v", tc.d, tc.scale, tc.n, got, tc.want)
		}
	}
}
