package mebin

import (
	"encoding/binary"
	"image"
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
// Each axis is a 6-wide sliding minimum over the edge-replicated line (the
// clipped minimum equals the minimum over clamped indices), computed from
// minima of pairs and quadruples: 3 comparisons per pixel and axis.
func windowMin(r raster, s *scratch) []uint8 {
	w, h := r.w, r.h
	s.rows = grow(s.rows, w*h)
	s.hpad = grow(s.hpad, w+erodeBefore+erodeAfter)
	s.m2 = grow(s.m2, len(s.hpad)-1)
	s.m4 = grow(s.m4, len(s.hpad)-3)
	tmp, pad, m2, m4 := s.rows, s.hpad, s.m2, s.m4
	for y := 0; y < h; y++ {
		src := r.pix[y*w : (y+1)*w]
		for i := 0; i < erodeBefore; i++ {
			pad[i] = src[0]
		}
		copy(pad[erodeBefore:], src)
		for i := 0; i < erodeAfter; i++ {
			pad[erodeBefore+w+i] = src[w-1]
		}
		slidingMin6(tmp[y*w:(y+1)*w], pad, m2, m4)
	}
	// Vertical pass on row vectors: rows i of the padded column stack are
	// clamp(i-3) of tmp.
	n := h + erodeBefore + erodeAfter
	s.r2 = grow(s.r2, (n-1)*w)
	r2 := s.r2
	for i := 0; i < n-1; i++ {
		ya, yb := min(max(i-erodeBefore, 0), h-1), min(max(i+1-erodeBefore, 0), h-1)
		minBytes(r2[i*w:(i+1)*w], tmp[ya*w:(ya+1)*w], tmp[yb*w:(yb+1)*w])
	}
	s.eroded = grow(s.eroded, w*h)
	out := s.eroded
	for y := 0; y < h; y++ {
		// rows y..y+5 of the padded stack: pairs at y, y+2 and y+4.
		a, b, c := r2[y*w:(y+1)*w], r2[(y+2)*w:(y+3)*w], r2[(y+4)*w:(y+5)*w]
		d := out[y*w : (y+1)*w]
		minBytes(d, a, b)
		minBytes(d, d, c)
	}
	return out
}

// slidingMin6 writes dst[x] = min(pad[x..x+5]) using the scratch slices m2
// (len(pad)-1) and m4 (len(pad)-3).
func slidingMin6(dst, pad, m2, m4 []uint8) {
	minBytes(m2, pad[:len(m2)], pad[1:])
	minBytes(m4, m2[:len(m4)], m2[2:])
	minBytes(dst, m4[:len(dst)], m2[4:])
}

// maskAbove returns the 0/255 mask of pix > thr.
func maskAbove(pix []uint8, w, h, thr int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	t := int32(thr)
	for i, v := range pix {
		m.Pix[i] = uint8((t - int32(v)) >> 31) // 255 when v > thr, branch-free
	}
	return m
}

// minBytes sets dst[i] = min(a[i], b[i]) for i < len(dst), 8 bytes at a
// time (SWAR), without branches (min() on bytes compiles to a branch that
// mispredicts on noisy maps). a and b must be at least as long as dst; dst
// may alias a or b element-wise.
func minBytes(dst, a, b []uint8) {
	const hi = 0x8080808080808080
	n := len(dst)
	a, b = a[:n], b[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		x := binary.LittleEndian.Uint64(a[i:])
		y := binary.LittleEndian.Uint64(b[i:])
		// High bit of each byte of d: low 7 bits of x >= those of y.
		d := (x | hi) - (y &^ hi)
		lt := (^x&y | ^(x^y)&^d) & hi // x < y per byte
		m := (lt >> 7) * 0xff
		binary.LittleEndian.PutUint64(dst[i:], x&m|y&^m)
	}
	for ; i < n; i++ {
		d := int32(a[i]) - int32(b[i])
		dst[i] = uint8(int32(b[i]) + d&(d>>31))
	}
}
