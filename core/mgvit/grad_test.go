package mgvit

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// fdCase is one kernel with its inputs for a finite-difference check.
type fdCase struct {
	name   string
	k      kernel
	inputs [][]float64
	check  []bool // which inputs to differentiate
}

func randVec(rng *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64() * scale
	}
	return v
}

// objective is Σ r·out for tensor outputs, out for scalars.
func objective(k kernel, in [][]float64, r []float64) float64 {
	out := make([]float64, k.outShape().TotalSize())
	k.forward64(in, out)
	var s float64
	for i, v := range out {
		s += v * r[i]
	}
	return s
}

func testMeta() *stepMeta {
	return &stepMeta{labels: []int{0, 1, -1, -1, 0}, weights: []float64{0, 0, 0.3, 0.1, 0}, teacherTemp: 0.07}
}

func fdCases() []fdCase {
	rng := rand.New(rand.NewPCG(1, 2))
	meta := testMeta()
	const b, c = 5, 6
	allowed := []float64{1, 1, 0, 0, 1, 1, 0, 0, 0, 0}
	var cases []fdCase
	cases = append(cases,
		fdCase{"linear", linearK{rows: 3, in: 4, out: 5, bias: true}, [][]float64{randVec(rng, 12, 1), randVec(rng, 20, 1), randVec(rng, 5, 1)}, []bool{true, true, true}},
		fdCase{"gelu", geluK{shape: tensor.Shape{3, 4}}, [][]float64{randVec(rng, 12, 2)}, []bool{true}},
		fdCase{"layernorm", layerNormK{rows: 3, dim: 5, eps: 1e-6}, [][]float64{randVec(rng, 15, 1), randVec(rng, 5, 1), randVec(rng, 5, 1)}, []bool{true, true, true}},
		fdCase{"tokens", tokensK{batch: 2, patches: 3, dim: 2}, [][]float64{randVec(rng, 12, 1), randVec(rng, 2, 1), randVec(rng, 8, 1)}, []bool{true, true, true}},
		fdCase{"l2norm", l2NormK{rows: 3, dim: 4}, [][]float64{randVec(rng, 12, 1)}, []bool{true}},
		fdCase{"cosine", cosineK{rows: 3, dim: 4, classes: 5}, [][]float64{randVec(rng, 12, 1), randVec(rng, 20, 1)}, []bool{true, true}},
		fdCase{"cls", clsK{batch: 2, tokens: 3, dim: 2}, [][]float64{randVec(rng, 12, 1)}, []bool{true}},
		fdCase{"add", addK{shape: tensor.Shape{2, 3}}, [][]float64{randVec(rng, 6, 1), randVec(rng, 6, 1)}, []bool{true, true}},
		fdCase{"weighted-sum", weightedSumK{coefs: []float64{0.7, -2}}, [][]float64{{1.5}, {0.3}}, []bool{true, true}},
	)
	for _, pl := range []Placement{PlacementNone, PlacementCLS, PlacementPatch, PlacementAll} {
		k := attentionK{batch: 2, tokens: 5, dim: 4, heads: 2, placement: pl}
		in := [][]float64{randVec(rng, 2*5*12, 1)}
		check := []bool{true}
		if pl != PlacementNone {
			in = append(in, allowed)
			check = append(check, false)
		}
		cases = append(cases, fdCase{"attention-" + string(pl), k, in, check})
	}
	logits := randVec(rng, 2*b*c, 0.3)
	for _, plr := range []bool{true, false} {
		m := *meta
		if !plr {
			m.weights = make([]float64, b)
		}
		name := "distill-plr"
		if !plr {
			name = "distill-noplr"
		}
		cases = append(cases, fdCase{name, distillK{batch: b, classes: c, numLabeled: 2, studentTemp: 0.1, meta: &m}, [][]float64{logits}, []bool{true}})
	}
	cases = append(cases,
		fdCase{"distill-no-base", distillK{batch: b, classes: c, numLabeled: 0, studentTemp: 0.1, meta: meta}, [][]float64{logits}, []bool{true}},
		fdCase{"memax", memaxK{batch: b, classes: c, studentTemp: 0.1, meta: meta}, [][]float64{logits}, []bool{true}},
		fdCase{"ce", ceK{batch: b, classes: c, studentTemp: 0.1, meta: meta}, [][]float64{logits}, []bool{true}},
		fdCase{"infonce", contrastiveK{rows: 2 * b, dim: 3, temp: 1, coef: 1, meta: meta}, [][]float64{randVec(rng, 2*b*3, 0.6)}, []bool{true}},
		fdCase{"supcon", contrastiveK{rows: 2 * b, dim: 3, temp: 0.07, coef: 1, supervised: true, meta: meta}, [][]float64{randVec(rng, 2*b*3, 0.6)}, []bool{true}},
	)
	return cases
}

func TestKernelGradientsMatchFiniteDifferences(t *testing.T) {
	for _, tc := range fdCases() {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			r := randVec(rng, tc.k.outShape().TotalSize(), 1)
			if len(tc.k.outShape()) == 0 {
				r = []float64{1}
			}
			out := make([]float64, tc.k.outShape().TotalSize())
			tc.k.forward64(tc.inputs, out)
			d := make([][]float64, len(tc.inputs))
			for i, want := range tc.check {
				if want {
					d[i] = make([]float64, len(tc.inputs[i]))
				}
			}
			tc.k.backward64(tc.inputs, out, r, d)
			obj := func() float64 { return objective(tc.k, tc.inputs, r) }
			if dk, ok := tc.k.(distillK); ok { // the teacher is detached: hold it fixed
				q := distillTargets(dk, append([]float64(nil), tc.inputs[0]...))
				obj = func() float64 { return distillLoss(dk, tc.inputs[0], q) }
			}
			const h = 1e-6
			for i, want := range tc.check {
				if !want {
					continue
				}
				for j := range tc.inputs[i] {
					orig := tc.inputs[i][j]
					tc.inputs[i][j] = orig + h
					fp := obj()
					tc.inputs[i][j] = orig - h
					fm := obj()
					tc.inputs[i][j] = orig
					num := (fp - fm) / (2 * h)
					if diff := math.Abs(num - d[i][j]); diff > 1e-6*max(1, math.Abs(num)) {
						t.Fatalf("input %d[%d]: analytic %.9g, numeric %.9g", i, j, d[i][j], num)
					}
				}
			}
		})
	}
}
