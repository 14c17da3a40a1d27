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
