package train

import (
	"image"
	"image/color"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/core/features"
	"github.com/anomalyncd/ancd/core/imageio"
)

// TestMaskPooled: the mask's mean over each cell weighs the cell; an empty
// mask weighs every cell alike.
func TestMaskPooled(t *testing.T) {
	g := &features.Grid{W: 2, H: 2, D: 1, Data: []float32{1, 2, 3, 4}} // cells (0,0)=1 (1,0)=2 (0,1)=3 (1,1)=4
	const s = 4
	for _, tc := range []struct {
		name string
		mask func(x, y int) float32
		want float64
	}{
		{"empty", func(x, y int) float32 { return 0 }, 2.5},
		{"full", func(x, y int) float32 { return 1 }, 2.5},
		{"top-right cell", func(x, y int) float32 { return b2f(x >= 2 && y < 2) }, 2},
		{"bottom row", func(x, y int) float32 { return b2f(y >= 2) }, 3.5},
		{"half of cell 4, all of cell 1", func(x, y int) float32 { return b2f((x < 2 && y < 2) || (x == 3 && y >= 2)) }, (1*1 + 0.5*4) / 1.5},
	} {
		m := make([]float32, s*s)
		for y := range s {
			for x := range s {
				m[y*s+x] = tc.mask(x, y)
			}
		}
		if got := maskPooled(g, m, s); len(got) != 1 || abs(got[0]-tc.want) > 1e-12 {
			t.Errorf("%s: pooled %v, want [%v]", tc.name, got, tc.want)
		}
	}
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestFilterBankFeatures: the same crop under different masks gives
// different features, an empty mask the same as a full one, the columns
// are standardised, and the result does not depend on the worker count.
func TestFilterBankFeatures(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for y := range 40 {
		for x := range 40 {
			v := uint8(rng.IntN(256))
			if x < 20 { // a smooth left half, a noisy right half
				v = uint8(100 + x)
			}
			img.Set(x, y, color.RGBA{v, v / 2, 255 - v, 255})
		}
	}
	if err := imageio.WritePNG(filepath.Join(dir, "crop.png"), img); err != nil {
		t.Fatal(err)
	}
	masks := map[string]func(x, y int) bool{
		"left": func(x, y int) bool { return x < 20 }, "right": func(x, y int) bool { return x >= 20 },
		"empty": func(x, y int) bool { return false }, "full": func(x, y int) bool { return true },
	}
	var items []Item
	for _, name := range []string{"left", "right", "empty", "full"} {
		m := image.NewGray(image.Rect(0, 0, 40, 40))
		for y := range 40 {
			for x := range 40 {
				if masks[name](x, y) {
					m.SetGray(x, y, color.Gray{255})
				}
			}
		}
		if err := imageio.WritePNG(filepath.Join(dir, name+".png"), m); err != nil {
			t.Fatal(err)
		}
		items = append(items, Item{Image: "crop.png", Mask: name + ".png", Label: -1})
	}
	f, err := FilterBankFeatures(items, dir, 32, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(f) != 4 || len(f[0]) != 27 {
		t.Fatalf("got %d features of %d values, want 4 of 27", len(f), len(f[0]))
	}
	if slices.Equal(f[0], f[1]) {
		t.Error("left and right masks give the same feature")
	}
	if !slices.Equal(f[2], f[3]) {
		t.Errorf("empty mask %v, full mask %v: want equal", f[2], f[3])
	}
	for d := range f[0] {
		var mean, varSum float64
		for _, r := range f {
			mean += float64(r[d]) / 4
		}
		for _, r := range f {
			varSum += (float64(r[d]) - mean) * (float64(r[d]) - mean) / 4
		}
		if abs(mean) > 1e-5 || (varSum > 1e-9 && abs(varSum-1) > 1e-4) {
			t.Errorf("column %d: mean %g, variance %g; want 0 and 1 (or a constant 0)", d, mean, varSum)
		}
	}
	g, err := FilterBankFeatures(items, dir, 32, 8, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f {
		if !slices.Equal(f[i], g[i]) {
			t.Errorf("item %d: 1 worker %v, 3 workers %v", i, f[i], g[i])
		}
	}
}
