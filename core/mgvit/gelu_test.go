package mgvit

import (
	"math"
	"testing"
)

// The float32 GELU kernels agree with the exact float64 ones to 1e-6
// (scaled by |x|, since y = x·Φ(x)).
func TestGELUFloat32MatchesExact(t *testing.T) {
	n := 20001
	x32, x64 := make([]float32, n), make([]float64, n)
	for i := range n {
		x64[i] = float64(float32(-10 + 20*float64(i)/float64(n-1)))
		x32[i] = float32(x64[i])
	}
	dy32, dy64 := make([]float32, n), make([]float64, n)
	for i := range n {
		dy32[i], dy64[i] = 1, 1
	}
	y32, y64 := make([]float32, n), make([]float64, n)
	d32, d64 := make([]float32, n), make([]float64, n)
	geluForward(x32, y32)
	geluForward(x64, y64)
	geluBackward(x32, dy32, d32)
	geluBackward(x64, dy64, d64)
	for i := range n {
		tol := 1e-6 * max(1, math.Abs(x64[i]))
		if math.Abs(float64(y32[i])-y64[i]) > tol || math.Abs(float64(d32[i])-d64[i]) > tol {
			t.Fatalf("x=%g: y %g vs %g, dy/dx %g vs %g", x64[i], y32[i], y64[i], d32[i], d64[i])
		}
	}
}

func BenchmarkGELU(b *testing.B) {
	x := make([]float32, 4160*384)
	for i := range x {
		x[i] = float32(i%2000)/250 - 4
	}
	y := make([]float32, len(x))
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			geluForward(x, y)
		}
	})
	b.Run("backward", func(b *testing.B) {
		for b.Loop() {
			geluBackward(x, x, y)
		}
	})
}
