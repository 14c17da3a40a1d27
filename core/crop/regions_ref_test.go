package crop

import (
	"cmp"
	"image"
	"math/rand/v2"
	"slices"
	"testing"
)

// refOuterRects is an independent, slow definition: a region is outer when,
// for every other region D, it reaches the image frame by a 4-connected path
// that avoids D's pixels (an 8-connected region blocks 4-paths).
func refOuterRects(m *image.Gray) []Rect {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	label := make([]int, w*h)
	n := 0
	for i := range label {
		if m.Pix[i] == 0 || label[i] != 0 {
			continue
		}
		n++
		stack := []int{i}
		label[i] = n
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := p%w+dx, p/w+dy
					if x >= 0 && y >= 0 && x < w && y < h && m.Pix[y*w+x] != 0 && label[y*w+x] == 0 {
						label[y*w+x] = n
						stack = append(stack, y*w+x)
					}
				}
			}
		}
	}
	reachesFrame := func(c, avoid int) bool {
		seen := make([]bool, w*h)
		var stack []int
		for i, l := range label {
			if l == c {
				seen[i] = true
				stack = append(stack, i)
			}
		}
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			if x == 0 || y == 0 || x == w-1 || y == h-1 {
				return true
			}
			for _, q := range []int{p - 1, p + 1, p - w, p + w} {
				if !seen[q] && label[q] != avoid {
					seen[q] = true
					stack = append(stack, q)
				}
			}
		}
		return false
	}
	var rects []Rect
	for c := 1; c <= n; c++ {
		outer := true
		for d := 1; d <= n && outer; d++ {
			if d != c && !reachesFrame(c, d) {
				outer = false
			}
		}
		if !outer {
			continue
		}
		minX, minY, maxX, maxY := w, h, -1, -1
		for i, l := range label {
			if l == c {
				minX, minY, maxX, maxY = min(minX, i%w), min(minY, i/w), max(maxX, i%w), max(maxY, i/w)
			}
		}
		rects = append(rects, Rect{minX, minY, maxX - minX + 1, maxY - minY + 1})
	}
	slices.SortFunc(rects, func(a, b Rect) int {
		return cmp.Or(cmp.Compare(a.W*a.H, b.W*b.H), cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y),
			cmp.Compare(a.W, b.W), cmp.Compare(a.H, b.H))
	})
	return rects
}

func TestOuterRectsAgainstDefinition(t *testing.T) {
	for k := 0; k < 300; k++ {
		rng := rand.New(rand.NewPCG(13, uint64(k)))
		w, h := 3+rng.IntN(30), 3+rng.IntN(30)
		m := image.NewGray(image.Rect(0, 0, w, h))
		for s := rng.IntN(8); s > 0; s-- { // rectangles and rings
			x0, y0 := rng.IntN(w), rng.IntN(h)
			x1, y1 := min(w, x0+1+rng.IntN(12)), min(h, y0+1+rng.IntN(12))
			ring := rng.IntN(2) == 0
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					if !ring || x == x0 || y == y0 || x == x1-1 || y == y1-1 {
						m.Pix[y*w+x] = 255
					}
				}
			}
		}
		for i := range m.Pix { // sprinkle noise
			if rng.IntN(25) == 0 {
				m.Pix[i] ^= 255
			}
		}
		if got, want := OuterRects(m), refOuterRects(m); !slices.Equal(got, want) {
			t.Fatalf("case %d (%dx%d): got %v, want %v", k, w, h, got, want)
		}
	}
}

// TestOuterRectsBoundingBoxShortcut: searching only the bounding box of
// the non-zero pixels gives exactly the rectangles of a search over the
// whole mask, on random masks (blobs, rings with islands, pixels on the
// border) and on sub-images whose Rect does not start at the origin.
func TestOuterRectsBoundingBoxShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	for trial := range 300 {
		w, h := 1+rng.IntN(40), 1+rng.IntN(40)
		m := image.NewGray(image.Rect(0, 0, w, h))
		density := []float64{0, 0.02, 0.1, 0.4, 0.8}[trial%5]
		for i := range m.Pix {
			if rng.Float64() < density {
				m.Pix[i] = 255
			}
		}
		if trial%7 == 0 && w >= 7 && h >= 7 { // a ring with an island inside
			for y := 1; y < 6; y++ {
				for x := 1; x < 6; x++ {
					m.Pix[y*w+x] = 255
				}
			}
			for y := 2; y < 5; y++ {
				for x := 2; x < 5; x++ {
					m.Pix[y*w+x] = 0
				}
			}
			m.Pix[3*w+3] = 255
		}
		if got, want := OuterRects(m), outerRects(m); !slices.Equal(got, want) {
			t.Fatalf("trial %d (%dx%d): OuterRects %v, whole-mask search %v", trial, w, h, got, want)
		}
		if w > 2 && h > 2 {
			sub := m.SubImage(image.Rect(1, 1, w, h)).(*image.Gray)
			if got, want := OuterRects(sub), outerRects(sub); !slices.Equal(got, want) {
				t.Fatalf("trial %d sub-image: OuterRects %v, whole-mask search %v", trial, got, want)
			}
		}
	}
}
