package mgvit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/anomalyncd/ancd/core/optim"
)

// initStd is the standard deviation of timm's trunc_normal_ initialisation.
const initStd = 0.02

// paramSpec names one parameter and how it starts.
type paramSpec struct {
	name  string
	shape []int
	fill  float64 // constant start value when random is false
	rand  bool    // truncated normal (std 0.02, cut at ±2 absolute as timm)
	train bool
}

// paramSpecs lists every parameter in checkpoint order (timm names, then
// projector and heads).
func paramSpecs(c Config) []paramSpec {
	d, p := c.Dim, c.PatchSize
	var s []paramSpec
	add := func(name string, shape []int, fill float64, random, train bool) {
		s = append(s, paramSpec{name, shape, fill, random, train})
	}
	add("cls_token", []int{1, 1, d}, 0, true, false)
	add("pos_embed", []int{1, c.Tokens(), d}, 0, true, false)
	add("patch_embed.proj.weight", []int{d, 3, p, p}, 0, true, false)
	add("patch_embed.proj.bias", []int{d}, 0, false, false)
	h := c.MLPHidden()
	for i := range c.Depth {
		tr := i >= c.GradFromBlock
		pre := fmt.Sprintf("blocks.%d.", i)
		add(pre+"norm1.weight", []int{d}, 1, false, tr)
		add(pre+"norm1.bias", []int{d}, 0, false, tr)
		add(pre+"attn.qkv.weight", []int{3 * d, d}, 0, true, tr)
		add(pre+"attn.qkv.bias", []int{3 * d}, 0, false, tr)
		add(pre+"attn.proj.weight", []int{d, d}, 0, true, tr)
		add(pre+"attn.proj.bias", []int{d}, 0, false, tr)
		add(pre+"norm2.weight", []int{d}, 1, false, tr)
		add(pre+"norm2.bias", []int{d}, 0, false, tr)
		add(pre+"mlp.fc1.weight", []int{h, d}, 0, true, tr)
		add(pre+"mlp.fc1.bias", []int{h}, 0, false, tr)
		add(pre+"mlp.fc2.weight", []int{d, h}, 0, true, tr)
		add(pre+"mlp.fc2.bias", []int{d}, 0, false, tr)
	}
	add("norm.weight", []int{d}, 1, false, false)
	add("norm.bias", []int{d}, 0, false, false)
	widths := []int{d, c.ProjHidden, c.ProjHidden, c.ProjOut}
	for i := range 3 {
		add(fmt.Sprintf("projector.%d.weight", i), []int{widths[i+1], widths[i]}, 0, true, true)
		add(fmt.Sprintf("projector.%d.bias", i), []int{widths[i+1]}, 0, false, true)
	}
	for i := range c.NumHeads {
		add(fmt.Sprintf("heads.%d.weight_v", i), []int{c.Classes(), d}, 0, true, true)
	}
	return s
}

// newParams allocates and initialises every parameter deterministically:
// parameter i draws from a PCG seeded with (seed, i).
func newParams(c Config) []*optim.Param {
	specs := paramSpecs(c)
	ps := make([]*optim.Param, len(specs))
	for i, sp := range specs {
		n := 1
		for _, v := range sp.shape {
			n *= v
		}
		p := &optim.Param{
			Name: sp.name, Shape: append([]int(nil), sp.shape...),
			Value: make([]float32, n), Grad: make([]float32, n), Train: sp.train,
			Decay: !strings.HasSuffix(sp.name, ".bias") && len(sp.shape) > 1,
		}
		if sp.rand {
			rng := rand.New(rand.NewPCG(c.Seed, uint64(i)))
			for j := range p.Value {
				p.Value[j] = float32(truncNormal(rng) * initStd)
			}
		} else {
			for j := range p.Value {
				p.Value[j] = float32(sp.fill)
			}
		}
		ps[i] = p
	}
	return ps
}

// truncNormal draws a standard normal value x with |x·std| <= 2 (timm's
// absolute bounds), by rejection.
func truncNormal(rng *rand.Rand) float64 {
	for {
		x := rng.NormFloat64()
		if math.Abs(x*initStd) <= 2 {
			return x
		}
	}
}
