package mgvit

import (
	"math/rand/v2"
)

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
