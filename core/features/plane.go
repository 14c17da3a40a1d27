package features

import (
	"fmt"
	"math"

	"github.com/anomalyncd/ancd/core/resample"
)

// Plane is a single-channel float32 raster, row-major: Pix[y*W+x]. The zero
// value is an empty 0x0 plane.
type Plane struct {
	W, H int
	Pix  []float32
}

// NewPlane allocates a zeroed w x h plane.
func NewPlane(w, h int) Plane { return Plane{W: w, H: h, Pix: make([]float32, w*h)} }

// ensure resizes p to w x h, reusing its buffer when large enough. The
// content is unspecified afterwards.
func (p *Plane) ensure(w, h int) {
	p.W, p.H = w, h
	if cap(p.Pix) < w*h {
		p.Pix = make([]float32, w*h)
	}
	p.Pix = p.Pix[:w*h]
}

// At returns the value at (x, y) with coordinates clamped into the plane.
func (p Plane) At(x, y int) float32 {
	x = min(max(x, 0), p.W-1)
	y = min(max(y, 0), p.H-1)
	return p.Pix[y*p.W+x]
}

// GaussianKernel returns the normalised 1-D Gaussian of standard deviation
// sigma truncated at radius ceil(3 sigma) (length 2 radius + 1).
func GaussianKernel(sigma float64) []float32 {
	r := int(math.Ceil(3 * sigma))
	k64 := make([]float64, 2*r+1)
	var sum float64
	for i := -r; i <= r; i++ {
		v := math.Exp(-float64(i*i) / (2 * sigma * sigma))
		k64[i+r] = v
		sum += v
	}
	k := make([]float32, len(k64))
	for i, v := range k64 {
		k[i] = float32(v / sum)
	}
	return k
}

// Blurrer applies separable Gaussian blurs, reusing one temporary buffer.
// The zero value is ready to use; it is not safe for concurrent use.
type Blurrer struct {
	tmp     Plane
	kernels map[float64][]float32
}

// Blur writes the Gaussian blur of src (standard deviation sigma pixels,
// border replicated) into dst, which is resized as needed. dst and src must
// not share memory. sigma <= 0 copies src.
func (b *Blurrer) Blur(dst *Plane, src Plane, sigma float64) {
	dst.ensure(src.W, src.H)
	if sigma <= 0 {
		copy(dst.Pix, src.Pix)
		return
	}
	if b.kernels == nil {
		b.kernels = map[float64][]float32{}
	}
	k, ok := b.kernels[sigma]
	if !ok {
		k = GaussianKernel(sigma)
		b.kernels[sigma] = k
	}
	b.tmp.ensure(src.W, src.H)
	convolveRows(b.tmp, src, k)
	convolveCols(*dst, b.tmp, k)
}

// convolveRows filters every row of src with k into dst (same size).
func convolveRows(dst, src Plane, k []float32) {
	r := len(k) / 2
	w := src.W
	for y := 0; y < src.H; y++ {
		row := src.Pix[y*w : (y+1)*w]
		out := dst.Pix[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			var s float32
			if x >= r && x+r < w {
				seg := row[x-r : x+r+1]
				for i, kv := range k {
					s += kv * seg[i]
				}
			} else {
				for i, kv := range k {
					xx := min(max(x+i-r, 0), w-1)
					s += kv * row[xx]
				}
			}
			out[x] = s
		}
	}
}

// convolveCols filters every column of src with k into dst (same size),
// processing whole rows at a time for cache friendliness.
func convolveCols(dst, src Plane, k []float32) {
	r := len(k) / 2
	w, h := src.W, src.H
	for y := 0; y < h; y++ {
		out := dst.Pix[y*w : (y+1)*w]
		clear(out)
		for i, kv := range k {
			yy := min(max(y+i-r, 0), h-1)
			row := src.Pix[yy*w : (yy+1)*w]
			for x, v := range row {
				out[x] += kv * v
			}
		}
	}
}

// ResizeBilinear resamples src to w x h with resample.Bilinear
// (pixel-centre alignment: source coordinate (x+0.5)*(src.W/w)-0.5, clamped
// at the border, the convention of OpenCV's INTER_LINEAR). When shrinking by more than 1.5x the
// source is first blurred with sigma 0.5*factor to limit aliasing.
func ResizeBilinear(src Plane, w, h int) (Plane, error) {
	if w < 1 || h < 1 || src.W < 1 || src.H < 1 {
		return Plane{}, fmt.Errorf("features: cannot resize %dx%d plane to %dx%d", src.W, src.H, w, h)
	}
	if w == src.W && h == src.H {
		out := NewPlane(w, h)
		copy(out.Pix, src.Pix)
		return out, nil
	}
	sx := float64(src.W) / float64(w)
	sy := float64(src.H) / float64(h)
	if f := max(sx, sy); f > 1.5 {
		var b Blurrer
		var blurred Plane
		b.Blur(&blurred, src, 0.5*f)
		src = blurred
	}
	out := NewPlane(w, h)
	resample.Bilinear(out.Pix, w, h, src.Pix, src.W, src.H, sx, sy)
	return out, nil
}
