package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// refSize is the resolution in which texture frequencies are expressed, so
// an image looks the same (only sharper) at any size.
const refSize = 256.0

// drawing is one image being made: the picture, the union of its defect
// coverages and the product area where defects may be placed.
type drawing struct {
	r    *rand.Rand
	size int
	img  *canvas
	cov  field // defect coverage; the mask is cov >= 0.5
	fg   field // product area; nil means the whole image
}

func newDrawing(r *rand.Rand, size int) *drawing {
	return &drawing{r: r, size: size, img: newCanvas(size, size), cov: make(field, size*size)}
}

// px converts a fraction of the image side to pixels.
func (d *drawing) px(frac float64) float64 { return frac * float64(d.size) }

// thin is a stroke width of frac of the image side, but at least minPx.
func (d *drawing) thin(frac, minPx float64) float64 { return math.Max(d.px(frac), minPx) }

// ref converts a pixel coordinate to reference units.
func (d *drawing) ref(v float64) float64 { return v * refSize / float64(d.size) }

// xy returns the pixel centre of flat index i.
func (d *drawing) xy(i int) (float64, float64) {
	return float64(i%d.size) + 0.5, float64(i/d.size) + 0.5
}

// spot picks a random point at least margin (fraction of the side) from the
// border and, when the product area is known, well inside it.
func (d *drawing) spot(margin float64) pt {
	m := d.px(margin)
	s := float64(d.size)
	for try := 0; try < 400; try++ {
		p := pt{uniform(d.r, m, s-m), uniform(d.r, m, s-m)}
		if d.fg == nil || d.fg[int(p.y)*d.size+int(p.x)] >= 1 {
			return p
		}
	}
	return pt{s / 2, s / 2}
}

// apply moves every pixel under shape toward effect's colour by the shape's
// coverage (clipped to the product area when clip is set) and adds the shape
// to the defect coverage.
func (d *drawing) apply(shape field, clip bool, effect func(i int, c rgb) rgb) {
	for i, a := range shape {
		if clip && d.fg != nil && d.fg[i] < a {
			a = d.fg[i]
		}
		if a <= 0 {
			continue
		}
		d.img.pix[i] = d.img.pix[i].lerp(effect(i, d.img.pix[i]), a)
		if a > d.cov[i] {
			d.cov[i] = a
		}
	}
}

// markDiff adds to the defect coverage every pixel where two renderings
// differ by more than thr in some channel.
func (d *drawing) markDiff(before, after *canvas, thr float32) {
	for i := range before.pix {
		a, b := before.pix[i], after.pix[i]
		for ch := 0; ch < 3; ch++ {
			if diff := a[ch] - b[ch]; diff > thr || -diff > thr {
				d.cov[i] = 1
				break
			}
		}
	}
}

// darken scales the colour down by k.
func darken(k float64) func(int, rgb) rgb {
	return func(_ int, c rgb) rgb { return c.scale(float32(1 - k)) }
}

// toward moves the colour toward col by k.
func toward(col rgb, k float64) func(int, rgb) rgb {
	return func(_ int, c rgb) rgb { return c.lerp(col, float32(k)) }
}

// finish applies the acquisition: a global gain, a linear illumination
// gradient, a mild vignette and Gaussian sensor noise (sigma in [0,1] units).
// gray products get the same noise on every channel.
func (d *drawing) finish(gainJitter, gradient, sigma float64, gray bool) {
	r := d.r
	gain := 1 + gainJitter*(2*r.Float64()-1)
	th := r.Float64() * 2 * math.Pi
	gx, gy := math.Cos(th)*gradient*(2*r.Float64()-1), math.Sin(th)*gradient*(2*r.Float64()-1)
	s := float64(d.size)
	for i := range d.img.pix {
		x, y := d.xy(i)
		u, v := x/s-0.5, y/s-0.5
		k := gain * (1 + gx*u*2 + gy*v*2) * (1 - 0.12*(u*u+v*v))
		c := d.img.pix[i].scale(float32(k))
		if gray {
			n := float32(sigma * r.NormFloat64())
			c = rgb{c[0] + n, c[0] + n, c[0] + n}
		} else {
			for ch := range c {
				c[ch] += float32(sigma * r.NormFloat64())
			}
		}
		d.img.pix[i] = c
	}
}

// errUnknownDefect names a defect class a product does not draw.
func errUnknownDefect(product, defect string) error {
	return fmt.Errorf("synth: product %s has no defect class %q", product, defect)
}
