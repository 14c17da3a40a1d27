package augment

import (
	"image"
	"math"
	"slices"
	"testing"
)

// TestRegionMask: a region mask is binary, never empty, covers at most half
// of the image (less where an edge clips it) and depends only on its key's
// Seed, Epoch and Index.
func TestRegionMask(t *testing.T) {
	b := image.Rect(0, 0, 64, 48)
	for i := range 300 {
		k := Key{Seed: 5, Epoch: i % 3, Index: i}
		m := regionMask(k.regionRand(), b)
		on := 0
		for _, v := range m.Pix {
			switch v {
			case 255:
				on++
			case 0:
			default:
				t.Fatalf("key %+v: mask value %d", k, v)
			}
		}
		if on == 0 || float64(on) > 0.5*float64(64*48)+64+48 {
			t.Fatalf("key %+v: %d of %d pixels set", k, on, 64*48)
		}
		k.View = 1
		if again := regionMask(k.regionRand(), b); !slices.Equal(again.Pix, m.Pix) {
			t.Fatalf("key %+v: the mask depends on the view", k)
		}
	}
}

// TestRegionMasksOnlyWhereNoMask: with RegionMasks a sample without a mask
// gets a non-empty one in both views, and a sample with a mask keeps its
// own (its views equal the plain views).
func TestRegionMasksOnlyWhereNoMask(t *testing.T) {
	withMask := testSource(40, 40, 1)
	noMask := testSource(40, 40, 2)
	noMask.Mask = nil
	srcs := []Source{withMask, noMask}
	load := func(i int) (Source, error) { return srcs[i], nil }
	key := func(i int) Key { return Key{Seed: 3, Index: i} }
	const s = 16
	run := func(opts ...Option) [2][]float32 {
		a, err := New(s, 1, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var v, m [2][]float32
		for k := range 2 {
			v[k], m[k] = make([]float32, 2*3*s*s), make([]float32, 2*s*s)
		}
		if err := a.TrainBatch(2, load, key, &v, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	plain, region := run(), run(RegionMasks())
	for v := range 2 {
		if !slices.Equal(plain[v][:s*s], region[v][:s*s]) {
			t.Errorf("view %d: a sample's own mask was replaced", v)
		}
		if slices.Max(plain[v][s*s:]) != 0 {
			t.Errorf("view %d: a sample without a mask has a mask without RegionMasks", v)
		}
		if slices.Max(region[v][s*s:]) == 0 {
			t.Errorf("view %d: no region mask for the sample without one", v)
		}
	}
}

// TestRegionMaskBoundingBoxScan: drawing only inside the ellipse's bounding
// box sets exactly the pixels a scan of the whole image sets.
func TestRegionMaskBoundingBoxScan(t *testing.T) {
	for _, b := range []image.Rectangle{image.Rect(0, 0, 64, 48), image.Rect(0, 0, 7, 300), image.Rect(0, 0, 1, 1)} {
		for i := range 500 {
			k := Key{Seed: 9, Index: i}
			got := regionMask(k.regionRand(), b)
			want := regionMaskFullScan(k, b)
			if !slices.Equal(got.Pix, want.Pix) {
				t.Fatalf("%v key %+v: bounding-box scan differs from the whole-image scan", b, k)
			}
		}
	}
}

// regionMaskFullScan draws regionMask's ellipse (same draws) by testing
// every pixel of the image.
func regionMaskFullScan(k Key, b image.Rectangle) *image.Gray {
	rng := k.regionRand()
	w, h := b.Dx(), b.Dy()
	m := image.NewGray(b)
	area := float64(w*h) * (0.1 + 0.4*rng.Float64())
	ratio := math.Exp(math.Log(1.0/3) + rng.Float64()*2*math.Log(3))
	rx := math.Max(0.5, math.Sqrt(area*ratio/math.Pi))
	ry := math.Max(0.5, math.Sqrt(area/ratio/math.Pi))
	cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			if dx*dx+dy*dy <= 1 {
				m.Pix[y*m.Stride+x] = 255
			}
		}
	}
	if !slices.Contains(m.Pix, 255) {
		m.Pix[min(int(cy), h-1)*m.Stride+min(int(cx), w-1)] = 255
	}
	return m
}
