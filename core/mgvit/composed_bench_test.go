package mgvit

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// benchOpCase is one BenchmarkOps entry, built on first use so that running
// one sub-benchmark does not build the inputs of all the others.
type benchOpCase struct {
	name string
	make func(rng *rand.Rand) composedCase
}

// benchOpCases are the custom ops at the benchmark model's shapes
// (benchConfig, 64 images per step): 64×65 = 4160 token rows, D=96, MLP
// hidden 384, 4 heads of 24, 5 classes.
func benchOpCases() []benchOpCase {
	const (
		images  = 64
		patches = 64
		tokens  = patches + 1
		rows    = images * tokens
		dim     = 96
		hidden  = 4 * dim
		heads   = 4
		classes = 5
	)
	cases := []benchOpCase{
		{"linear", func(rng *rand.Rand) composedCase {
			return linearCase(rng, "linear", linearK{rows: rows, in: dim, out: hidden, bias: true})
		}},
		{"gelu", func(rng *rand.Rand) composedCase {
			// runComposed64: the tanh approximation (gorgonia has no erf), a
			// cost stand-in only; see TestComposedGeluTanhStandIn
			return geluCase(rng, "gelu", rows, hidden)
		}},
		{"layernorm", func(rng *rand.Rand) composedCase {
			return layerNormCase(rng, "layernorm", layerNormK{rows: rows, dim: dim, eps: 1e-6})
		}},
		{"add", func(rng *rand.Rand) composedCase { return addCase(rng, "add", rows, dim) }},
		{"tokens", func(rng *rand.Rand) composedCase {
			return tokensCase(rng, "tokens", tokensK{batch: images, patches: patches, dim: dim})
		}},
		{"attention", func(rng *rand.Rand) composedCase {
			return attentionCase(rng, "attention", attentionK{batch: images, tokens: tokens, dim: dim, heads: heads, placement: PlacementNone})
		}},
		{"attention-cls", func(rng *rand.Rand) composedCase {
			return attentionCase(rng, "attention-cls", attentionK{batch: images, tokens: tokens, dim: dim, heads: heads, placement: PlacementCLS})
		}},
		{"cls", func(rng *rand.Rand) composedCase {
			return clsCase(rng, "cls", clsK{batch: images, tokens: tokens, dim: dim})
		}},
		{"l2norm", func(rng *rand.Rand) composedCase { return l2NormCase(rng, "l2norm", l2NormK{rows: images, dim: dim}) }},
		{"cosine", func(rng *rand.Rand) composedCase {
			return cosineCase(rng, "cosine", cosineK{rows: images, dim: dim, classes: classes})
		}},
		{"reshape", func(rng *rand.Rand) composedCase {
			k := reshapeK{from: tensor.Shape{dim, 3, 8, 8}, to: tensor.Shape{dim, 192}}
			return composedCase{name: "reshape", k: k, shapes: []tensor.Shape{k.from},
				inputs: [][]float64{randVecExact32(rng, k.from.TotalSize(), 1)}, check: []bool{true}, build: reshapeComposed(k)}
		}},
		{"weighted-sum", func(rng *rand.Rand) composedCase {
			k := weightedSumK{coefs: []float64{0.2, 0.1, 0.7}}
			return composedCase{name: "weighted-sum", k: k,
				shapes: []tensor.Shape{tensor.ScalarShape(), tensor.ScalarShape(), tensor.ScalarShape()},
				inputs: [][]float64{{1.5}, {0.3}, {-2}}, check: []bool{true, true, true}, build: weightedSumComposed(k)}
		}},
	}
	// The losses at a training batch of 32 samples (64 views), half of
	// them labelled, 5 classes of which 2 labelled, 256-wide projections.
	const batch, numLabeled, projOut = images / 2, 2, 256
	meta := &stepMeta{teacherTemp: 0.07}
	for i := range batch {
		if i%2 == 0 {
			meta.labels, meta.weights = append(meta.labels, i%numLabeled), append(meta.weights, 0)
		} else {
			meta.labels, meta.weights = append(meta.labels, -1), append(meta.weights, float64(i%5)*0.1)
		}
	}
	logits := tensor.Shape{images, classes}
	proj := tensor.Shape{images, projOut}
	dk := distillK{batch: batch, classes: classes, numLabeled: numLabeled, studentTemp: 0.1, meta: meta}
	mk := memaxK{batch: batch, classes: classes, studentTemp: 0.1, meta: meta}
	ck := ceK{batch: batch, classes: classes, studentTemp: 0.1, meta: meta}
	nk := contrastiveK{rows: images, dim: projOut, temp: 1, coef: 1, meta: meta}
	sk := contrastiveK{rows: images, dim: projOut, temp: 0.07, coef: 1, supervised: true, meta: meta}
	return append(cases,
		benchOpCase{"distill", func(rng *rand.Rand) composedCase {
			return scalarLossCase("distill", dk, logits, randVecExact32(rng, logits.TotalSize(), 0.3), distillComposed(dk))
		}},
		benchOpCase{"memax", func(rng *rand.Rand) composedCase {
			return scalarLossCase("memax", mk, logits, randVecExact32(rng, logits.TotalSize(), 0.3), memaxComposed(mk))
		}},
		benchOpCase{"ce", func(rng *rand.Rand) composedCase {
			return scalarLossCase("ce", ck, logits, randVecExact32(rng, logits.TotalSize(), 0.3), ceComposed(ck))
		}},
		benchOpCase{"infonce", func(rng *rand.Rand) composedCase {
			return scalarLossCase("infonce", nk, proj, randVecExact32(rng, proj.TotalSize(), 0.1), contrastiveComposed(nk))
		}},
		benchOpCase{"supcon", func(rng *rand.Rand) composedCase {
			return scalarLossCase("supcon", sk, proj, randVecExact32(rng, proj.TotalSize(), 0.1), contrastiveComposed(sk))
		}},
	)
}

