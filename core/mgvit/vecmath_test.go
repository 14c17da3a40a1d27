package mgvit

import (
	"math"
	"math/rand/v2"
	"testing"
)

// vmInputs spans GELU's interesting range, the underflow edge of e^{-x²/2}
// and a few odd lengths (the assembly handles tails through a padded copy).
func vmInputs(n int) []float32 {
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, n)
	for i := range x {
		switch i % 4 {
		case 0:
			x[i] = float32(rng.NormFloat64())
		case 1:
			x[i] = float32(rng.NormFloat64() * 4)
		case 2:
			x[i] = float32(-14 + 28*rng.Float64())
		default:
			x[i] = float32(-20 + float64(i%4000)/100)
		}
	}
	return x
}

func TestVecMathMatchesExact(t *testing.T) {
	for _, n := range []int{1, 7, 8, 13, 4096 + 5} {
		x := vmInputs(n)
		dy := vmInputs(n)
		y, dx := make([]float32, n), make([]float32, n)
		geluForward32(x, y)
		geluBackward32(x, dy, dx)
		for i, v := range x {
			xv := float64(v)
			cdf := 0.5 * math.Erfc(-xv/math.Sqrt2)
			pdf := math.Exp(-xv*xv/2) / math.Sqrt(2*math.Pi)
			tol := 1e-6 * max(1, math.Abs(xv))
			if got := float64(y[i]); math.Abs(got-xv*cdf) > tol {
				t.Fatalf("n=%d gelu(%g) = %.9g, want %.9g", n, xv, got, xv*cdf)
			}
			wantD := float64(dy[i]) * (cdf + xv*pdf)
			if got := float64(dx[i]); math.Abs(got-wantD) > tol*max(1, math.Abs(float64(dy[i]))) {
				t.Fatalf("n=%d gelu'(%g)·%g = %.9g, want %.9g", n, xv, dy[i], got, wantD)
			}
			// the portable e^x behind both, for arguments in [-100, 0]
			e := -float32(math.Abs(xv)) * 5
			we := math.Exp(float64(e))
			if e < vmExpLo {
				we = 0
			}
			if got := float64(exp32(e)); math.Abs(got-we) > 3e-7*we {
				t.Fatalf("exp(%g) = %.9g, want %.9g", e, got, we)
			}
		}
	}
}

// The assembly and the portable kernels compute the same formulas; they
// differ only by fused versus separate rounding of multiply-adds.
func TestVecMathAssemblyMatchesPortable(t *testing.T) {
	if !hasFMA3 {
		t.Skip("no AVX2/FMA: only the portable kernels run")
	}
	const n = 10007
	x, dy := vmInputs(n), vmInputs(n)
	y1, y2 := make([]float32, n), make([]float32, n)
	geluForward32(x, y1)
	geluForwardGo32(x, y2)
	d1, d2 := make([]float32, n), make([]float32, n)
	geluBackward32(x, dy, d1)
	geluBackwardGo32(x, dy, d2)
	for i := range x {
		scale := max(1, math.Abs(float64(x[i])))
		if math.Abs(float64(y1[i]-y2[i])) > 2e-7*scale || math.Abs(float64(d1[i]-d2[i])) > 2e-7*scale*max(1, math.Abs(float64(dy[i]))) {
			t.Fatalf("x=%g: gelu %g vs %g, grad %g vs %g", x[i], y1[i], y2[i], d1[i], d2[i])
		}
	}
}

// softmaxRef is the float64 softmax of row·scale + bias.
func softmaxRef(row, bias []float32, scale float32) []float64 {
	out := make([]float64, len(row))
	mx := math.Inf(-1)
	for j, v := range row {
		out[j] = float64(v)*float64(scale) + float64(bias[j])
		mx = max(mx, out[j])
	}
	var sum float64
	for j := range out {
		out[j] = math.Exp(out[j] - mx)
		sum += out[j]
	}
	for j := range out {
		out[j] /= sum
	}
	return out
}

func TestSoftmax32(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{8, 16, 72, 200} {
		row := make([]float32, n)
		bias := make([]float32, n)
		for j := range row {
			row[j] = float32(rng.NormFloat64() * 6)
			if rng.IntN(4) == 0 || j >= n-5 {
				bias[j] = maskedScore // masked keys and padding
			}
		}
		want := softmaxRef(row, bias, 0.2)
		for name, fn := range map[string]func(row, bias []float32, scale float32){"dispatch": softmax32, "portable": softmaxGo32} {
			got := append([]float32(nil), row...)
			fn(got, bias, 0.2)
			var sum float64
			for j, v := range got {
				sum += float64(v)
				if bias[j] == maskedScore && v != 0 {
					t.Fatalf("%s n=%d: masked key %d has probability %g, want exactly 0", name, n, j, v)
				}
				if math.Abs(float64(v)-want[j]) > 1e-6*max(want[j], 1e-3) {
					t.Fatalf("%s n=%d: p[%d] = %.9g, want %.9g", name, n, j, v, want[j])
				}
			}
			if math.Abs(sum-1) > 1e-6 {
				t.Fatalf("%s n=%d: probabilities sum to %.9g", name, n, sum)
			}
		}
	}
}
