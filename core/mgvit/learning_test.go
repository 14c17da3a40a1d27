package mgvit

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/core/optim"
)

// narrowConfig is a small self-supervised model (no labels, no mask, every
// block trained) whose projector is narrow, like the quick profile's.
func narrowConfig(scaledInit bool) Config {
	c := DefaultConfig(0, 4)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads, c.MLPRatio = 16, 4, 16, 2, 2, 2
	c.MaskLayers, c.MaskPlacement, c.GradFromBlock = 0, PlacementNone, 0
	c.ProjHidden, c.ProjOut, c.NumHeads = 32, 16, 1
	c.Loss.NoLabeled, c.Loss.NoPLR, c.Loss.ContrastiveOnly, c.Loss.ConTemp = true, true, true, 0.2
	c.WidthScaledProjInit = scaledInit
	c.Seed = 1
	return c
}

// stripeBatch makes b unlabelled samples whose two views show the same
// stripe image (orientation by sample parity, a per-sample phase) with a
// small phase jitter and independent pixel noise per view: the views of a
// sample are clearly more alike than those of two samples.
func stripeBatch(c Config, b int, seed uint64) Batch {
	rng := rand.New(rand.NewPCG(seed, 2))
	s := c.ImageSize
	phase := make([]float64, b)
	for i := range phase {
		phase[i] = rng.Float64() * 2 * math.Pi
	}
	var bt Batch
	for v := range 2 {
		bt.Views[v] = make([]float32, b*3*s*s)
		bt.Masks[v] = make([]float32, b*s*s)
		for i := range b {
			ph := phase[i] + 0.3*rng.NormFloat64()
			for ch := range 3 {
				for y := range s {
					for x := range s {
						u := x
						if i%2 == 0 {
							u = y
						}
						bt.Views[v][i*3*s*s+ch*s*s+y*s+x] = float32(1.5*math.Sin(float64(u)*1.3+ph) + 0.5*rng.NormFloat64())
					}
				}
			}
		}
	}
	for range b {
		bt.Labels = append(bt.Labels, -1)
		bt.Weights = append(bt.Weights, 0)
	}
	return bt
}

// meanPairwiseCosine is the mean cosine over all pairs of the L2-normalised
// rows.
func meanPairwiseCosine(f [][]float32) float64 {
	var s float64
	n := 0
	for i := range f {
		for j := i + 1; j < len(f); j++ {
			for k := range f[i] {
				s += float64(f[i][k] * f[j][k])
			}
			n++
		}
	}
	return s / float64(n)
}

// TestContrastivePretrainingLearns trains a narrow model with InfoNCE alone
// for a few dozen SGD steps. With the width-scaled projector init the loss
// falls well below ln(2B-1) (the value of identical projections) and the
// [CLS] features stay diverse. With the reference std 0.02 the projector
// output is ~1e-3, its bias gradient (∝ 1/|z| through the L2 norm) moves the
// bias far past it in the first step, every projection becomes the bias
// direction and the loss sticks at exactly ln(2B-1) with vanishing weight
// gradients: the collapse seen on the quick profile.
func TestContrastivePretrainingLearns(t *testing.T) {
	const b, steps, lr = 8, 40, 0.01
	collapsed := math.Log(2*b - 1)
	for _, tc := range []struct {
		name       string
		scaledInit bool
		learns     bool
	}{
		{"width-scaled-init", true, true},
		{"reference-init", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := narrowConfig(tc.scaledInit)
			m, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			opt, err := optim.NewSGD(m.Params(), optim.ReferenceSGD())
			if err != nil {
				t.Fatal(err)
			}
			var last float64
			for step := range steps {
				l, err := m.TrainStep(stripeBatch(c, b, uint64(step)), 0.07)
				if err != nil {
					t.Fatal(err)
				}
				if step >= steps-5 {
					last += l.Contrastive / 5
				}
				opt.Step(lr)
			}
			test := stripeBatch(c, 16, 999)
			out, err := m.Infer(test.Views[0], test.Masks[0], 16)
			if err != nil {
				t.Fatal(err)
			}
			cos := meanPairwiseCosine(out.Features)
			t.Logf("InfoNCE over the last 5 steps %.4f (ln(2B-1) = %.4f), feature mean cosine %.4f", last, collapsed, cos)
			if learns := last < collapsed-0.5 && cos < 0.9; learns != tc.learns {
				t.Errorf("learns = %v, want %v: InfoNCE %.4f vs collapse %.4f, feature mean cosine %.4f", learns, tc.learns, last, collapsed, cos)
			}
		})
	}
}

