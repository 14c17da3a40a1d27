package mgvit

import (
	"math"
	"testing"
)

// On amd64 the assembly kernels normally run; switching them off runs the
// portable Go kernels other architectures use. A training step must give
// the same losses and gradients up to float32 rounding (the two round
// multiply-adds differently).
func TestPortableKernelsMatchAssembly(t *testing.T) {
	if !hasFMA3 {
		t.Skip("no AVX2/FMA: the portable kernels are the only ones")
	}
	c := tinyConfig()
	c.ImageSize, c.Dim, c.Heads = 32, 16, 4
	run := func() (Losses, [][]float32) {
		l, m := trainStepOnce(t, c)
		var g [][]float32
		for _, p := range m.Params() {
			g = append(g, append([]float32(nil), p.Grad...))
		}
		return l, g
	}
	asmLoss, asmGrad := run()
	hasFMA3 = false
	defer func() { hasFMA3 = true }()
	goLoss, goGrad := run()
	if math.Abs(asmLoss.Total-goLoss.Total) > 1e-5*max(1, math.Abs(asmLoss.Total)) {
		t.Fatalf("total loss: assembly %.9g, portable %.9g", asmLoss.Total, goLoss.Total)
	}
	var worst, scale float64
	for i := range asmGrad {
		for j, v := range asmGrad[i] {
			worst = max(worst, math.Abs(float64(v-goGrad[i][j])))
			scale = max(scale, math.Abs(float64(v)))
		}
	}
	if scale == 0 || worst > 1e-4*scale {
		t.Fatalf("gradients: largest difference %.3g against a largest gradient of %.3g", worst, scale)
	}
}
