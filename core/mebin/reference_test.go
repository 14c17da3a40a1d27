package mebin

import (
	"image"
	"math"
	"math/rand/v2"
	"sort"
)

// This file holds the straightforward implementation the fast one is checked
// against: per threshold, binarize, erode pixel by pixel over the 6x6 window
// and label the 8-connected components with a flood fill.

func refValue(a uint8, r Range) float64 {
	if a < r.Min {
		return 0
	}
	return float64(int(a)-int(r.Min)) / float64(int(r.Max)-int(r.Min)) * 255
}

func refErode(fg []bool, w, h int) []bool {
	out := make([]bool, len(fg))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			keep := true
			for yy := y - 3; yy <= y+2 && keep; yy++ {
				for xx := x - 3; xx <= x+2; xx++ {
					if xx >= 0 && xx < w && yy >= 0 && yy < h && !fg[yy*w+xx] {
						keep = false
						break
					}
				}
			}
			out[y*w+x] = keep
		}
	}
	return out
}

func refLabel(fg []bool, w, h int) int {
	seen := make([]bool, len(fg))
	n := 0
	for i := range fg {
		if !fg[i] || seen[i] {
			continue
		}
		n++
		stack := []int{i}
		seen[i] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					q := yy*w + xx
					if fg[q] && !seen[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
	}
	return n
}

// refChoose mirrors the reference's dictionary-based choice: runs recorded
// per count in insertion order, max() keeps the first maximal count, a
// stable sort by length takes the last longest run.
func refChoose(counts []int, minLen int) (int, int, bool) {
	var keys []int
	runs := map[int][][2]int{}
	for i := 0; i < len(counts); {
		j := i
		for j+1 < len(counts) && counts[j+1] == counts[i] {
			j++
		}
		if counts[i] != 0 && j-i+1 >= minLen {
			if _, ok := runs[counts[i]]; !ok {
				keys = append(keys, counts[i])
			}
			runs[counts[i]] = append(runs[counts[i]], [2]int{i, j})
		}
		i = j + 1
	}
	if len(keys) == 0 {
		return 0, 0, false
	}
	maxLen := func(k int) int {
		m := -1
		for _, r := range runs[k] {
			m = max(m, r[1]-r[0])
		}
		return m
	}
	best := keys[0]
	for _, k := range keys[1:] {
		if maxLen(k) > maxLen(best) {
			best = k
		}
	}
	rs := append([][2]int(nil), runs[best]...)
	sort.SliceStable(rs, func(a, b int) bool { return rs[a][1]-rs[a][0] < rs[b][1]-rs[b][0] })
	return rs[len(rs)-1][1], best, true
}

func refBinarize(m *image.Gray, r Range, p Params) Result {
	p, _ = p.resolved()
	w, h := m.Rect.Dx(), m.Rect.Dy()
	at := func(i int) uint8 { return m.Pix[(i/w)*m.Stride+i%w] }
	var counts []int
	for t := 255; t > 0; t -= p.SampleRate {
		fg := make([]bool, w*h)
		for i := range fg {
			fg[i] = refValue(at(i), r) > float64(t)
		}
		if !p.NoErode {
			fg = refErode(fg, w, h)
		}
		counts = append(counts, refLabel(fg, w, h))
	}
	res := Result{Threshold: 255, Counts: counts}
	if end, est, ok := refChoose(counts, p.MinIntervalLen); ok {
		t := 255 - end*p.SampleRate
		res.Threshold = int(math.Trunc(float64(t*(int(r.Max)-int(r.Min)))/255 + float64(r.Min)))
		res.EstAnomalyNum = est
	}
	fg := make([]bool, w*h)
	for i := range fg {
		fg[i] = int(at(i)) > res.Threshold
	}
	if !p.NoErode {
		fg = refErode(fg, w, h)
	}
	res.Mask = image.NewGray(image.Rect(0, 0, w, h))
	for i, f := range fg {
		if f {
			res.Mask.Pix[i] = 255
		}
	}
	return res
}

// randomMap draws a test map: Gaussian blobs of random size and height, some
// flat plateaus, blobs touching the borders and background noise.
func randomMap(rng *rand.Rand, w, h int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	val := make([]float64, w*h)
	noise := rng.Float64() * 60
	for i := range val {
		val[i] = rng.Float64() * noise
	}
	for b := rng.IntN(6); b > 0; b-- {
		cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
		if rng.IntN(3) == 0 { // on a border
			cx = 0
		}
		sig := 1 + rng.Float64()*float64(max(w, h))/4
		amp := 50 + rng.Float64()*205
		plateau := rng.IntN(2) == 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				d2 := ((float64(x)-cx)*(float64(x)-cx) + (float64(y)-cy)*(float64(y)-cy)) / (sig * sig)
				v := amp * math.Exp(-d2/2)
				if plateau && d2 < 1 {
					v = amp * 0.8
				}
				val[y*w+x] = max(val[y*w+x], v)
			}
		}
	}
	for i, v := range val {
		m.Pix[i] = uint8(min(255, v))
	}
	return m
}
