//go:build amd64 && !purego

package mebin

// Kernels in bytes_amd64.s; SSE2 is part of the amd64 baseline. Each covers
// the first len&^15 bytes of its slices; the callers finish the tail.

// minBytesSSE2 sets dst[i] = min(a[i], b[i]); a and b must be at least as
// long as dst.
//
//go:noescape
func minBytesSSE2(dst, a, b []uint8)

// maxByteSSE2 returns the largest of the bytes it covers (0 when none).
//
//go:noescape
func maxByteSSE2(p []uint8) uint8

// atLeastSSE2 sets dst[i] = 255 where src[i] >= t, else 0; src must be at
// least as long as dst.
//
//go:noescape
func atLeastSSE2(dst, src []uint8, t uint8)

// minBytesBulk does the part of minBytes that SSE2 covers and returns the
// number of bytes done.
func minBytesBulk(dst, a, b []uint8) int {
	k := len(dst) &^ 15
	if k > 0 {
		minBytesSSE2(dst[:k], a[:k], b[:k])
	}
	return k
}

// maxByteBulk returns the number of leading bytes covered and their maximum.
func maxByteBulk(p []uint8) (int, uint8) {
	k := len(p) &^ 15
	if k == 0 {
		return 0, 0
	}
	return k, maxByteSSE2(p[:k])
}

// greaterMaskBulk does the part of greaterMask that SSE2 covers, with
// t = thr+1, and returns the number of bytes done.
func greaterMaskBulk(dst, src []uint8, t uint8) int {
	k := len(dst) &^ 15
	if k > 0 {
		atLeastSSE2(dst[:k], src[:k], t)
	}
	return k
}
