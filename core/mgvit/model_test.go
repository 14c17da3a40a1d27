package mgvit

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// TestModelLossGradientMatchesFiniteDifferences checks d total / d param of
// a whole tiny float64 model, for a few entries of several trainable params,
// in every mask placement.
func TestModelLossGradientMatchesFiniteDifferences(t *testing.T) {
	for _, pl := range []Placement{PlacementCLS, PlacementNone, PlacementAll} {
		t.Run(string(pl), func(t *testing.T) {
			c := tinyConfig()
			c.MaskPlacement = pl
			gr, m := float64Graph(t, c, true)
			gr.setBatch(syntheticBatch(c, 4, 2, 5), 0.07)
			gr.meta.frozenTargets = map[int][]float64{}
			if err := gr.run(); err != nil {
				t.Fatal(err)
			}
			names := []string{"blocks.1.attn.qkv.weight", "blocks.1.norm1.weight", "blocks.1.mlp.fc1.bias", "projector.0.weight", "projector.2.bias", "heads.1.weight_v"}
			analytics := gradientCopies(gr)
			rng := rand.New(rand.NewPCG(9, 9))
			for i, p := range m.params {
				if !slices.Contains(names, p.Name) {
					continue
				}
				analytic := analytics[i]
				vals := gr.paramValues[i].Data().([]float64)
				for range 3 {
					j := rng.IntN(len(vals))
					num := numericDerivative(t, gr, vals, j, 1e-6)
					if math.Abs(num-analytic[j]) > 1e-5*max(1, math.Abs(num)) {
						t.Errorf("%s[%d]: analytic %.9g, numeric %.9g", p.Name, j, analytic[j], num)
					}
				}
			}
		})
	}
}

func runTotal(t *testing.T, gr *graph) float64 {
	t.Helper()
	if err := gr.run(); err != nil {
		t.Fatal(err)
	}
	return scalarOf(gr.lossValues.total)
}

// numericDerivative is the central difference of the graph's total loss in
// vals[j] (a parameter value of the float64 graph gr) with step h.
func numericDerivative(t *testing.T, gr *graph, vals []float64, j int, h float64) float64 {
	t.Helper()
	orig := vals[j]
	vals[j] = orig + h
	fp := runTotal(t, gr)
	vals[j] = orig - h
	fm := runTotal(t, gr)
	vals[j] = orig
	return (fp - fm) / (2 * h)
}

func TestMaskedCLSAttentionIgnoresOutsideMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	allowed := []float64{1, 0, 1, 0, 0}
	for _, tc := range []struct {
		pl          Placement
		maskedRows  []int
		freeRowsSum bool
	}{
		{PlacementCLS, []int{0}, true},
		{PlacementPatch, []int{1, 2, 3, 4}, true},
		{PlacementAll, []int{0, 1, 2, 3, 4}, false},
	} {
		k := attentionK{batch: 1, tokens: 5, dim: 4, heads: 2, placement: tc.pl}
		probs := make([]float64, 5*5)
		attnProbs(k, randVec(rng, 5*12, 3), allowed, 0, 1, probs, 5, nil)
		for i := range 5 {
			masked := slices.Contains(tc.maskedRows, i)
			for j, a := range allowed {
				p := probs[i*5+j]
				if masked && a == 0 && p != 0 {
					t.Errorf("%s: row %d key %d outside mask has weight %g", tc.pl, i, j, p)
				}
				if !masked && p == 0 {
					t.Errorf("%s: unmasked row %d key %d has zero weight", tc.pl, i, j)
				}
			}
		}
	}
}

func TestAllZeroMaskGivesFiniteOutputs(t *testing.T) {
	for _, pl := range []Placement{PlacementCLS, PlacementPatch, PlacementAll} {
		c := tinyConfig()
		c.MaskPlacement = pl
		c.MaskLayers = c.Depth
		m, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		b := syntheticBatch(c, 4, 2, 3)
		clear(b.Masks[0])
		clear(b.Masks[1])
		l, err := m.TrainStep(b, 0.07)
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(l.Total) || math.IsInf(l.Total, 0) {
			t.Errorf("%s: total loss %g", pl, l.Total)
		}
		for _, p := range m.Params() {
			for _, g := range p.Grad {
				if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
					t.Fatalf("%s: %s has non-finite gradient", pl, p.Name)
				}
			}
		}
		out, err := m.Infer(b.Views[0], b.Masks[0], 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range out.Features {
			for _, v := range f {
				if math.IsNaN(float64(v)) {
					t.Fatalf("%s: NaN feature", pl)
				}
			}
		}
	}
}

