//go:build !amd64

package mgvit

// sgemmTile computes one sgemmMR×sgemmNR tile (see sgemmTileGo).
func sgemmTile(k int, a, b, c []float32, ldc int, load bool) {
	sgemmTileGo(k, a, b, c, ldc, load)
}
