package mgvit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The AVX-512 kernel (two tiles at once) gives every element the same
// multiply-add sequence as the AVX2 kernel: results are identical bit for
// bit, whichever of them the CPU runs.
func TestSgemmAVX512MatchesAVX2Bitwise(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no AVX-512 on this CPU")
	}
	rng := rand.New(rand.NewPCG(9, 9))
	cases := append(gemmCases(), gemmCase{false, true, 4160, 96, 384, 0}, gemmCase{true, false, 96, 384, 700, 1})
	for _, g := range cases {
		t.Run(fmt.Sprint(g), func(t *testing.T) {
			a, lda, b, ldb, c := g.operands(rng)
			bias := randF32(rng, g.n)
			run := func(avx512 bool) ([]float32, []float32) {
				hasAVX512 = avx512
				defer func() { hasAVX512 = true }()
				out := append([]float32(nil), c...)
				sgemm(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, g.beta, out, g.n)
				withBias := make([]float32, g.m*g.n)
				sgemmBias(g.tA, g.tB, g.m, g.n, g.k, a, lda, b, ldb, bias, withBias, g.n)
				return out, withBias
			}
			want, wantBias := run(false)
			got, gotBias := run(true)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) || math.Float32bits(gotBias[i]) != math.Float32bits(wantBias[i]) {
					t.Fatalf("element %d: AVX-512 %x/%x, AVX2 %x/%x", i, math.Float32bits(got[i]), math.Float32bits(gotBias[i]), math.Float32bits(want[i]), math.Float32bits(wantBias[i]))
				}
			}
		})
	}
}

// BenchmarkTrainStepKernels times the benchmark model's training step with
// each sgemm micro-kernel this CPU can run, in one run.
func BenchmarkTrainStepKernels(b *testing.B) {
	avx512 := hasAVX512
	defer func() { hasAVX512 = avx512 }()
	b.Run("avx2", func(b *testing.B) {
		hasAVX512 = false
		benchmarkTrainStep(b, benchConfig())
	})
	if avx512 {
		b.Run("avx512", func(b *testing.B) {
			hasAVX512 = true
			benchmarkTrainStep(b, benchConfig())
		})
	}
}
