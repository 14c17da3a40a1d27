package crop

import (
	"image"
	"math"
	"slices"

	"github.com/anomalyncd/ancd/core/mebin"
)

// PixelBox is a crop box rounded to integers the way PIL's Image.crop does:
// each coordinate rounded half to even.
type PixelBox struct{ Left, Up, Right, Bottom int }

// Round rounds every coordinate half to even (Python round()).
func (b Box) Round() PixelBox {
	r := func(v float64) int { return int(math.RoundToEven(v)) }
	return PixelBox{r(b.Left), r(b.Up), r(b.Right), r(b.Bottom)}
}

func (p PixelBox) size() (int, int) { return max(0, p.Right-p.Left), max(0, p.Bottom-p.Up) }

// CutRGB crops an RGB image; pixels outside the image are opaque black.
func CutRGB(img *image.RGBA, b Box) *image.RGBA {
	p := b.Round()
	cw, ch := p.size()
	out := image.NewRGBA(image.Rect(0, 0, cw, ch))
	for i := 3; i < len(out.Pix); i += 4 {
		out.Pix[i] = 255
	}
	src := img.Rect
	for y := 0; y < ch; y++ {
		sy := src.Min.Y + p.Up + y
		if sy < src.Min.Y || sy >= src.Max.Y {
			continue
		}
		for x := 0; x < cw; x++ {
			sx := src.Min.X + p.Left + x
			if sx < src.Min.X || sx >= src.Max.X {
				continue
			}
			copy(out.Pix[y*out.Stride+4*x:y*out.Stride+4*x+4], img.Pix[img.PixOffset(sx, sy):])
		}
	}
	return out
}

// CutMask crops a 0/255 mask with zero padding and returns the crop and its
// number of 255 pixels (the area weight of region merging).
func CutMask(mask *image.Gray, b Box) (*image.Gray, int) {
	p := b.Round()
	cw, ch := p.size()
	out := image.NewGray(image.Rect(0, 0, cw, ch))
	n := 0
	src := mask.Rect
	for y := 0; y < ch; y++ {
		sy := src.Min.Y + p.Up + y
		if sy < src.Min.Y || sy >= src.Max.Y {
			continue
		}
		for x := 0; x < cw; x++ {
			sx := src.Min.X + p.Left + x
			if sx < src.Min.X || sx >= src.Max.X {
				continue
			}
			v := mask.Pix[mask.PixOffset(sx, sy)]
			out.Pix[y*out.Stride+x] = v
			if v == 255 {
				n++
			}
		}
	}
	return out, n
}

// Score returns the anomaly score of a crop: the maximum of the float32
// set-normalised map (row-major, w x h, from mebin.Normalize) over the box
// rounded as PIL crops it, padding counting 0, divided by 255 in float64.
// NaN values (degenerate range) propagate as in np.max. An empty box
// scores 0.
func Score(norm []float32, w, h int, b Box) float64 {
	p := b.Round()
	cw, ch := p.size()
	if cw == 0 || ch == 0 {
		return 0
	}
	var best float32
	first := true
	if p.Left < 0 || p.Up < 0 || p.Right > w || p.Bottom > h {
		best, first = 0, false // padding
	}
	for y := max(0, p.Up); y < min(h, p.Bottom); y++ {
		for _, v := range norm[y*w+max(0, p.Left) : y*w+min(w, p.Right)] {
			if v != v {
				return math.NaN()
			}
			if first || v > best {
				best, first = v, false
			}
		}
	}
	return float64(best) / 255.0
}

// ScoreMap is Score(mebin.Normalize(m, r), w, h, b) without normalising
// the whole map: the normalisation is non-decreasing in the raw value, so
// the maximum of the normalised box is the normalised maximum of its raw
// bytes. With a degenerate range a pixel equal to r.Min normalises to NaN
// (the reference's 0/0), which propagates as in Score.
func ScoreMap(m *image.Gray, r mebin.Range, b Box) float64 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	p := b.Round()
	cw, ch := p.size()
	if cw == 0 || ch == 0 {
		return 0
	}
	x0, x1 := max(0, p.Left), min(w, p.Right)
	y0, y1 := max(0, p.Up), min(h, p.Bottom)
	if x0 >= x1 || y0 >= y1 {
		return 0 // padding only
	}
	var peak uint8
	for y := y0; y < y1; y++ {
		row := m.Pix[y*m.Stride+x0 : y*m.Stride+x1]
		peak = max(peak, mebin.MaxByte(row))
		if r.IsDegenerate() && slices.Contains(row, r.Min) {
			return math.NaN()
		}
	}
	return float64(float32(r.Value(peak))) / 255.0
}

// DefaultAnomalyThred is the reference's anomaly_thred.
const DefaultAnomalyThred = 0.5

// Weight returns the pseudo-label correction weight max(0, thred - score)
// with Python's max semantics (a NaN score gives 0); thred == -1 switches
// the correction off (weight 0).
func Weight(score, thred float64) float64 {
	if thred == -1 {
		return 0
	}
	if w := thred - score; w > 0 {
		return w
	}
	return 0
}
