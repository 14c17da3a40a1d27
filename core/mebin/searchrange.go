package mebin

import (
	"errors"
	"fmt"
	"image"
)

// Range is the set-level search range on the raw 8-bit scale: Min is the
// smallest per-map maximum and Max the largest per-map maximum. The zero
// value is the range of a set of all-zero maps.
type Range struct{ Min, Max uint8 }

// SearchRange computes the range of a set of maps (one category, every
// anomaly type except "combined", as in the reference).
func SearchRange(maps []*image.Gray) (Range, error) {
	if len(maps) == 0 {
		return Range{}, errors.New("mebin: empty map set")
	}
	r := Range{Min: 255, Max: 0}
	for i, m := range maps {
		if m == nil || m.Rect.Empty() {
			return Range{}, fmt.Errorf("mebin: map %d is empty", i)
		}
		peak := maxValue(m)
		r.Min = min(r.Min, peak)
		r.Max = max(r.Max, peak)
	}
	return r, nil
}

func maxValue(m *image.Gray) uint8 {
	var peak uint8
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if m.Stride == w {
		return maxByte(m.Pix[:w*h])
	}
	for y := 0; y < h; y++ {
		peak = max(peak, maxByte(m.Pix[y*m.Stride:y*m.Stride+w]))
	}
	return peak
}

// Value returns the float64 normalised value of a raw pixel: 0 below Min,
// else (a-Min)/(Max-Min)*255 with the division first. When Min == Max the
// pixels equal to Max give NaN (the reference's 0/0).
func (r Range) Value(a uint8) float64 {
	if a < r.Min {
		return 0
	}
	return float64(a-r.Min) / float64(r.Max-r.Min) * 255
}

// Raw maps a sweep threshold t (0..255 scale) back to the raw scale as the
// reference does: int(t*(Max-Min)/255 + Min), an integer product, a float64
// division and truncation toward zero.
func (r Range) Raw(t int) int {
	return int(float64(t*(int(r.Max)-int(r.Min)))/255 + float64(r.Min))
}

// Normalize returns the normalised map as float32 in row-major order, the
// PIL "F" image the reference scores crops on. NaN marks the 0/0 pixels of a
// degenerate range.
func Normalize(m *image.Gray, r Range) []float32 {
	var lut [256]float32
	for a := range lut {
		lut[a] = float32(r.Value(uint8(a)))
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		for x, v := range row {
			out[y*w+x] = lut[v]
		}
	}
	return out
}

// IsDegenerate reports whether the range has Min == Max, where the
// reference divides 0 by 0 and every map gets an empty mask.
func (r Range) IsDegenerate() bool { return r.Min == r.Max }
