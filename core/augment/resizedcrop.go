package augment

import (
	"image"
	"math"
	"math/rand/v2"
)

// resizedCrop draws a RandomResizedCrop rectangle of src (see
// [ResizedCrop]) from rng and returns the sub-images of the image and mask
// (nil mask stays nil). They share src's pixels.
func resizedCrop(rng *rand.Rand, src Source, minScale float64) (*image.RGBA, *image.Gray) {
	r := cropRect(rng, src.Image.Bounds(), minScale)
	img := src.Image.SubImage(r).(*image.RGBA)
	if src.Mask == nil {
		return img, nil
	}
	mr := r.Sub(src.Image.Bounds().Min).Add(src.Mask.Bounds().Min)
	return img, src.Mask.SubImage(mr).(*image.Gray)
}

// cropRect is torchvision's RandomResizedCrop.get_params with
// scale (minScale, 1) and ratio (3/4, 4/3), falling back to the whole of b.
func cropRect(rng *rand.Rand, b image.Rectangle, minScale float64) image.Rectangle {
	w, h := b.Dx(), b.Dy()
	area := float64(w * h)
	lo, hi := math.Log(3.0/4), math.Log(4.0/3)
	for range 10 {
		target := area * (minScale + rng.Float64()*(1-minScale))
		ratio := math.Exp(lo + rng.Float64()*(hi-lo))
		cw := int(math.Round(math.Sqrt(target * ratio)))
		ch := int(math.Round(math.Sqrt(target / ratio)))
		if cw > 0 && cw <= w && ch > 0 && ch <= h {
			y := rng.IntN(h - ch + 1)
			x := rng.IntN(w - cw + 1)
			return image.Rect(b.Min.X+x, b.Min.Y+y, b.Min.X+x+cw, b.Min.Y+y+ch)
		}
	}
	return b
}
