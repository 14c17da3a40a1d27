//go:build openblas

package mgvit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/anomalyncd/ancd/core/mgvit/internal/openblas"
)

func TestOpenBLASBackendName(t *testing.T) {
	if got := BLASBackend(); got != "openblas" {
		t.Fatalf("BLASBackend() = %q, want openblas", got)
	}
	t.Logf("OpenBLAS kernels: %s", openblas.CoreName())
}

// The OpenBLAS gemm matches the pure-Go sgemm to 1e-5 relative to the
// summed magnitudes Σ|a·b| + |beta·c| (the two sum in different orders).
func TestOpenBLASMatchesSgemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, g := range append(gemmCases(), gemmCase{false, true, 4160, 288, 96, 0}, gemmCase{true, false, 384, 96, 4160, 0.5}) {
		t.Run(fmt.Sprintf("%v", g), func(t *testing.T) { compareGemms(t, rng, g, sgemm, sgemmBackend, 1e-5) })
	}
}

// A strided C (ldc > n) keeps the values between rows.
func TestOpenBLASStridedC(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	const m, n, k, ldc = 130, 20, 33, 27
	a, b := randF32(rng, m*k), randF32(rng, k*n)
	c := randF32(rng, m*ldc)
	want := append([]float32(nil), c...)
	sgemm(false, false, m, n, k, a, k, b, n, 1, want, ldc)
	got := append([]float32(nil), c...)
	sgemmBackend(false, false, m, n, k, a, k, b, n, 1, got, ldc)
	for i := range want {
		if i%ldc >= n && got[i] != c[i] {
			t.Fatalf("element %d outside C changed: %g -> %g", i, c[i], got[i])
		}
		if !closeF32(got[i], want[i], 1e-5, math.Sqrt(k)) {
			t.Fatalf("element %d: got %.9g, want %.9g", i, got[i], want[i])
		}
	}
}

func TestOpenBLASBetaZeroIgnoresC(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	g := gemmCase{false, true, 100, 40, 30, 0}
	a, lda, b, ldb, c := g.operands(rng)
	for i := range c {
		c[i] = float32(math.NaN())
	}
	sgemmBackend(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, 0, c, g.n)
	for i, v := range c {
		if math.IsNaN(float64(v)) {
			t.Fatalf("element %d is NaN: C was read with beta 0", i)
		}
	}
}

// BenchmarkOpenBLASSgemm compares OpenBLAS with the pure-Go sgemm on
// BenchmarkSgemm's shapes.
func BenchmarkOpenBLASSgemm(b *testing.B) {
	for _, name := range []string{"qkv-fwd", "fc1-dW", "attn-head"} {
		g := benchGemmShapes[name]
		b.Run(name+"/openblas", func(b *testing.B) { benchmarkGemm(b, sgemmBackend, g) })
		b.Run(name+"/purego", func(b *testing.B) { benchmarkGemm(b, sgemm, g) })
	}
}
