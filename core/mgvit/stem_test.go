package mgvit

import (
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"
)

// TestFilterBankStem: the filter-bank stem's model has a [D,F] patch
// embedding and fixed statistics; FitStem standardises the responses of the
// views it saw (mean 0, std 1 per response); a contrastive training step
// then reaches every trainable parameter, the patch embedding included.
func TestFilterBankStem(t *testing.T) {
	c := narrowConfig(true)
	c.Stem = StemFilterBank
	c.TrainEmbeddings = true
	c.GradFromBlock = 0
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]int{}
	for _, p := range m.Params() {
		byName[p.Name] = p.Shape
	}
	if f := c.PatchDim(); f != 27 || !slices.Equal(byName["patch_embed.proj.weight"], []int{c.Dim, f}) ||
		!slices.Equal(byName[StemMeanParam], []int{f}) || !slices.Equal(byName[StemStdParam], []int{f}) {
		t.Fatalf("PatchDim %d, shapes %v", c.PatchDim(), byName)
	}
	b := stripeBatch(c, 6, 2)
	fit, err := m.NewStemFit()
	if err != nil {
		t.Fatal(err)
	}
	if err := fit.Add(b.Views[0], 6); err != nil {
		t.Fatal(err)
	}
	if err := fit.Add(b.Views[0][:3], 6); err == nil {
		t.Error("short views accepted")
	}
	if err := fit.Apply(); err != nil {
		t.Fatal(err)
	}
	// The standardised inputs of the fitted views have mean 0 and std 1.
	gr, err := buildGraph(c, m.Params(), tensor.Float64, 6, inferGraph)
	if err != nil {
		t.Fatal(err)
	}
	fillInputs(gr, b.Views[0], b.Masks[0], 6, 0)
	x := gr.patches.Value().Data().([]float64)
	f := c.PatchDim()
	for k := range f {
		var s, s2 float64
		n := len(x) / f
		for r := range n {
			s += x[r*f+k]
			s2 += x[r*f+k] * x[r*f+k]
		}
		mu := s / float64(n)
		sd := math.Sqrt(s2/float64(n) - mu*mu)
		if math.Abs(mu) > 1e-4 || (sd > 1e-3 && math.Abs(sd-1) > 1e-3) {
			t.Errorf("response %d: standardised mean %g std %g", k, mu, sd)
		}
	}
	if _, err := m.TrainStep(b, 0.07); err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Params() {
		var norm float64
		for _, g := range p.Grad {
			norm += float64(g) * float64(g)
		}
		if (norm > 0) != (p.Train && p.Name != "heads.0.weight_v") {
			t.Errorf("%s: gradient norm %g, trainable %v", p.Name, math.Sqrt(norm), p.Train)
		}
	}
	pixels := narrowConfig(true)
	pm, err := New(pixels)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pm.NewStemFit(); err == nil {
		t.Error("a pixels stem accepted a stem fit")
	}
	bad := c
	bad.Stem = "cnn"
	if err := bad.Validate(); err == nil {
		t.Error("unknown stem accepted")
	}
}

// TestMaskFallback: a thin mask that fills no 8×8 patch to the threshold
// allows no patch under the reference rule, and the patches of largest
// coverage under MaskFallbackMax; a mask that reaches the threshold and an
// empty mask are the same under both rules.
func TestMaskFallback(t *testing.T) {
	c := DefaultConfig(0, 2)
	c.ImageSize, c.PatchSize = 16, 8 // 2×2 patches
	thin := make([]float32, 16*16)
	for y := range 16 {
		thin[y*16+9] = 1 // one column in the right patches: coverage 1/8 there
	}
	thin[0] = 1 // one pixel in the top-left patch: coverage 1/64
	full := make([]float32, 16*16)
	for y := range 8 {
		for x := range 8 {
			full[y*16+x] = 1
		}
	}
	empty := make([]float32, 16*16)
	for _, tc := range []struct {
		name     string
		mask     []float32
		fallback string
		want     []float64
	}{
		{"thin, reference", thin, "", []float64{1, 0, 0, 0, 0}},
		{"thin, none", thin, MaskFallbackNone, []float64{1, 0, 0, 0, 0}},
		{"thin, max", thin, MaskFallbackMax, []float64{1, 0, 1, 0, 1}},
		{"full patch, max", full, MaskFallbackMax, []float64{1, 1, 0, 0, 0}},
		{"empty, max", empty, MaskFallbackMax, []float64{1, 0, 0, 0, 0}},
	} {
		c.MaskFallback = tc.fallback
		got := make([]float64, c.Tokens())
		poolMask(c, tc.mask, 1, 0, got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: allowed %v, want %v", tc.name, got, tc.want)
		}
	}
	c.MaskFallback = "nearest"
	if err := c.Validate(); err == nil {
		t.Error("unknown fallback accepted")
	}
}
