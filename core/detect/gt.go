package detect

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"

	"github.com/anomalyncd/ancd/core/components"
	"github.com/anomalyncd/ancd/core/features"
)

// GT uses the ground-truth masks as maps: 1 on mask pixels (> 0), 0
// elsewhere; images without a mask give all-zero maps.
type GT struct{}

// Name implements Detector.
func (GT) Name() string { return "gt" }

// Detect implements Detector.
func (GT) Detect(in Input) ([]Map, error) {
	maps := make([]Map, in.Test.Len())
	err := forEach(len(maps), in.Workers, func(_, i int) error {
		mask, w, h, err := loadMask(in.Test, i)
		if err != nil {
			return err
		}
		m := features.NewPlane(w, h)
		for j, fg := range mask {
			if fg {
				m.Pix[j] = 1
			}
		}
		maps[i] = m
		return nil
	})
	return maps, err
}

// loadMask returns the boolean ground truth of image i (all false when the
// image has none) and the image size.
func loadMask(imgs Images, i int) ([]bool, int, int, error) {
	img, err := imgs.RGB(i)
	if err != nil {
		return nil, 0, 0, err
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	g, err := imgs.Mask(i)
	if err != nil {
		return nil, 0, 0, err
	}
	out := make([]bool, w*h)
	if g == nil {
		return out, w, h, nil
	}
	if g.Bounds().Dx() != w || g.Bounds().Dy() != h {
		return nil, 0, 0, fmt.Errorf("%s: mask is %dx%d, image %dx%d", imgs.Name(i), g.Bounds().Dx(), g.Bounds().Dy(), w, h)
	}
	b := g.Bounds()
	for y := range h {
		for x := range w {
			out[y*w+x] = g.Pix[g.PixOffset(b.Min.X+x, b.Min.Y+y)] > 0
		}
	}
	return out, w, h, nil
}

// MaskBools converts a gray mask (foreground > 0) to a row-major bool slice.
func MaskBools(g *image.Gray) []bool {
	b := g.Bounds()
	out := make([]bool, b.Dx()*b.Dy())
	for y := range b.Dy() {
		for x := range b.Dx() {
			out[y*b.Dx()+x] = g.Pix[g.PixOffset(b.Min.X+x, b.Min.Y+y)] > 0
		}
	}
	return out
}

// GTNoisyParams sets how gt-noisy degrades the ground truth. The zero value
// applies no degradation (the maps equal gt's).
type GTNoisyParams struct {
	// BoundaryShift is the largest dilation or erosion radius in pixels
	// (square structuring element); each GT region is dilated or eroded,
	// with equal odds, by a radius drawn uniformly from 0..BoundaryShift.
	BoundaryShift int
	// DropProb is the probability that a GT region is left out.
	DropProb float64
	// Spurious is the expected number (Poisson) of false blobs per image.
	Spurious float64
	// SpuriousSize is the mean blob semi-axis as a fraction of the shorter
	// image side (0: 0.04); each semi-axis is drawn in [0.5, 1.5] times it.
	SpuriousSize float64
	// Intensity jitter: each region and blob gets a peak value drawn
	// uniformly from [1-Intensity, 1].
	Intensity float64
	// Blur is the Gaussian sigma in pixels applied to the map (0: none).
	Blur float64
	// Noise is the standard deviation of additive Gaussian pixel noise,
	// relative to a peak of 1 (0: none).
	Noise float64
}

// GTNoisyAtLevel returns parameters emulating a detector whose quality
// falls as level goes from 0 (exact ground truth) to 1 (poor detector);
// level is clamped to [0, 1]:
// BoundaryShift round(10 L), DropProb 0.25 L, Spurious 1.5 L, SpuriousSize
// 0.04, Intensity 0.5 L, Blur 6 L, Noise 0.1 L.
func GTNoisyAtLevel(level float64) GTNoisyParams {
	l := min(max(level, 0), 1)
	return GTNoisyParams{
		BoundaryShift: int(math.Round(10 * l)),
		DropProb:      0.25 * l,
		Spurious:      1.5 * l,
		SpuriousSize:  0.04,
		Intensity:     0.5 * l,
		Blur:          6 * l,
		Noise:         0.1 * l,
	}
}

// GTNoisy is the ground truth with controlled over- and under-detection.
type GTNoisy struct{ Params GTNoisyParams }

// Name implements Detector.
func (GTNoisy) Name() string { return "gt-noisy" }

// Detect implements Detector. Image i draws every random choice from
// PCG(in.Seed, i) in a fixed order: per GT region (raster order of first
// pixel) drop, shift direction, radius, intensity; then the blob count and
// per blob centre, semi-axes, intensity; then the pixel noise.
func (d GTNoisy) Detect(in Input) ([]Map, error) {
	p := d.Params
	if p.SpuriousSize == 0 {
		p.SpuriousSize = 0.04
	}
	if p.BoundaryShift < 0 || p.DropProb < 0 || p.DropProb > 1 || p.Spurious < 0 || p.Intensity < 0 || p.Intensity > 1 || p.Blur < 0 || p.Noise < 0 {
		return nil, fmt.Errorf("gt-noisy: invalid parameters %+v", p)
	}
	maps := make([]Map, in.Test.Len())
	err := forEach(len(maps), in.Workers, func(_, i int) error {
		mask, w, h, err := loadMask(in.Test, i)
		if err != nil {
			return err
		}
		maps[i] = p.degrade(mask, w, h, rand.New(rand.NewPCG(in.Seed, uint64(i))))
		return nil
	})
	return maps, err
}

// degrade builds one noisy map from a boolean mask.
func (p GTNoisyParams) degrade(mask []bool, w, h int, rng *rand.Rand) Map {
	m := features.NewPlane(w, h)
	labels, n := components.Label(mask, w, h)
	region := make([]bool, w*h)
	for r := 1; r <= n; r++ {
		drop := rng.Float64() < p.DropProb
		dilate := rng.IntN(2) == 0
		radius := rng.IntN(p.BoundaryShift + 1)
		peak := float32(1 - p.Intensity*rng.Float64())
		if drop {
			continue
		}
		for j, l := range labels {
			region[j] = l == int32(r)
		}
		shaped := morph(region, w, h, radius, dilate)
		for j, fg := range shaped {
			if fg {
				m.Pix[j] = max(m.Pix[j], peak)
			}
		}
	}
	blobs := poisson(rng, p.Spurious)
	side := float64(min(w, h))
	for range blobs {
		cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
		rx := p.SpuriousSize * side * (0.5 + rng.Float64())
		ry := p.SpuriousSize * side * (0.5 + rng.Float64())
		peak := float32(1 - p.Intensity*rng.Float64())
		for y := max(0, int(cy-ry)); y < min(h, int(cy+ry)+1); y++ {
			for x := max(0, int(cx-rx)); x < min(w, int(cx+rx)+1); x++ {
				dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
				if dx*dx+dy*dy <= 1 {
					m.Pix[y*w+x] = max(m.Pix[y*w+x], peak)
				}
			}
		}
	}
	if p.Blur > 0 {
		var b features.Blurrer
		var out features.Plane
		b.Blur(&out, m, p.Blur)
		m = out
	}
	if p.Noise > 0 {
		for j := range m.Pix {
			m.Pix[j] += float32(p.Noise * rng.NormFloat64())
		}
	}
	return m
}

// poisson draws a Poisson variate of mean lambda (Knuth's method; lambda
// is small here).
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	limit, k, prod := math.Exp(-lambda), 0, rng.Float64()
	for prod > limit {
		k++
		prod *= rng.Float64()
	}
	return k
}

// morph dilates (or erodes) a binary mask with a (2r+1)x(2r+1) square;
// r == 0 copies. For erosion, pixels outside the image do not count, so
// regions touching the border are not eaten from the border side.
func morph(mask []bool, w, h, r int, dilate bool) []bool {
	out := make([]bool, len(mask))
	if r == 0 {
		copy(out, mask)
		return out
	}
	tmp := make([]bool, len(mask))
	pass := func(dst, src []bool, n, count, step, stride int) {
		// one 1-D pass along lines of length n
		for line := range count {
			base := line * stride
			ones := 0
			for k := 0; k < min(r, n); k++ {
				if src[base+k*step] {
					ones++
				}
			}
			for k := range n {
				if k+r < n && src[base+(k+r)*step] {
					ones++
				}
				if k-r-1 >= 0 && src[base+(k-r-1)*step] {
					ones--
				}
				size := min(k+r, n-1) - max(k-r, 0) + 1
				if dilate {
					dst[base+k*step] = ones > 0
				} else {
					dst[base+k*step] = ones == size
				}
			}
		}
	}
	pass(tmp, mask, w, h, 1, w) // rows
	pass(out, tmp, h, w, w, 1)  // columns
	return out
}
