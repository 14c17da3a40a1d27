package synth

import (
	"image"
	"math"
)

// rgb is a linear colour with channels nominally in [0,1].
type rgb [3]float32

// lerp returns a + (b-a)*t channel-wise.
func (a rgb) lerp(b rgb, t float32) rgb {
	return rgb{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

// scale multiplies every channel by k.
func (a rgb) scale(k float32) rgb { return rgb{a[0] * k, a[1] * k, a[2] * k} }

// canvas is an RGB raster of floats, row-major, origin top-left. Pixel (x,y)
// covers [x,x+1)x[y,y+1); its centre is (x+0.5, y+0.5).
type canvas struct {
	w, h int
	pix  []rgb
}

func newCanvas(w, h int) *canvas { return &canvas{w: w, h: h, pix: make([]rgb, w*h)} }

// fill sets every pixel from f(x, y), where x, y are the pixel centre.
func (c *canvas) fill(f func(x, y float64) rgb) {
	for j := 0; j < c.h; j++ {
		for i := 0; i < c.w; i++ {
			c.pix[j*c.w+i] = f(float64(i)+0.5, float64(j)+0.5)
		}
	}
}

func to8(v float32) uint8 {
	v = v*255 + 0.5
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v)
}

func (c *canvas) toRGBA() *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	for i, p := range c.pix {
		out.Pix[4*i], out.Pix[4*i+1], out.Pix[4*i+2], out.Pix[4*i+3] = to8(p[0]), to8(p[1]), to8(p[2]), 255
	}
	return out
}

// toGray keeps the first channel; gray products write equal channels.
func (c *canvas) toGray() *image.Gray {
	out := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, p := range c.pix {
		out.Pix[i] = to8(p[0])
	}
	return out
}

// field is a per-pixel scalar (a coverage in [0,1]) the size of its canvas.
type field []float32

// maskImage binarizes a defect coverage: a pixel is defective (255) when its
// centre lies inside the defect shape, i.e. its coverage is at least 0.5.
func maskImage(cov field, w, h int) (*image.Gray, int) {
	out := image.NewGray(image.Rect(0, 0, w, h))
	n := 0
	for i, a := range cov {
		if a >= 0.5 {
			out.Pix[i] = 255
			n++
		}
	}
	return out, n
}

// coverage turns a signed distance in pixels (negative inside) into an
// anti-aliased coverage: 0.5 exactly on the boundary.
func coverage(d float64) float32 {
	switch {
	case d <= -0.5:
		return 1
	case d >= 0.5:
		return 0
	}
	return float32(0.5 - d)
}

// rasterize evaluates the signed distance sdf at the pixel centres inside
// the box [x0,x1)x[y0,y1) (clipped to the canvas) and returns the coverage.
func rasterize(w, h int, box [4]float64, sdf func(x, y float64) float64) field {
	out := make(field, w*h)
	x0, y0 := clampInt(int(math.Floor(box[0]))-1, 0, w), clampInt(int(math.Floor(box[1]))-1, 0, h)
	x1, y1 := clampInt(int(math.Ceil(box[2]))+1, 0, w), clampInt(int(math.Ceil(box[3]))+1, 0, h)
	for j := y0; j < y1; j++ {
		for i := x0; i < x1; i++ {
			out[j*w+i] = coverage(sdf(float64(i)+0.5, float64(j)+0.5))
		}
	}
	return out
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

func smoothstep(e0, e1, x float64) float64 {
	t := clamp01((x - e0) / (e1 - e0))
	return t * t * (3 - 2*t)
}

// union sets dst to the pixel-wise maximum of dst and src.
func union(dst, src field) {
	for i, v := range src {
		if v > dst[i] {
			dst[i] = v
		}
	}
}
