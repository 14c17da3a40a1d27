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
//
// Only the bounding box of the non-zero pixels is searched: every pixel
// outside it is background connected to the image's surroundings, so the
// box's one-pixel frame stands for all of them (same result, less work on
// masks whose regions are small).
func OuterRects(mask *image.Gray) []Rect {
	w, h := mask.Rect.Dx(), mask.Rect.Dy()
	x0, y0, x1, y1 := w, h, -1, -1
	for y := 0; y < h; y++ {
		row := mask.Pix[y*mask.Stride : y*mask.Stride+w]
		first := slices.IndexFunc(row, func(v uint8) bool { return v != 0 })
		if first < 0 {
			continue
		}
		last := len(row) - 1
		for row[last] == 0 {
			last--
		}
		x0, x1 = min(x0, first), max(x1, last)
		y0, y1 = min(y0, y), max(y1, y)
	}
	if x1 < 0 {
		return nil
	}
	sub := mask.SubImage(image.Rect(x0, y0, x1+1, y1+1).Add(mask.Rect.Min)).(*image.Gray)
	rects := outerRects(sub)
	for i := range rects {
		rects[i].X += x0
		rects[i].Y += y0
	}
	return rects
}

// outerRects is OuterRects on the whole of mask, in mask's own coordinates
// (relative to its Rect.Min).
func outerRects(mask *image.Gray) []Rect {
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
