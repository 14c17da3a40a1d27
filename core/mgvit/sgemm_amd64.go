package mgvit

import "golang.org/x/sys/cpu"

// hasFMA3 reports whether the AVX2+FMA micro-kernel can run.
var hasFMA3 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// sgemmKernel6x16 is the AVX2/FMA micro-kernel behind sgemmTile; c points
// at the tile's first element and ldc is in elements.
//
//go:noescape
func sgemmKernel6x16(k int, a, b, c *float32, ldc int, load bool)

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
