package augment

import (
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCropRect: every rectangle lies inside the bounds, covers between
// minScale and all of the area and has an aspect ratio within [3/4, 4/3]
// (up to the rounding of its sides), or is the whole of the bounds.
func TestCropRect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		b        image.Rectangle
		minScale float64
	}{
		{image.Rect(0, 0, 128, 128), 0.08},
		{image.Rect(10, 20, 74, 52), 0.25}, // offset, 2:1
		{image.Rect(0, 0, 9, 40), 0.5},     // tall: many tries fail
		{image.Rect(0, 0, 50, 50), 1},
	} {
		whole := 0
		for range 2000 {
			r := cropRect(rng, tc.b, tc.minScale)
			if !r.In(tc.b) || r.Empty() {
				t.Fatalf("%v scale %v: rectangle %v outside or empty", tc.b, tc.minScale, r)
			}
			if r == tc.b {
				whole++
				continue
			}
			w, h := float64(r.Dx()), float64(r.Dy())
			frac := w * h / float64(tc.b.Dx()*tc.b.Dy())
			slack := (w + h + 1) / float64(tc.b.Dx()*tc.b.Dy()) // one pixel of rounding per side
			if frac < tc.minScale-slack || frac > 1+slack {
				t.Fatalf("%v scale %v: %v covers %.3f of the area", tc.b, tc.minScale, r, frac)
			}
			// each side is the exact side rounded, so the drawn ratio lies in
			// [lo, hi], which must meet [3/4, 4/3]
			if lo, hi := (w-0.5)/(h+0.5), (w+0.5)/(h-0.5); lo > 4.0/3 || hi < 0.75 {
				t.Fatalf("%v: %v has aspect ratio %.3f", tc.b, r, w/h)
			}
		}
		if tc.minScale < 1 && tc.b.Dx() == tc.b.Dy() && whole > 100 {
			t.Errorf("%v scale %v: the whole image %d times of 2000", tc.b, tc.minScale, whole)
		}
	}
}

// TestResizedCropMaskFollowsImage: with ResizedCrop the mask is cut from
// the same rectangle as the image. The mask is the image's red channel, a
// smooth pattern that no shifted window repeats, and the view's colour
// operations keep its order, so within a view the mask and the red channel
// must order pixels alike; and the views' geometry differs from the plain
// views'.
func TestResizedCropMaskFollowsImage(t *testing.T) {
	src := testSource(60, 44, 8)
	for y := 0; y < 44; y++ {
		for x := 0; x < 60; x++ {
			v := uint8(127.5 + 127*math.Sin(float64(x)/6+float64(y*y)/150))
			src.Image.Pix[y*src.Image.Stride+4*x] = v
			src.Mask.Pix[y*src.Mask.Stride+x] = v
		}
	}
	const s, n = 16, 6
	load := func(int) (Source, error) { return src, nil }
	key := func(i int) Key { return Key{Seed: 1, Index: i} }
	views := func(opts ...Option) ([2][]float32, [2][]float32) {
		a, err := New(s, 1, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var v, m [2][]float32
		for k := range 2 {
			v[k], m[k] = make([]float32, n*3*s*s), make([]float32, n*s*s)
		}
		if err := a.TrainBatch(n, load, key, &v, &m); err != nil {
			t.Fatal(err)
		}
		return v, m
	}
	_, plainMasks := views()
	v, m := views(ResizedCrop(0.1))
	if slices.Equal(m[0], plainMasks[0]) {
		t.Error("ResizedCrop did not change the views' geometry")
	}
	for k := range 2 {
		for i := range n {
			red := v[k][i*3*s*s : i*3*s*s+s*s]
			mask := m[k][i*s*s : (i+1)*s*s]
			if r := rankCorrelation(red, mask); r < 0.5 {
				t.Errorf("view %d of sample %d: red channel and mask rank correlation %.2f", k, i, r)
			}
		}
	}
}

// rankCorrelation is the fraction of concordant minus discordant pairs
// (Kendall's tau-a, ties counting 0).
func rankCorrelation(a, b []float32) float64 {
	var c, d int
	for i := range a {
		for j := i + 1; j < len(a); j++ {
			x, y := a[i]-a[j], b[i]-b[j]
			switch {
			case x*y > 0:
				c++
			case x*y < 0:
				d++
			}
		}
	}
	n := len(a) * (len(a) - 1) / 2
	return float64(c-d) / float64(max(n, 1))
}
