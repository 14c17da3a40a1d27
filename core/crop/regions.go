package crop

import (
	"cmp"
	"image"
	"slices"
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
		fg           // foreground, not yet labelled
		outer        // background reached from the frame
		done         // foreground, labelled
	)
	w, h := mask.Rect.Dx(), mask.Rect.Dy()
	// A grid with a one-pixel background frame: neighbours need no bounds
	// checks except above the first and below the last frame row.
	pw := w + 2
	grid := make([]uint8, pw*(h+2))
	for y := 0; y < h; y++ {
		for x, v := range mask.Pix[y*mask.Stride : y*mask.Stride+w] {
			if v != 0 {
				grid[(y+1)*pw+x+1] = fg
			}
		}
	}
	// Outer background: 4-connected background reachable from the frame,
	// filled run by run (scanline flood fill, so the seed stack stays
	// small). A run may continue from a frame column into the next row's
	// frame column: both are outer anyway.
	var stack []int
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
	// Foreground regions (8-connected); a region is outer when one of its
	// pixels has an outer 4-neighbour.
	nbrs := [8]int{-pw - 1, -pw, -pw + 1, -1, 1, pw - 1, pw, pw + 1}
	var rects []Rect
	for start := pw; start < len(grid)-pw; start++ {
		if grid[start] != fg {
			continue
		}
		minX, minY, maxX, maxY := start%pw, start/pw, start%pw, start/pw
		isOuter := false
		grid[start] = done
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%pw, p/pw
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
			if grid[p-1] == outer || grid[p+1] == outer || grid[p-pw] == outer || grid[p+pw] == outer {
				isOuter = true
			}
			for _, d := range nbrs {
				if q := p + d; grid[q] == fg {
					grid[q] = done
					stack = append(stack, q)
				}
			}
		}
		if isOuter {
			rects = append(rects, Rect{minX - 1, minY - 1, maxX - minX + 1, maxY - minY + 1})
		}
	}
	slices.SortFunc(rects, func(a, b Rect) int {
		return cmp.Or(cmp.Compare(a.W*a.H, b.W*b.H), cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y),
			cmp.Compare(a.W, b.W), cmp.Compare(a.H, b.H))
	})
	return rects
}
