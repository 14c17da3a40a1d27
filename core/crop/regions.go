package crop

import (
	"cmp"
	"image"
	"slices"

	"github.com/anomalyncd/ancd/core/components"
)

// Rect is an integer bounding rectangle (OpenCV boundingRect convention):
// top-left corner (X, Y), width W and height H in pixels.
type Rect struct{ X, Y, W, H int }

// OuterRects returns the bounding rectangles of the 8-connected regions of
// the non-zero mask pixels that are not inside a hole of another region (the
// outer contours of cv2.RETR_EXTERNAL), sorted ascending by
// (W*H, X, Y, W, H).
func OuterRects(mask *image.Gray) []Rect {
	const (
		bg    = iota // background, not reached from the frame
		fg           // foreground
		outer        // background reached from the frame
	)
	w, h := mask.Rect.Dx(), mask.Rect.Dy()
	// A grid with a one-pixel background frame: neighbours need no bounds
	// checks except above the first and below the last frame row.
	pw := w + 2
	grid := make([]uint8, pw*(h+2))
	fgMask := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x, v := range mask.Pix[y*mask.Stride : y*mask.Stride+w] {
			if v != 0 {
				grid[(y+1)*pw+x+1] = fg
				fgMask[y*w+x] = true
			}
		}
	}
	// Outer background: 4-connected background reachable from the frame,
	// filled run by run (scanline flood fill, so the seed stack stays
	// small). A run may continue from a frame column into the next row's
	// frame column: both are outer anyway.
	seeds := []int{0}
	for len(seeds) > 0 {
		p := seeds[len(seeds)-1]
		seeds = seeds[:len(seeds)-1]
		if grid[p] != bg {
			continue
		}
		l, r := p, p
		for l > 0 && grid[l-1] == bg {
			l--
		}
		for r+1 < len(grid) && grid[r+1] == bg {
			r++
		}
		for q := l; q <= r; q++ {
			grid[q] = outer
		}
		for _, d := range [2]int{-pw, pw} {
			inRun := false
			for q := l + d; q <= r+d; q++ {
				isSeed := uint(q) < uint(len(grid)) && grid[q] == bg
				if isSeed && !inRun {
					seeds = append(seeds, q)
				}
				inRun = isSeed
			}
		}
	}
	// Foreground regions (8-connected, components.Label); a region is outer
	// when one of its pixels has an outer 4-neighbour.
	labels, n := components.Label(fgMask, w, h)
	isOuter := make([]bool, n)
	for i, l := range labels {
		if l == 0 || isOuter[l-1] {
			continue
		}
		p := (i/w+1)*pw + i%w + 1
		isOuter[l-1] = grid[p-1] == outer || grid[p+1] == outer || grid[p-pw] == outer || grid[p+pw] == outer
	}
	var rects []Rect
	for k, b := range components.Boxes(labels, w, n) {
		if isOuter[k] {
			rects = append(rects, Rect{b.X0, b.Y0, b.X1 - b.X0 + 1, b.Y1 - b.Y0 + 1})
		}
	}
	slices.SortFunc(rects, func(a, b Rect) int {
		return cmp.Or(cmp.Compare(a.W*a.H, b.W*b.H), cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y),
			cmp.Compare(a.W, b.W), cmp.Compare(a.H, b.H))
	})
	return rects
}
