package mgvit

import "golang.org/x/sys/cpu"

// hasFMA3 reports whether the AVX2+FMA micro-kernel can run.
var hasFMA3 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// hasAVX512 reports whether the AVX-512 micro-kernel can run (the CPU has
// AVX-512F and the OS saves its registers).
var hasAVX512 = hasFMA3 && cpu.X86.HasAVX512F

// sgemmKernel6x16 is the AVX2/FMA micro-kernel behind sgemmTile; c points
// at the tile's first element and ldc is in elements.
//
//go:noescape
func sgemmKernel6x16(k int, a, b, c *float32, ldc int, load bool)

//go:noescape
func sgemmKernel12x16(k int, a0, a1, b, c *float32, ldc int, load bool)

// sgemmTile2 computes two vertically adjacent full tiles, rows from the A
// panels a0 and a1, with the AVX-512 kernel, and reports whether it could.
// The results are those of two sgemmTile calls, bit for bit.
func sgemmTile2(k int, a0, a1, b, c []float32, ldc int, load bool) bool {
	if !hasAVX512 || k == 0 {
		return false
	}
	_ = c[(2*sgemmMR-1)*ldc+sgemmNR-1]
	_ = a0[k*sgemmMR-1]
	_ = a1[k*sgemmMR-1]
	_ = b[k*sgemmNR-1]
	sgemmKernel12x16(k, &a0[0], &a1[0], &b[0], &c[0], ldc, load)
	return true
}

// sgemmTile computes one sgemmMR×sgemmNR tile (see sgemmTileGo).
func sgemmTile(k int, a, b, c []float32, ldc int, load bool) {
	if !hasFMA3 {
		sgemmTileGo(k, a, b, c, ldc, load)
		return
	}
	_ = c[(sgemmMR-1)*ldc+sgemmNR-1]
	if k == 0 {
		sgemmKernel6x16(0, nil, nil, &c[0], ldc, load)
		return
	}
	_ = a[k*sgemmMR-1]
	_ = b[k*sgemmNR-1]
	sgemmKernel6x16(k, &a[0], &b[0], &c[0], ldc, load)
}

// transpose8x8 writes dst[c*ldd+r] = src[r*lds+c] for r, c < 8 (AVX).
//
//go:noescape
func transpose8x8(dst *float32, ldd int, src *float32, lds int)

// packBTransposed8 packs 16 full columns of op(B) = Bᵀ (rows j0..j0+15 of
// b) for inner steps [k0, k0+kc8), kc8 a multiple of 8, with 8x8 register
// transposes; it reports false (packing nothing) without AVX2.
func packBTransposed8(b []float32, ldb, j0, k0, kc8 int, dst []float32) bool {
	if !hasFMA3 || kc8 == 0 {
		return false
	}
	_ = b[(j0+sgemmNR-1)*ldb+k0+kc8-1]
	_ = dst[kc8*sgemmNR-1]
	for kk := 0; kk < kc8; kk += 8 {
		for half := 0; half < sgemmNR; half += 8 {
			transpose8x8(&dst[kk*sgemmNR+half], sgemmNR, &b[(j0+half)*ldb+k0+kk], ldb)
		}
	}
	return true
}

// copyRows16 writes dst[r*16+j] = src[r*lds+j] for r < rows, j < 16.
//
//go:noescape
func copyRows16(dst, src *float32, lds, rows int)

// copyRows6 writes dst[r*6+j] = src[r*lds+j] for r < rows, j < 6.
//
//go:noescape
func copyRows6(dst, src *float32, lds, rows int)

// packRows copies rows [0, rows) of width w (sgemmMR or sgemmNR) from src
// (row stride lds) into dst packed w apart, and reports whether it could.
func packRows(dst, src []float32, lds, rows, w int) bool {
	if rows == 0 {
		return true
	}
	_ = dst[rows*w-1]
	_ = src[(rows-1)*lds+w-1]
	switch w {
	case sgemmNR:
		copyRows16(&dst[0], &src[0], lds, rows)
	case sgemmMR:
		copyRows6(&dst[0], &src[0], lds, rows)
	default:
		return false
	}
	return true
}
