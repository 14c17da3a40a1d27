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
	rand  bool    // truncated normal (std, cut at ±2 absolute as timm)
	std   float64 // std of the truncated normal (initStd unless width-scaled)
	train bool
}

// The fan-ins of the reference projector's layers (ViT-B width 768, then
// hidden 2048), the widths at which initStd was chosen.
const (
	refProjInDim  = 768
	refProjHidden = 2048
)

// projInitStd is the std of projector layer i with fan-in fanIn: initStd,
// or with Config.WidthScaledProjInit initStd·sqrt(refFanIn/fanIn), which
// keeps each layer's output variance at the reference's.
func projInitStd(c Config, i, fanIn int) float64 {
	if !c.WidthScaledProjInit {
		return initStd
	}
	ref := refProjHidden
	if i == 0 {
		ref = refProjInDim
	}
	return initStd * math.Sqrt(float64(ref)/float64(fanIn))
}

// paramSpecs lists every parameter in checkpoint order (timm names, then
// projector and heads).
func paramSpecs(c Config) []paramSpec {
	d, p := c.Dim, c.PatchSize
	var s []paramSpec
	add := func(name string, shape []int, fill float64, random, train bool) {
		s = append(s, paramSpec{name: name, shape: shape, fill: fill, rand: random, std: initStd, train: train})
	}
	add("cls_token", []int{1, 1, d}, 0, true, c.TrainEmbeddings)
	add("pos_embed", []int{1, c.Tokens(), d}, 0, true, c.TrainEmbeddings)
	if c.Stem == StemFilterBank {
		add("patch_embed.proj.weight", []int{d, c.PatchDim()}, 0, true, c.TrainEmbeddings)
		add("patch_embed.proj.bias", []int{d}, 0, false, c.TrainEmbeddings)
		add(StemMeanParam, []int{c.PatchDim()}, 0, false, false)
		add(StemStdParam, []int{c.PatchDim()}, 1, false, false)
	} else {
		add("patch_embed.proj.weight", []int{d, 3, p, p}, 0, true, c.TrainEmbeddings)
		add("patch_embed.proj.bias", []int{d}, 0, false, c.TrainEmbeddings)
	}
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
	add("norm.weight", []int{d}, 1, false, c.TrainEmbeddings)
	add("norm.bias", []int{d}, 0, false, c.TrainEmbeddings)
	widths := []int{d, c.ProjHidden, c.ProjHidden, c.ProjOut}
	for i := range 3 {
		add(fmt.Sprintf("projector.%d.weight", i), []int{widths[i+1], widths[i]}, 0, true, true)
		s[len(s)-1].std = projInitStd(c, i, widths[i])
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
				p.Value[j] = float32(truncNormal(rng, sp.std) * sp.std)
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
func truncNormal(rng *rand.Rand, std float64) float64 {
	for {
		x := rng.NormFloat64()
		if math.Abs(x*std) <= 2 {
			return x
		}
	}
}
