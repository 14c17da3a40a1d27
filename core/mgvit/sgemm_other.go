//go:build !amd64

package mgvit

// sgemmTile computes one sgemmMR×sgemmNR tile (see sgemmTileGo).
func sgemmTile(k int, a, b, c []float32, ldc int, load bool) {
	sgemmTileGo(k, a, b, c, ldc, load)
}

// packBTransposed8 has no fast path here.
func packBTransposed8(b []float32, ldb, j0, k0, kc8 int, dst []float32) bool { return false }

// packRows has no fast path here.
func packRows(dst, src []float32, lds, rows, w int) bool { return false }

// sgemmTile2 has no fast path here.
func sgemmTile2(k int, a0, a1, b, c []float32, ldc int, load bool) bool { return false }

// hasAVX512 is false: the portable micro-kernel runs.
const hasAVX512 = false
