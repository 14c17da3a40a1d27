package augment

import (
	"image"
	"math"
	"math/rand/v2"
)

// regionRand is the random source of a sample's region mask: seeded from
// Seed, Epoch and Index (not View, so both views share it) and distinct
// from every view's stream.
func (k Key) regionRand() *rand.Rand {
	hi := k.Seed ^ 0xc2b2ae3d27d4eb4f*uint64(k.Epoch+1)
	return rand.New(rand.NewPCG(hi, uint64(k.Index)^0x165667b19e3779f9))
}

// regionMask draws a filled, axis-aligned ellipse inside b covering a
// fraction U(0.1, 0.5) of its area, with an aspect ratio log-uniform in
// [1/3, 3] and a uniform centre (the ellipse is clipped by b's edges).
// Pixels inside are 255, outside 0.
func regionMask(rng *rand.Rand, b image.Rectangle) *image.Gray {
	w, h := b.Dx(), b.Dy()
	m := image.NewGray(b)
	area := float64(w*h) * (0.1 + 0.4*rng.Float64())
	ratio := math.Exp(math.Log(1.0/3) + rng.Float64()*2*math.Log(3))
	rx := math.Max(0.5, math.Sqrt(area*ratio/math.Pi))
	ry := math.Max(0.5, math.Sqrt(area/ratio/math.Pi))
	cx := rng.Float64() * float64(w)
	cy := rng.Float64() * float64(h)
	// only the ellipse's bounding box can hold pixels inside it
	y0, y1 := max(0, int(math.Floor(cy-ry))), min(h, int(math.Ceil(cy+ry))+1)
	x0, x1 := max(0, int(math.Floor(cx-rx))), min(w, int(math.Ceil(cx+rx))+1)
	set := false
	for y := y0; y < y1; y++ {
		dy := (float64(y) + 0.5 - cy) / ry
		for x := x0; x < x1; x++ {
			dx := (float64(x) + 0.5 - cx) / rx
			if dx*dx+dy*dy <= 1 {
				m.Pix[y*m.Stride+x] = 255
				set = true
			}
		}
	}
	if !set { // a centre at a corner may clip it away: keep its pixel
		m.Pix[min(int(cy), h-1)*m.Stride+min(int(cx), w-1)] = 255
	}
	return m
}