// TestTrainStepGradientsReachEveryTrainableParam checks that every
// trainable parameter on the loss's path gets a non-zero gradient, and that
// the heads get none (and keep none) when the loss is contrastive only.
func TestTrainStepGradientsReachEveryTrainableParam(t *testing.T) {
	for _, tc := range []struct{ conOnly, embeddings bool }{{false, false}, {true, false}, {true, true}, {false, true}} {
		conOnly := tc.conOnly
		c := narrowConfig(true)
		c.Loss.ContrastiveOnly = conOnly
		c.TrainEmbeddings = tc.embeddings
		if tc.embeddings {
			c.GradFromBlock = 0
		}
		m, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m.Params() {
			for j := range p.Grad {
				p.Grad[j] = 1 // stale values must be overwritten
			}
		}
		l, err := m.TrainStep(stripeBatch(c, 4, 1), 0.07)
		if err != nil {
			t.Fatal(err)
		}
		if conOnly && (l.Total != l.Contrastive || l.Cluster != 0 || len(l.ClusterPerHead) != c.NumHeads) {
			t.Errorf("contrastive only: losses %+v, want total = contrastive and %d zero cluster losses", l, c.NumHeads)
		}
		embeddingNames := []string{"cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias", "norm.weight", "norm.bias"}
		for _, p := range m.Params() {
			if slices.Contains(embeddingNames, p.Name) && p.Train != tc.embeddings {
				t.Errorf("train_embeddings=%v: %s trainable = %v", tc.embeddings, p.Name, p.Train)
			}
			var norm float64
			for _, g := range p.Grad {
				norm += float64(g) * float64(g)
			}
			isHead := p.Name == "heads.0.weight_v"
			want := p.Train && !(conOnly && isHead)
			if (norm > 0) != want {
				t.Errorf("contrastive-only=%v: %s has gradient norm %g, want non-zero = %v", conOnly, p.Name, math.Sqrt(norm), want)
			}
		}
	}
}

// TestModelGradientAtRealInitialisation compares the float64 graph's
// gradient with central differences at the seeded initialisation itself
// (not re-drawn parameters). The projector output there is tiny, so the L2
// normalisation is very curved: the step must be small against it.
func TestModelGradientAtRealInitialisation(t *testing.T) {
	for _, tc := range []struct {
		name            string
		noLabeled, only bool
	}{
		{"mgcrl", false, false},
		{"mgcrl-no-labeled", true, false},
		{"contrastive-only", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tinyConfig()
			c.Loss.NoLabeled, c.Loss.ContrastiveOnly = tc.noLabeled, tc.only
			gr, m := float64Graph(t, c, false)
			nLab := 2
			if tc.noLabeled {
				nLab = 0
			}
			gr.setBatch(syntheticBatch(c, 4, nLab, 5), 0.07)
			gr.meta.frozenTargets = map[int][]float64{}
			if err := gr.run(); err != nil {
				t.Fatal(err)
			}
			analytics := gradientCopies(gr)
			rng := rand.New(rand.NewPCG(9, 9))
			for i, p := range m.params {
				analytic := analytics[i]
				if analytic == nil {
					continue
				}
				vals := gr.paramValues[i].Data().([]float64)
				for range 2 {
					j := rng.IntN(len(vals))
					num := numericDerivative(t, gr, vals, j, 1e-7)
					if math.Abs(num-analytic[j]) > 1e-4*max(1e-2, math.Abs(num)) {
						t.Errorf("%s[%d]: analytic %.9g, numeric %.9g", p.Name, j, analytic[j], num)
					}
				}
			}
		})
	}
}

func TestWidthScaledProjInitIsReferenceAtReferenceWidths(t *testing.T) {
	for _, tc := range []struct {
		dim, hidden int
		want        [3]float64
	}{
		{768, 2048, [3]float64{0.02, 0.02, 0.02}},
		{48, 128, [3]float64{0.08, 0.08, 0.08}},
		{192, 512, [3]float64{0.04, 0.04, 0.04}},
	} {
		c := DefaultConfig(0, 2)
		c.Dim, c.ProjHidden, c.WidthScaledProjInit = tc.dim, tc.hidden, true
		for i, fanIn := range []int{tc.dim, tc.hidden, tc.hidden} {
			if got := projInitStd(c, i, fanIn); math.Abs(got-tc.want[i]) > 1e-12 {
				t.Errorf("D=%d H=%d layer %d: std %g, want %g", tc.dim, tc.hidden, i, got, tc.want[i])
			}
		}
		c.WidthScaledProjInit = false
		if got := projInitStd(c, 0, tc.dim); got != initStd {
			t.Errorf("reference init: std %g, want %g", got, initStd)
		}
	}
}
