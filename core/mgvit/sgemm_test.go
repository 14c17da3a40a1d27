package mgvit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// gonumSgemm is the previous float32 gemm (gonum's pure-Go Sgemm), kept as
// the reference sgemm must match.
func gonumSgemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if tB {
		tb = blas.Trans
	}
	blas32.Implementation().Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
}

func randF32(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return v
}

// gemmCase is one sgemm problem; ld* are the leading dimensions of the
// stored (untransposed) matrices.
type gemmCase struct {
	tA, tB  bool
	m, n, k int
	beta    float32
}

func (g gemmCase) operands(rng *rand.Rand) (a []float32, lda int, b []float32, ldb int, c []float32) {
	lda, ldb = g.k, g.n
	if g.tA {
		lda = g.m
	}
	if g.tB {
		ldb = g.k
	}
	return randF32(rng, g.m*g.k), max(1, lda), randF32(rng, g.k*g.n), max(1, ldb), randF32(rng, g.m*g.n)
}

func gemmCases() []gemmCase {
	var cs []gemmCase
	for _, s := range [][3]int{{1, 1, 1}, {6, 16, 1}, {7, 17, 3}, {65, 65, 24}, {65, 24, 65}, {100, 96, 300}, {13, 40, 600}, {200, 288, 96}} {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for _, beta := range []float32{0, 1, 0.5} {
					cs = append(cs, gemmCase{tA, tB, s[0], s[1], s[2], beta})
				}
			}
		}
	}
	return cs
}

// closeF32 reports |got-want| <= tol·max(1, |want|, scale) where scale is
// the magnitude of the terms summed (√k for unit normal inputs).
func closeF32(got, want float32, tol, scale float64) bool {
	return math.Abs(float64(got)-float64(want)) <= tol*max(1, math.Abs(float64(want)), scale)
}

// gemmFunc is the signature of sgemm and of the gemms it is compared with.
type gemmFunc = func(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// compareGemms runs ref and f on random operands of g and fails where they
// differ by more than tol of the summed magnitudes Σ|a·b| + |beta·c| (both
// are float32 sums, possibly in different orders).
func compareGemms(t *testing.T, rng *rand.Rand, g gemmCase, ref, f gemmFunc, tol float64) {
	t.Helper()
	a, lda, b, ldb, c := g.operands(rng)
	want := append([]float32(nil), c...)
	ref(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, g.beta, want, max(1, g.n))
	got := append([]float32(nil), c...)
	f(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, g.beta, got, max(1, g.n))
	mag := absProducts(g, a, lda, b, ldb, c)
	for i := range want {
		if !closeF32(got[i], want[i], tol, mag[i]) {
			t.Fatalf("element %d: got %.9g, want %.9g", i, got[i], want[i])
		}
	}
}

func TestSgemmMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, g := range gemmCases() {
		t.Run(fmt.Sprintf("%v", g), func(t *testing.T) { compareGemms(t, rng, g, gonumSgemm, sgemm, 1e-6) })
	}
}

// absProducts returns Σ_k |op(A)[i,k]·op(B)[k,j]| + |beta·c[i,j]| per element.
func absProducts(g gemmCase, a []float32, lda int, b []float32, ldb int, c []float32) []float64 {
	res := make([]float64, g.m*g.n)
	for i := range g.m {
		for j := range g.n {
			s := math.Abs(float64(g.beta) * float64(c[i*g.n+j]))
			for kk := range g.k {
				ai, bi := i*lda+kk, kk*ldb+j
				if g.tA {
					ai = kk*lda + i
				}
				if g.tB {
					bi = j*ldb + kk
				}
				av, bv := a[ai], b[bi]
				s += math.Abs(float64(av) * float64(bv))
			}
			res[i*g.n+j] = s
		}
	}
	return res
}

// With k = 0 both the pure-Go sgemm and the build's backend (OpenBLAS with
// -tags openblas) only scale C.
func TestSgemmEmptyInnerDimensionScalesC(t *testing.T) {
	for name, gemm := range map[string]gemmFunc{
		"sgemm": sgemm, "backend " + BLASBackend(): sgemmBackend,
	} {
		for _, beta := range []float32{0, 1, 0.5} {
			c := []float32{2, -4, 8, 1}
			gemm(false, false, 2, 2, 0, nil, 1, nil, 2, beta, c, 2)
			for i, want := range []float32{2, -4, 8, 1} {
				if c[i] != beta*want {
					t.Errorf("%s, beta=%g: c[%d]=%g, want %g", name, beta, i, c[i], beta*want)
				}
			}
		}
	}
}

func TestSgemmTileAsmMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, k := range []int{0, 1, 5, 256} {
		for _, load := range []bool{false, true} {
			a, b := randF32(rng, k*sgemmMR), randF32(rng, k*sgemmNR)
			const ldc = sgemmNR + 3
			c := randF32(rng, sgemmMR*ldc)
			want := append([]float32(nil), c...)
			sgemmTileGo(k, a, b, want, ldc, load)
			sgemmTile(k, a, b, c, ldc, load)
			for i := range c {
				if !closeF32(c[i], want[i], 1e-6, math.Sqrt(float64(k))) {
					t.Fatalf("k=%d load=%v element %d: got %.9g want %.9g", k, load, i, c[i], want[i])
				}
			}
		}
	}
}

// The pure-Go sgemm and the build's backend give bit-identical results for
// any GOMAXPROCS, on shapes that take every split: many row blocks, few row
// blocks split by columns (short, wide C), a long inner dimension.
func TestSgemmIsIdenticalAcrossThreads(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	shapes := []gemmCase{{true, false, 300, 200, 700, 1}, {false, true, 4160, 288, 96, 0}, {true, false, 384, 96, 4160, 0.5},
		{false, true, 64, 2048, 256, 0}, {true, false, 96, 96, 4160, 0}}
	for name, gemm := range map[string]gemmFunc{
		"sgemm": sgemm, "backend " + BLASBackend(): sgemmBackend,
	} {
		for _, g := range shapes {
			a, lda, b, ldb, c := g.operands(rng)
			run := func(procs int) []float32 {
				prev := runtime.GOMAXPROCS(procs)
				defer runtime.GOMAXPROCS(prev)
				out := append([]float32(nil), c...)
				gemm(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, g.beta, out, g.n)
				return out
			}
			want := run(1)
			for _, p := range []int{2, 3, 8} {
				got := run(p)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s %v GOMAXPROCS=%d element %d: %x != %x", name, g, p, i, math.Float32bits(got[i]), math.Float32bits(want[i]))
					}
				}
			}
		}
	}
}

func benchmarkGemm(b *testing.B, f gemmFunc, g gemmCase) {
	rng := rand.New(rand.NewPCG(4, 4))
	a, lda, bm, ldb, c := g.operands(rng)
	for b.Loop() {
		f(g.tA, g.tB, g.m, g.n, g.k, a, lda, bm, ldb, g.beta, c, g.n)
	}
	b.ReportMetric(2*float64(g.m*g.n*g.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// The shapes of the benchmark model's qkv forward, fc1 weight gradient and
// one attention head.
var benchGemmShapes = map[string]gemmCase{
	"qkv-fwd":   {false, true, 4160, 288, 96, 0},
	"fc1-dW":    {true, false, 384, 96, 4160, 0},
	"attn-head": {false, true, 65, 65, 24, 0},
}

func BenchmarkSgemm(b *testing.B) {
	for _, name := range []string{"qkv-fwd", "fc1-dW", "attn-head"} {
		g := benchGemmShapes[name]
		b.Run(name+"/new", func(b *testing.B) { benchmarkGemm(b, sgemm, g) })
		b.Run(name+"/gonum", func(b *testing.B) { benchmarkGemm(b, gonumSgemm, g) })
	}
}

// sgemmBias equals sgemm with beta 1 on C rows preset to the bias (the same
// float32 sums in the same order), for every shape and transpose, including
// edge tiles and several passes over the inner dimension; C is not read.
func TestSgemmBiasMatchesPresetC(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for _, g := range gemmCases() {
		if g.beta != 0 {
			continue
		}
		a, lda, b, ldb, _ := g.operands(rng)
		bias := randF32(rng, g.n)
		want := make([]float32, g.m*g.n)
		for i := range g.m {
			copy(want[i*g.n:(i+1)*g.n], bias)
		}
		sgemm(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, 1, want, g.n)
		got := make([]float32, g.m*g.n)
		for i := range got {
			got[i] = float32(math.NaN())
		}
		sgemmBias(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, bias, got, g.n)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%v element %d: got %.9g, want %.9g", g, i, got[i], want[i])
			}
		}
	}
	got := []float32{7, 7, 7, 7}
	sgemmBias(false, false, 2, 2, 0, nil, 1, nil, 2, []float32{1, 2}, got, 2)
	if got[0] != 1 || got[1] != 2 || got[2] != 1 || got[3] != 2 {
		t.Fatalf("k=0: got %v, want the bias in every row", got)
	}
}
