package mebin

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"
)

// smoothMap draws a detector-like map: a smooth background of broad bumps,
// 0-2 anomaly blobs and +-2 grey levels of pixel noise.
func smoothMap(rng *rand.Rand, w, h int) *image.Gray {
	type bump struct{ cx, cy, sig, amp float64 }
	var bumps []bump
	for k := 0; k < 6; k++ {
		bumps = append(bumps, bump{rng.Float64() * float64(w), rng.Float64() * float64(h), 30 + rng.Float64()*40, 20 + rng.Float64()*60})
	}
	for k := rng.IntN(3); k > 0; k-- {
		bumps = append(bumps, bump{rng.Float64() * float64(w), rng.Float64() * float64(h), 4 + rng.Float64()*12, 120 + rng.Float64()*135})
	}
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := rng.Float64()*4 - 2
			for _, b := range bumps {
				dx, dy := float64(x)-b.cx, float64(y)-b.cy
				v = max(v, b.amp*math.Exp(-(dx*dx+dy*dy)/(2*b.sig*b.sig)))
			}
			m.Pix[y*w+x] = uint8(min(255, max(0, v)))
		}
	}
	return m
}

// BenchmarkMEBinFastSmooth256 is BenchmarkMEBinFast256 on detector-like
// smooth maps (ns/op per map).
func BenchmarkMEBinFastSmooth256(b *testing.B) {
	rng := rand.New(rand.NewPCG(43, 0))
	maps := make([]*image.Gray, 8)
	for i := range maps {
		maps[i] = smoothMap(rng, 256, 256)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += len(maps) {
		if _, _, err := Binarize(maps, Params{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMEBinStraightforwardSmooth256 is the straightforward
// implementation on the smooth maps (ns/op per map).
func BenchmarkMEBinStraightforwardSmooth256(b *testing.B) {
	rng := rand.New(rand.NewPCG(43, 0))
	maps := make([]*image.Gray, 8)
	for i := range maps {
		maps[i] = smoothMap(rng, 256, 256)
	}
	r, _ := SearchRange(maps)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		refBinarize(maps[i%len(maps)], r, Params{})
	}
}

// benchSet is a hard set (i.i.d. noise under the blobs) of 8 maps of 256x256: a few blobs (some
// flat-topped, some on the border) over a noisy background.
func benchSet() ([]*image.Gray, Range) {
	rng := rand.New(rand.NewPCG(42, 0))
	maps := make([]*image.Gray, 8)
	for i := range maps {
		maps[i] = randomMap(rng, 256, 256)
	}
	r, _ := SearchRange(maps)
	return maps, r
}

// BenchmarkMEBinFast256 reports the time per 256x256 map of Binarize over
// the set with one worker (ns/op is per map).
func BenchmarkMEBinFast256(b *testing.B) {
	maps, _ := benchSet()
	b.ResetTimer()
	for i := 0; i < b.N; i += len(maps) {
		if _, _, err := Binarize(maps, Params{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMEBinStraightforward256 is the per-threshold erode-and-label
// implementation of reference_test.go on the same maps (ns/op per map).
func BenchmarkMEBinStraightforward256(b *testing.B) {
	maps, r := benchSet()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		refBinarize(maps[i%len(maps)], r, Params{})
	}
}
