package mgvit

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// float64Graph builds the float64 train graph of c for 4 samples (8 images:
// two views). With moved, every parameter is first redrawn from
// N(0, 0.3²) (PCG 5, 6), away from the near-zero initialisation where the
// projector output is tiny and its normalisation very curved.
func float64Graph(t *testing.T, c Config, moved bool) (*graph, *Model) {
	t.Helper()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	gr, err := buildGraph(c, m.params, tensor.Float64, 8, trainGraph)
	if err != nil {
		t.Fatal(err)
	}
	if moved {
		prng := rand.New(rand.NewPCG(5, 6))
		for _, v := range gr.paramValues {
			for j, d := 0, v.Data().([]float64); j < len(d); j++ {
				d[j] = prng.NormFloat64() * 0.3
			}
		}
	}
	return gr, m
}

// gradientCopies copies the analytic gradient of every parameter (nil when
// frozen) after a run: each later run overwrites the read-outs, the last
// finite-difference run of a parameter at a perturbed value.
func gradientCopies(gr *graph) [][]float64 {
	out := make([][]float64, len(gr.gradValues))
	for i, v := range gr.gradValues {
		if v != nil {
			out[i] = floatsOf(v)
		}
	}
	return out
}

// tinyConfig is a small model for fast tests: 16 px, patch 4, D=8, 2 blocks.
func tinyConfig() Config {
	c := DefaultConfig(2, 3)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = 16, 4, 8, 2, 2
	c.MaskLayers, c.GradFromBlock = 1, 1
	c.ProjHidden, c.ProjOut, c.NumHeads = 12, 6, 2
	c.Seed = 7
	return c
}

// syntheticBatch makes a batch of b samples; the first nLab are labelled.
func syntheticBatch(c Config, b, nLab int, seed uint64) Batch {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := c.ImageSize
	var bt Batch
	for v := range 2 {
		bt.Views[v] = make([]float32, b*3*s*s)
		for i := range bt.Views[v] {
			bt.Views[v][i] = float32(rng.NormFloat64())
		}
		bt.Masks[v] = make([]float32, b*s*s)
		for i := range b {
			// a random rectangle of ones
			x0, y0 := rng.IntN(s/2), rng.IntN(s/2)
			for y := y0; y < y0+s/2; y++ {
				for x := x0; x < x0+s/2; x++ {
					bt.Masks[v][i*s*s+y*s+x] = 1
				}
			}
		}
	}
	for i := range b {
		if i < nLab {
			bt.Labels = append(bt.Labels, i%max(c.NumLabeled, 1))
			bt.Weights = append(bt.Weights, 0)
		} else {
			bt.Labels = append(bt.Labels, -1)
			bt.Weights = append(bt.Weights, float32(rng.Float64()*0.5))
		}
	}
	return bt
}
