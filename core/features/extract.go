package features

import (
	"fmt"
	"image"
	"math"
)

// Extractor computes patch feature grids, reusing its buffers between
// calls. Build it with NewExtractor; it is not safe for concurrent use.
type Extractor struct {
	p      Params
	blur   Blurrer
	rgb    [3]Plane
	y2     Plane
	sm     [3]Plane
	smY2   Plane
	resp   [ResponsesPerScale]Plane
	counts []float32
	smGray Plane
	cellX  []int
	// meanGray is the mean gray of the current image.
	meanGray float32
}

// NewExtractor validates p and returns an extractor for it.
func NewExtractor(p Params) (*Extractor, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Extractor{p: p.withDefaults()}, nil
}

// Params returns the resolved parameters (defaults filled in).
func (e *Extractor) Params() Params { return e.p }

// WorkSize returns the working-image size for an input of w x h: unchanged
// unless the longer side exceeds MaxSide, then scaled (rounded, at least 1)
// so that the longer side is MaxSide.
func (p Params) WorkSize(w, h int) (int, int) {
	p = p.withDefaults()
	long := max(w, h)
	if p.MaxSide <= 0 || long <= p.MaxSide {
		return w, h
	}
	f := float64(p.MaxSide) / float64(long)
	return max(1, int(math.Round(float64(w)*f))), max(1, int(math.Round(float64(h)*f)))
}

// Extract returns the feature grid of img (see the package doc).
func (e *Extractor) Extract(img *image.RGBA) (*Grid, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 1 || h < 1 {
		return nil, fmt.Errorf("features: empty image")
	}
	for c := range 3 {
		e.rgb[c].ensure(w, h)
	}
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
		for x := 0; x < w; x++ {
			for c := range 3 {
				e.rgb[c].Pix[y*w+x] = float32(row[4*x+c]) / 255
			}
		}
	}
	ww, wh := e.p.WorkSize(w, h)
	if ww != w || wh != h {
		for c := range 3 {
			r, err := ResizeBilinear(e.rgb[c], ww, wh)
			if err != nil {
				return nil, err
			}
			e.rgb[c] = r
		}
	}
	return e.extractPlanes(ww, wh), nil
}

// ExtractRGB is Extract for an image given as three w×h planes of values
// in [0, 1] (row-major R, G and B), without the 8-bit rounding of an
// image.RGBA: the mask-guided ViT's filter-bank stem feeds it its
// augmented float views. Values are used as given (not clamped).
func (e *Extractor) ExtractRGB(r, g, b []float32, w, h int) (*Grid, error) {
	if w < 1 || h < 1 || len(r) != w*h || len(g) != w*h || len(b) != w*h {
		return nil, fmt.Errorf("features: planes of %d, %d, %d values for a %dx%d image", len(r), len(g), len(b), w, h)
	}
	for c, src := range [3][]float32{r, g, b} {
		e.rgb[c].ensure(w, h)
		copy(e.rgb[c].Pix, src)
	}
	ww, wh := e.p.WorkSize(w, h)
	if ww != w || wh != h {
		for c := range 3 {
			rs, err := ResizeBilinear(e.rgb[c], ww, wh)
			if err != nil {
				return nil, err
			}
			e.rgb[c] = rs
		}
	}
	return e.extractPlanes(ww, wh), nil
}

// extractPlanes runs the filter bank on e.rgb (size w x h) and pools.
func (e *Extractor) extractPlanes(w, h int) *Grid {
	s := e.p.StrideFor(w, h)
	g := &Grid{W: (w + s - 1) / s, H: (h + s - 1) / s, D: e.p.Dim(), Stride: s, WorkW: w, WorkH: h}
	g.Data = make([]float32, g.W*g.H*g.D)
	e.poolCounts(w, h, g)

	// Squares are taken around the image's mean gray to limit float32
	// cancellation in the local variance E[Y²] - E[Y]².
	e.y2.ensure(w, h)
	var sum float64
	for i := range e.y2.Pix {
		sum += float64(gray(e.rgb[0].Pix[i], e.rgb[1].Pix[i], e.rgb[2].Pix[i]))
	}
	e.meanGray = float32(sum / float64(w*h))
	for i := range e.y2.Pix {
		y := gray(e.rgb[0].Pix[i], e.rgb[1].Pix[i], e.rgb[2].Pix[i]) - e.meanGray
		e.y2.Pix[i] = y * y
	}
	for si, sigma := range e.p.Sigmas {
		for c := range 3 {
			e.blur.Blur(&e.sm[c], e.rgb[c], sigma)
		}
		e.blur.Blur(&e.smY2, e.y2, sigma)
		e.responses(w, h, float32(sigma))
		e.pool(g, si*ResponsesPerScale)
	}
	return g
}