// BenchmarkOps times each custom op's forward32 + backward32 (custom)
// against its composed version: a compiled float32 gorgonia TapeMachine
// running the composed forward and its gorgonia.Grad backward (composed).
// The composed graph also computes the cost Σ r ⊙ out that seeds its
// backward pass (one elementwise product and a sum, plus their gradients),
// which the custom run gets for free as dOut = r.
//
//	go test -run XXX -bench BenchmarkOps -benchtime 3x ./core/mgvit
func BenchmarkOps(b *testing.B) {
	for i, bc := range benchOpCases() {
		b.Run(bc.name, func(b *testing.B) {
			var tc composedCase
			var r []float64
			built := false
			setup := func() {
				if !built {
					tc = bc.make(rand.New(rand.NewPCG(uint64(i), 31)))
					r = upstreamGrad(tc.k, uint64(i))
					built = true
				}
			}
			b.Run("custom", func(b *testing.B) {
				setup()
				benchCustom(b, tc, r)
			})
			b.Run("composed", func(b *testing.B) {
				setup()
				ct := tc
				ct.ref = nil // gelu: time the composed stand-in
				benchComposed(b, ct, r)
			})
		})
	}
}

// benchCustom calls the kernel directly on preallocated float32 slices.
func benchCustom(b *testing.B, tc composedCase, r []float64) {
	in := make([][]float32, len(tc.inputs))
	for i, v := range tc.inputs {
		in[i] = f64sTo32(v)
	}
	out := make([]float32, tc.k.outShape().TotalSize())
	dOut := f64sTo32(r)
	d := make([][]float32, len(in))
	for i, w := range tc.check {
		if w {
			d[i] = make([]float32, len(in[i]))
		}
	}
	for b.Loop() {
		tc.k.forward32(in, out)
		for _, di := range d {
			clear(di) // backward expects zeroed gradients
		}
		tc.k.backward32(in, out, dOut, d)
	}
}

// benchComposed runs the compiled composed graph once per iteration.
func benchComposed(b *testing.B, tc composedCase, r []float64) {
	cg, err := newComposedGraph(tc, tensor.Float32, r)
	if err != nil {
		b.Fatal(err)
	}
	defer cg.vm.Close()
	for b.Loop() {
		if err := cg.run(); err != nil {
			b.Fatal(err)
		}
	}
}
