package mebin

import "encoding/binary"

// minBytes sets dst[i] = min(a[i], b[i]) for i < len(dst). a and b must be
// at least as long as dst; dst may alias a or b element-wise (same index),
// but must not overlap them at an offset. On amd64 the bulk runs 32 bytes at
// a time with SSE2 (PMINUB); elsewhere minBytesGeneric does all of it.
func minBytes(dst, a, b []uint8) {
	n := len(dst)
	a, b = a[:n], b[:n]
	k := minBytesBulk(dst, a, b)
	minBytesGeneric(dst[k:], a[k:], b[k:])
}

// minBytesGeneric is minBytes in portable Go: 8 bytes at a time (SWAR),
// without branches (min() on bytes compiles to a branch that mispredicts on
// noisy maps).
func minBytesGeneric(dst, a, b []uint8) {
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

// maxByte returns the largest byte of p, 0 for an empty p.
func maxByte(p []uint8) uint8 {
	k, peak := maxByteBulk(p)
	for _, v := range p[k:] {
		peak = max(peak, v)
	}
	return peak
}

// greaterMask sets dst[i] to 255 where src[i] > thr and to 0 elsewhere, for
// i < len(dst); src must be at least as long as dst.
func greaterMask(dst, src []uint8, thr int) {
	src = src[:len(dst)]
	switch {
	case thr < 0:
		for i := range dst {
			dst[i] = 255
		}
		return
	case thr >= 255:
		clear(dst)
		return
	}
	k := greaterMaskBulk(dst, src, uint8(thr+1))
	t := int32(thr)
	for i, v := range src[k:] {
		dst[k+i] = uint8((t - int32(v)) >> 31) // 255 when v > thr, branch-free
	}
}

// MaxByte returns the largest byte of p (0 for an empty p), with the
// package's vector kernel.
func MaxByte(p []uint8) uint8 { return maxByte(p) }
