//go:build !amd64 || purego

package mebin

// Without assembly kernels the portable loops of bytes.go do every byte.

func minBytesBulk(dst, a, b []uint8) int { return 0 }

func maxByteBulk(p []uint8) (int, uint8) { return 0, 0 }

func greaterMaskBulk(dst, src []uint8, t uint8) int { return 0 }
