package mebin

import (
	"bytes"
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMaxByteAndGreaterMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 0))
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 100, 4099} {
		src := make([]uint8, n)
		for i := range src {
			src[i] = uint8(rng.IntN(200))
		}
		if n > 0 {
			src[rng.IntN(n)] = 201 // a unique peak anywhere, tail included
		}
		var want uint8
		for _, v := range src {
			want = max(want, v)
		}
		if got := maxByte(src); got != want {
			t.Errorf("n=%d: maxByte = %d, want %d", n, got, want)
		}
		for _, thr := range []int{-1, 0, 1, 99, 200, 201, 254, 255} {
			dst := make([]uint8, n)
			for i := range dst {
				dst[i] = 7 // must be overwritten
			}
			greaterMask(dst, src, thr)
			for i, v := range src {
				if want := uint8(0); int(v) > thr && dst[i] != 255 || int(v) <= thr && dst[i] != want {
					t.Fatalf("n=%d thr=%d: greaterMask[%d] = %d for %d", n, thr, i, dst[i], v)
				}
			}
		}
	}
}

func TestMapLevels(t *testing.T) {
	ts := Thresholds(DefaultSampleRate)
	for _, r := range []Range{{0, 255}, {60, 220}, {200, 200}, {0, 0}} {
		level := levels(r, ts)
		cut := activeCut(&level)
		src := make([]uint8, 300)
		for i := range src {
			src[i] = uint8(i * 7 / 3)
		}
		for i := 100; i < 180; i++ {
			src[i] = 0 // a long background stretch takes the fill path
		}
		dst := make([]uint8, len(src))
		mapLevels(dst, src, &level, cut)
		for i, v := range src {
			if dst[i] != level[v] {
				t.Fatalf("range %v: level of %d = %d, want %d", r, v, dst[i], level[v])
			}
		}
	}
}

func TestSpanTableAt(t *testing.T) {
	var level [256]uint8
	for a := range level {
		level[a] = uint8(a / 10)
	}
	for _, w := range []int{1, 5, 63, 64, 65, 130} {
		rng := rand.New(rand.NewPCG(5, uint64(w)))
		h := 3
		pix := make([]uint8, w*h)
		for i := range pix {
			pix[i] = uint8(rng.IntN(40))
		}
		var s scratch
		tab := &s.spans
		tab.build(pix, w, h, &level, &s)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				sp := tab.spans[tab.at(x, y)]
				if int(sp.y) != y || int(sp.x0) > x || int(sp.x1) < x {
					t.Fatalf("w=%d: at(%d,%d) = span %+v", w, x, y, sp)
				}
				if l := level[pix[y*w+x]]; tab.level[tab.at(x, y)] != l {
					t.Fatalf("w=%d: span level at (%d,%d) = %d, want %d", w, x, y, tab.level[tab.at(x, y)], l)
				}
				if sp.x0 == int32(x) && x > 0 && level[pix[y*w+x-1]] == level[pix[y*w+x]] {
					t.Fatalf("w=%d: span %+v is not maximal", w, sp)
				}
			}
		}
	}
}

// TestWideMapsMatchReference covers widths around the 64-column words of
// the span bitmaps and strides larger than the width.
func TestWideMapsMatchReference(t *testing.T) {
	for _, w := range []int{6, 7, 63, 64, 65, 127, 129} {
		rng := rand.New(rand.NewPCG(13, uint64(w)))
		maps := []*image.Gray{randomMap(rng, w, 12), randomMap(rng, w, 9)}
		// The second map lives in a larger image: stride > width.
		big := randomMap(rng, w+5, 9)
		maps[1] = big.SubImage(image.Rect(0, 0, w, 9)).(*image.Gray)
		for _, p := range []Params{{}, {NoErode: true}, {SampleRate: 1, MinIntervalLen: 6}} {
			r, got, err := Binarize(maps, p)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range maps {
				want := refBinarize(m, r, p)
				name := fmt.Sprintf("w=%d map %d params %+v", w, i, p)
				if !slices.Equal(got[i].Counts, want.Counts) || got[i].Threshold != want.Threshold ||
					!bytes.Equal(got[i].Mask.Pix, want.Mask.Pix) {
					t.Fatalf("%s: got thr %d counts %v, want thr %d counts %v", name, got[i].Threshold, got[i].Counts, want.Threshold, want.Counts)
				}
			}
		}
	}
}
