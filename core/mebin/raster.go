package mebin

import (
	"image"

	"github.com/anomalyncd/ancd/internal/buf"
)

// raster is a contiguous row-major 8-bit map with origin (0,0).
type raster struct {
	w, h int
	pix  []uint8
}

func newRaster(m *image.Gray) raster {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if m.Stride == w {
		return raster{w: w, h: h, pix: m.Pix[:w*h]}
	}
	pix := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		copy(pix[y*w:(y+1)*w], m.Pix[y*m.Stride:])
	}
	return raster{w: w, h: h, pix: pix}
}

// Erosion window of the reference's 6x6 kernel with anchor (3,3): offsets
// -3..+2 on both axes.
const (
	erodeBefore = 3
	erodeAfter  = 2
)

// windowMin returns, for each pixel, the minimum of the raw map over rows
// y-3..y+2 and columns x-3..x+2 clipped to the image. Outside pixels count as
// foreground in the reference erosion, which is the same as ignoring them in
// the minimum. "eroded(raw > t)" equals "windowMin(raw) > t" for every t.
//
// Each axis is a 6-wide sliding minimum from minima of pairs and quadruples
// (3 comparisons per pixel and axis), computed over the whole map as one flat
// array with minBytes; only the windows that leave the map (3 columns on the
// left, 2 on the right, the same rows on the top and bottom) are redone
// clipped.
func windowMin(r raster, s *scratch) []uint8 {
	w, h, pix := r.w, r.h, r.pix
	n := w * h
	s.pairs = buf.Resize(s.pairs, n)
	s.quads = buf.Resize(s.quads, n)
	s.horiz = buf.Resize(s.horiz, n)
	s.eroded = buf.Resize(s.eroded, n)
	pairs, quads, horiz, out := s.pairs, s.quads, s.horiz, s.eroded

	// Horizontal: horiz[i] = min(pix[i-3..i+2]) in the flat array, right for
	// every column whose window stays inside its row.
	if n >= erodeBefore+erodeAfter+1 {
		minBytes(pairs[:n-1], pix, pix[1:])
		minBytes(quads[:n-3], pairs, pairs[2:])
		minBytes(horiz[erodeBefore:n-erodeAfter], quads, pairs[erodeBefore+1:])
	}
	for y := 0; y < h; y++ {
		row := pix[y*w : (y+1)*w]
		dst := horiz[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			if x == erodeBefore && w-erodeAfter > x {
				x = w - erodeAfter
			}
			m := uint8(255)
			for _, v := range row[max(x-erodeBefore, 0):min(x+erodeAfter+1, w)] {
				m = min(m, v)
			}
			dst[x] = m
		}
	}

	// Vertical, on whole rows: pairs and quadruples of rows, then
	// out row y = min(rows y-3..y+2) for the rows whose window stays inside.
	if h >= erodeBefore+erodeAfter+1 {
		minBytes(pairs[:(h-1)*w], horiz, horiz[w:])
		minBytes(quads[:(h-3)*w], pairs, pairs[2*w:])
		minBytes(out[erodeBefore*w:(h-erodeAfter)*w], quads, pairs[(erodeBefore+1)*w:])
	}
	for y := 0; y < h; y++ {
		if y == erodeBefore && h-erodeAfter > y {
			y = h - erodeAfter
		}
		dst := out[y*w : (y+1)*w]
		y0, y1 := max(y-erodeBefore, 0), min(y+erodeAfter, h-1)
		copy(dst, horiz[y0*w:(y0+1)*w])
		for yy := y0 + 1; yy <= y1; yy++ {
			minBytes(dst, dst, horiz[yy*w:(yy+1)*w])
		}
	}
	return out
}

// maskAbove returns the 0/255 mask of pix > thr.
func maskAbove(pix []uint8, w, h, thr int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	greaterMask(m.Pix, pix, thr)
	return m
}