// gray is the BT.601 luma of linear-in-code-value RGB.
func gray(r, g, b float32) float32 { return 0.299*r + 0.587*g + 0.114*b }

// responses fills e.resp from the smoothed planes at scale sigma.
func (e *Extractor) responses(w, h int, sigma float32) {
	for k := range e.resp {
		e.resp[k].ensure(w, h)
	}
	sr, sg, sb := e.sm[0].Pix, e.sm[1].Pix, e.sm[2].Pix
	e.smGray.ensure(w, h)
	for i := range e.smGray.Pix {
		e.smGray.Pix[i] = gray(sr[i], sg[i], sb[i])
	}
	lum := func(i int) float32 { return e.smGray.Pix[i] }
	for y := 0; y < h; y++ {
		yu, yd := max(y-1, 0), min(y+1, h-1)
		for x := 0; x < w; x++ {
			i := y*w + x
			xl, xr := max(x-1, 0), min(x+1, w-1)
			c := lum(i)
			l, r := lum(y*w+xl), lum(y*w+xr)
			u, d := lum(yu*w+x), lum(yd*w+x)
			gx := (r - l) * 0.5 * sigma
			gy := (d - u) * 0.5 * sigma
			mag := float32(math.Sqrt(float64(gx*gx + gy*gy)))
			var oc, os float32
			if mag > 1e-12 {
				oc = (gx*gx - gy*gy) / mag
				os = 2 * gx * gy / mag
			}
			log := (l + r + u + d - 4*c) * sigma * sigma
			cm := c - e.meanGray
			v := e.smY2.Pix[i] - cm*cm
			std := float32(0)
			if v > 0 {
				std = float32(math.Sqrt(float64(v)))
			}
			e.resp[0].Pix[i] = sr[i]
			e.resp[1].Pix[i] = sg[i]
			e.resp[2].Pix[i] = sb[i]
			e.resp[3].Pix[i] = mag
			e.resp[4].Pix[i] = oc
			e.resp[5].Pix[i] = os
			e.resp[6].Pix[i] = log
			e.resp[7].Pix[i] = abs32(log)
			e.resp[8].Pix[i] = std
		}
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// poolCounts stores 1/(pixels in cell) for each cell of g.
func (e *Extractor) poolCounts(w, h int, g *Grid) {
	s := g.Stride
	if cap(e.counts) < g.Len() {
		e.counts = make([]float32, g.Len())
	}
	e.counts = e.counts[:g.Len()]
	for cy := 0; cy < g.H; cy++ {
		ny := min(s, h-cy*s)
		for cx := 0; cx < g.W; cx++ {
			nx := min(s, w-cx*s)
			e.counts[cy*g.W+cx] = 1 / float32(nx*ny)
		}
	}
}

// pool averages e.resp over the cells of g into dimensions off..off+8.
func (e *Extractor) pool(g *Grid, off int) {
	w := e.resp[0].W
	s := g.Stride
	if cap(e.cellX) < w {
		e.cellX = make([]int, w)
	}
	e.cellX = e.cellX[:w]
	for x := range e.cellX {
		e.cellX[x] = (x / s) * g.D
	}
	for k := range e.resp {
		pix := e.resp[k].Pix
		for y := 0; y < e.resp[0].H; y++ {
			base := (y/s)*g.W*g.D + off + k
			row := pix[y*w : (y+1)*w]
			for x, v := range row {
				g.Data[base+e.cellX[x]] += v
			}
		}
	}
	for i, inv := range e.counts {
		v := g.Data[i*g.D+off : i*g.D+off+ResponsesPerScale]
		for k := range v {
			v[k] *= inv
		}
	}
}