// trainStepOnce runs one step of a fresh model on a fixed batch and returns
// the losses and the model, its gradients filled.
func trainStepOnce(t *testing.T, c Config) (Losses, *Model) {
	t.Helper()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	l, err := m.TrainStep(syntheticBatch(c, 8, 3, 11), 0.06)
	if err != nil {
		t.Fatal(err)
	}
	return l, m
}

// stepFingerprint hashes the losses and all gradients of trainStepOnce.
func stepFingerprint(t *testing.T, c Config) string {
	t.Helper()
	l, m := trainStepOnce(t, c)
	h := sha256.New()
	fmt.Fprintf(h, "%b %b %b %b %b %v|", l.Total, l.Cluster, l.Cls, l.Contrastive, l.SupCon, l.ClusterPerHead)
	for _, p := range m.Params() {
		for _, g := range p.Grad {
			binary.Write(h, binary.LittleEndian, math.Float32bits(g))
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestTrainStepIsDeterministicAcrossRunsAndThreads(t *testing.T) {
	small := tinyConfig()
	small.ImageSize, small.Dim, small.Heads = 32, 16, 4 // enough work for parallel kernels
	// The benchmark model, whose products are large enough for every
	// parallel split of sgemm (by rows, by columns, parallel packing).
	bench := benchConfig()
	bench.ProjHidden, bench.ProjOut = 512, 128
	for name, c := range map[string]Config{"small": small, "bench": bench} {
		want := stepFingerprint(t, c)
		for _, procs := range []int{1, 2, 3, 4} {
			prev := runtime.GOMAXPROCS(procs)
			got := stepFingerprint(t, c)
			runtime.GOMAXPROCS(prev)
			if got != want {
				t.Errorf("%s, GOMAXPROCS=%d: losses/gradients differ from the first run", name, procs)
			}
		}
	}
}

func TestTrainStepSkipRule(t *testing.T) {
	for _, tc := range []struct {
		name      string
		noLabeled bool
		nLab      int
		skipped   bool
	}{
		{"mixed", false, 2, false},
		{"only-unlabelled", false, 0, true},
		{"only-labelled", false, 4, true},
		{"no-labeled-mode", true, 0, false},
	} {
		c := tinyConfig()
		c.Loss.NoLabeled = tc.noLabeled
		m, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		l, err := m.TrainStep(syntheticBatch(c, 4, tc.nLab, 1), 0.07)
		if got := errors.Is(err, ErrSkippedBatch); got != tc.skipped {
			t.Errorf("%s: skipped=%v (err %v), want %v", tc.name, got, err, tc.skipped)
		}
		if tc.noLabeled && (l.Cls != 0 || l.SupCon != 0 || l.Total == 0) {
			t.Errorf("%s: losses %+v: want cls=supcon=0 and a total", tc.name, l)
		}
		if tc.skipped {
			for _, p := range m.Params() {
				if slices.ContainsFunc(p.Grad, func(g float32) bool { return g != 0 }) {
					t.Errorf("%s: %s has gradients after a skip", tc.name, p.Name)
				}
			}
		}
	}
}

func TestFrozenParamsGetNoGradient(t *testing.T) {
	c := tinyConfig()
	m, _ := New(c)
	if _, err := m.TrainStep(syntheticBatch(c, 4, 2, 1), 0.07); err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		nonzero := slices.ContainsFunc(p.Grad, func(g float32) bool { return g != 0 })
		if nonzero != p.Train {
			t.Errorf("%s: train=%v but has nonzero gradient=%v", p.Name, p.Train, nonzero)
		}
	}
}

func ExampleModel_TrainStep() {
	c := DefaultConfig(2, 3)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = 16, 4, 8, 2, 2
	c.MaskLayers, c.GradFromBlock, c.ProjHidden, c.ProjOut = 1, 1, 12, 6
	m, _ := New(c)
	s := c.ImageSize
	b := Batch{Labels: []int{0, 1, -1, -1}, Weights: []float32{0, 0, 0.5, 0}}
	for v := range 2 {
		b.Views[v] = make([]float32, 4*3*s*s)
		b.Masks[v] = make([]float32, 4*s*s)
	}
	l, err := m.TrainStep(b, 0.07)
	fmt.Println(err, len(l.ClusterPerHead), l.Total > 0)
	// Output: <nil> 4 true
}
