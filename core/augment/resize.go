package augment

import (
	"image"
	"math"

	"github.com/anomalyncd/ancd/internal/buf"
)

// Prepared is one sample after the deterministic resize: the image in planar
// RGB uint8 and the mask in [0,1], both W×H with min(W,H) = R. The zero value
// is an empty image; Prepare reuses its buffers.
type Prepared struct {
	W, H int
	RGB  [3][]uint8 // planar channels, row-major
	Mask []float32  // row-major, nil or len W*H

	src, tmp []float32 // reused resampling buffers
}

// Prepare resizes img (and mask, when not nil; it must have img's size) so
// that the shorter side is ResizeSize(s), as torchvision's Resize(int) does:
// the longer side becomes int(R·long/short). A nil mask gives an all-zero
// mask (the reference's empty mask of a full-image crop).
func (p *Prepared) Prepare(img *image.RGBA, mask *image.Gray, s int) {
	b := img.Bounds()
	iw, ih := b.Dx(), b.Dy()
	r := ResizeSize(s)
	ow, oh := r, r
	if iw < ih {
		oh = int(float64(r) * float64(ih) / float64(iw))
	} else if ih < iw {
		ow = int(float64(r) * float64(iw) / float64(ih))
	}
	p.W, p.H = ow, oh
	n := ow * oh
	hx := triangleCoeffs(iw, ow)
	hy := triangleCoeffs(ih, oh)
	p.tmp = buf.Resize(p.tmp, iw*oh)
	p.src = buf.Resize(p.src, iw*ih)
	tmp, src := p.tmp, p.src
	for c := 0; c < 3; c++ {
		for y := 0; y < ih; y++ {
			row := img.Pix[(y+b.Min.Y-img.Rect.Min.Y)*img.Stride+(b.Min.X-img.Rect.Min.X)*4:]
			for x := 0; x < iw; x++ {
				src[y*iw+x] = float32(row[x*4+c])
			}
		}
		p.RGB[c] = buf.Resize(p.RGB[c], n)
		out := p.RGB[c]
		resample(src, iw, ih, hx, hy, tmp, func(i int, v float32) { out[i] = clampRound(v) })
	}
	p.Mask = buf.Resize(p.Mask, n)
	if mask == nil {
		clear(p.Mask)
		return
	}
	mb := mask.Bounds()
	for y := 0; y < ih; y++ {
		row := mask.Pix[(y+mb.Min.Y-mask.Rect.Min.Y)*mask.Stride+(mb.Min.X-mask.Rect.Min.X):]
		for x := 0; x < iw; x++ {
			src[y*iw+x] = float32(row[x]) / 255
		}
	}
	out := p.Mask
	resample(src, iw, ih, hx, hy, tmp, func(i int, v float32) { out[i] = min(max(v, 0), 1) })
}

// coeffs holds, for every output index, the first input index and weights.
type coeffs struct {
	start   []int
	weights [][]float32
}

// triangleCoeffs computes PIL's bilinear resampling coefficients from in to
// out samples: the triangle filter widened by the downscale factor
// (antialias), window clipped to the image and weights renormalised.
func triangleCoeffs(in, out int) coeffs {
	scale := float64(in) / float64(out)
	fscale := max(scale, 1)
	support := fscale // triangle support is 1
	c := coeffs{start: make([]int, out), weights: make([][]float32, out)}
	for o := 0; o < out; o++ {
		center := (float64(o) + 0.5) * scale
		lo := max(int(center-support+0.5), 0)
		hi := min(int(center+support+0.5), in)
		w := make([]float64, max(hi-lo, 0))
		sum := 0.0
		for i := range w {
			d := math.Abs((float64(i+lo) - center + 0.5) / fscale)
			if d < 1 {
				w[i] = 1 - d
			}
			sum += w[i]
		}
		ws := make([]float32, len(w))
		for i := range w {
			if sum != 0 {
				ws[i] = float32(w[i] / sum)
			}
		}
		c.start[o], c.weights[o] = lo, ws
	}
	return c
}

// resample filters src (iw×ih) with hy along columns into tmp (iw×oh), then
// with hx along rows, and hands every output value to put.
func resample(src []float32, iw, ih int, hx, hy coeffs, tmp []float32, put func(i int, v float32)) {
	oh, ow := len(hy.start), len(hx.start)
	for y := 0; y < oh; y++ {
		lo, ws := hy.start[y], hy.weights[y]
		row := tmp[y*iw : (y+1)*iw]
		clear(row)
		for k, w := range ws {
			s := src[(lo+k)*iw : (lo+k+1)*iw]
			for x := range row {
				row[x] += w * s[x]
			}
		}
	}
	for y := 0; y < oh; y++ {
		row := tmp[y*iw : (y+1)*iw]
		for x := 0; x < ow; x++ {
			lo, ws := hx.start[x], hx.weights[x]
			var v float32
			for k, w := range ws {
				v += w * row[lo+k]
			}
			put(y*ow+x, v)
		}
	}
}

func clampRound(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
