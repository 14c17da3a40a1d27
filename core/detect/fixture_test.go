package detect

import (
	"image"
	"math/rand/v2"

	"github.com/anomalyncd/ancd/core/features"
)

// texture draws a seeded smoothed-noise texture of size n x n.
func texture(n int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := features.NewPlane(n, n)
	for i := range p.Pix {
		p.Pix[i] = float32(rng.NormFloat64())
	}
	var b features.Blurrer
	var sm features.Plane
	b.Blur(&sm, p, 1.5)
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for i, v := range sm.Pix {
		g := min(max(150+150*v, 0), 255)
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = uint8(g), uint8(g*0.9), uint8(g*0.7), 255
	}
	return img
}

// withBlob darkens a disc of radius r at a seeded position and returns the
// image and its mask.
func withBlob(img *image.RGBA, r int, seed uint64) (*image.RGBA, *image.Gray) {
	n := img.Rect.Dx()
	rng := rand.New(rand.NewPCG(seed, 2))
	cx, cy := r+rng.IntN(n-2*r), r+rng.IntN(n-2*r)
	mask := image.NewGray(img.Rect)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				i := y*img.Stride + 4*x
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 30, 25, 20
				mask.Pix[y*mask.Stride+x] = 255
			}
		}
	}
	return img, mask
}

// category builds nTrain normal training images and nTest test images of
// which every second one (odd index) has a dark blob.
func category(n, nTrain, nTest int) (MemoryImages, MemoryImages) {
	var train, test MemoryImages
	for i := range nTrain {
		train.Images = append(train.Images, texture(n, uint64(i)))
	}
	for i := range nTest {
		img := texture(n, uint64(1000+i))
		var mask *image.Gray
		if i%2 == 1 {
			img, mask = withBlob(img, max(3, n/10), uint64(i))
		}
		test.Images = append(test.Images, img)
		test.Masks = append(test.Masks, mask)
	}
	return train, test
}
