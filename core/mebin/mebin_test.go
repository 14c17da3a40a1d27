package mebin

import (
	"bytes"
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestFastMatchesReference(t *testing.T) {
	params := []Params{{}, {NoErode: true}, {SampleRate: 7, MinIntervalLen: 3}, {SampleRate: 1, MinIntervalLen: 10}}
	estSeen := map[int]int{}
	for set := 0; set < 150; set++ {
		rng := rand.New(rand.NewPCG(7, uint64(set)))
		n := 1 + rng.IntN(4)
		maps := make([]*image.Gray, n)
		for i := range maps {
			maps[i] = randomMap(rng, 1+rng.IntN(40), 1+rng.IntN(40))
		}
		for _, p := range params {
			r, got, err := Binarize(maps, p)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range maps {
				want := refBinarize(m, r, p)
				if !slices.Equal(got[i].Counts, want.Counts) || got[i].Threshold != want.Threshold ||
					got[i].EstAnomalyNum != want.EstAnomalyNum || !bytes.Equal(got[i].Mask.Pix, want.Mask.Pix) {
					t.Fatalf("set %d map %d params %+v range %+v:\n got  thr=%d est=%d counts=%v\n want thr=%d est=%d counts=%v",
						set, i, p, r, got[i].Threshold, got[i].EstAnomalyNum, got[i].Counts,
						want.Threshold, want.EstAnomalyNum, want.Counts)
				}
				estSeen[min(got[i].EstAnomalyNum, 3)]++
			}
		}
	}
	// The random maps must exercise empty, single and multi-region results.
	for est := 0; est <= 3; est++ {
		if estSeen[est] < 10 {
			t.Errorf("only %d random maps with est_anomaly_num %d (>=3 pooled): %v", estSeen[est], est, estSeen)
		}
	}
}

func TestWorkersGiveIdenticalResults(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 0))
	maps := make([]*image.Gray, 12)
	for i := range maps {
		maps[i] = randomMap(rng, 48, 40)
	}
	_, base, err := Binarize(maps, Params{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{2, 3, 8} {
		_, got, err := Binarize(maps, Params{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Threshold != base[i].Threshold || !bytes.Equal(got[i].Mask.Pix, base[i].Mask.Pix) ||
				!slices.Equal(got[i].Counts, base[i].Counts) {
				t.Fatalf("workers=%d map %d differs from workers=1", workers, i)
			}
		}
	}
}

func TestSearchRange(t *testing.T) {
	flat := func(w, h int, v uint8) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = v
		}
		return m
	}
	tests := []struct {
		name string
		maps []*image.Gray
		want Range
		err  bool
	}{
		{"min of maxima not pixel min", []*image.Gray{flat(2, 2, 10), flat(3, 1, 200), flat(1, 1, 90)}, Range{10, 200}, false},
		{"one map", []*image.Gray{flat(2, 2, 77)}, Range{77, 77}, false},
		{"all zero", []*image.Gray{flat(2, 2, 0), flat(2, 2, 0)}, Range{0, 0}, false},
		{"empty set", nil, Range{}, true},
		{"nil map", []*image.Gray{nil}, Range{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SearchRange(tc.maps)
			if (err != nil) != tc.err || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v, err=%v", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestRangeValueAndRaw(t *testing.T) {
	r := Range{Min: 100, Max: 200}
	one, hundred := 1, 100
	tests := []struct {
		a    uint8
		want float64
	}{{99, 0}, {100, 0}, {150, 127.5}, {200, 255}, {101, float64(one) / float64(hundred) * 255}}
	for _, tc := range tests {
		if got := r.Value(tc.a); got != tc.want {
			t.Errorf("Value(%d) = %v, want %v", tc.a, got, tc.want)
		}
	}
	raws := []struct{ t, want int }{{255, 200}, {3, 101}, {131, 151}, {0, 100}}
	for _, tc := range raws {
		if got := r.Raw(tc.t); got != tc.want {
			t.Errorf("Raw(%d) = %d, want %d", tc.t, got, tc.want)
		}
	}
	if got := (Range{0, 255}).Raw(3); got != 3 {
		t.Errorf("Raw(3) on [0,255] = %d, want 3", got)
	}
}

func TestThresholds(t *testing.T) {
	ts := Thresholds(4)
	if len(ts) != 64 || ts[0] != 255 || ts[63] != 3 {
		t.Fatalf("Thresholds(4) = %v", ts)
	}
	if got := Thresholds(7); got[len(got)-1] != 3 || len(got) != 37 {
		t.Fatalf("Thresholds(7) = %v", got)
	}
}

// counts builds a 64-long sequence from (value, length) pairs.
func seq(parts ...int) []int {
	var s []int
	for i := 0; i < len(parts); i += 2 {
		for k := 0; k < parts[i+1]; k++ {
			s = append(s, parts[i])
		}
	}
	return s
}

func TestChooseInterval(t *testing.T) {
	tests := []struct {
		name    string
		counts  []int
		wantEnd int
		wantEst int
		wantOK  bool
	}{
		{"no interval: all zero", seq(0, 64), 0, 0, false},
		{"no interval: runs of 3", seq(0, 10, 1, 3, 2, 3, 0, 48), 0, 0, false},
		{"zero runs never count", seq(0, 40, 1, 4, 0, 20), 43, 1, true},
		{"exactly min length qualifies", seq(0, 5, 2, 4, 3, 55), 63, 3, true},
		{"run to the end", seq(0, 60, 5, 4), 63, 5, true},
		{"nonzero start", seq(1, 10, 0, 54), 9, 1, true},
		{"longest count wins", seq(0, 2, 1, 5, 2, 8, 1, 5, 0, 44), 14, 2, true},
		{"count tie: first qualifying count wins", seq(0, 2, 3, 6, 0, 2, 2, 6, 0, 48), 7, 3, true},
		{"count tie: first qualifying run decides even when shorter", seq(2, 4, 3, 7, 2, 7, 0, 46), 17, 2, true},
		{"run tie: last run wins", seq(0, 2, 1, 6, 2, 4, 1, 6, 0, 46), 17, 1, true},
		{"longer later run wins", seq(1, 5, 0, 2, 1, 9, 0, 48), 15, 1, true},
		{"min length 4 of a 64-run", seq(7, 64), 63, 7, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.counts) != 64 {
				t.Fatalf("bad test sequence length %d", len(tc.counts))
			}
			end, est, ok := chooseInterval(tc.counts, 4)
			if ok != tc.wantOK || (ok && (end != tc.wantEnd || est != tc.wantEst)) {
				t.Fatalf("got end=%d est=%d ok=%v, want end=%d est=%d ok=%v", end, est, ok, tc.wantEnd, tc.wantEst, tc.wantOK)
			}
			rEnd, rEst, rOK := refChoose(tc.counts, 4)
			if rOK != ok || rEnd != end || rEst != est {
				t.Fatalf("reference choice end=%d est=%d ok=%v differs", rEnd, rEst, rOK)
			}
		})
	}
}

func TestChooseIntervalRandomAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 0))
	for k := 0; k < 5000; k++ {
		c := make([]int, 64)
		v := 0
		for i := range c {
			if rng.IntN(4) == 0 {
				v = rng.IntN(4)
			}
			c[i] = v
		}
		minLen := 1 + rng.IntN(6)
		e1, n1, ok1 := chooseInterval(c, minLen)
		e2, n2, ok2 := refChoose(c, minLen)
		if e1 != e2 || n1 != n2 || ok1 != ok2 {
			t.Fatalf("counts %v minLen %d: got (%d,%d,%v) want (%d,%d,%v)", c, minLen, e1, n1, ok1, e2, n2, ok2)
		}
	}
}

// block draws value v on the rectangle [x0,x1)x[y0,y1).
func block(m *image.Gray, x0, y0, x1, y1 int, v uint8) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			m.SetGray(x, y, grayOf(v))
		}
	}
}

func TestGoldenMaps(t *testing.T) {
	peak := func(w, h int) *image.Gray { // a second map to widen the range
		m := image.NewGray(image.Rect(0, 0, w, h))
		m.Pix[0] = 100
		return m
	}
	tests := []struct {
		name     string
		build    func() *image.Gray
		wantEst  int
		wantThr  int
		wantMask int // foreground pixels in the final mask
	}{
		{"6x6 block survives as one pixel", func() *image.Gray {
			m := image.NewGray(image.Rect(0, 0, 30, 30))
			block(m, 10, 10, 16, 16, 200)
			return m
		}, 1, 101, 1},
		{"5x5 block inside disappears", func() *image.Gray {
			m := image.NewGray(image.Rect(0, 0, 30, 30))
			block(m, 10, 10, 15, 15, 200)
			return m
		}, 0, 255, 0},
		{"3x3 block in the top-left corner survives", func() *image.Gray {
			m := image.NewGray(image.Rect(0, 0, 30, 30))
			block(m, 0, 0, 3, 3, 200)
			return m
		}, 1, 101, 1},
		{"3x3 block in the bottom-right corner disappears", func() *image.Gray {
			m := image.NewGray(image.Rect(0, 0, 30, 30))
			block(m, 27, 27, 30, 30, 200)
			return m
		}, 0, 255, 0},
		{"4x4 block in the bottom-right corner survives", func() *image.Gray {
			m := image.NewGray(image.Rect(0, 0, 30, 30))
			block(m, 26, 26, 30, 30, 200)
			return m
		}, 1, 101, 1},
		{"two blocks non-square image", func() *image.Gray {
			m := image.NewGray(image.Rect(0, 0, 50, 20))
			block(m, 2, 2, 12, 12, 200)
			block(m, 30, 5, 40, 15, 150)
			return m
		}, 2, 101, 50},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.build()
			_, res, err := Binarize([]*image.Gray{m, peak(m.Rect.Dx(), m.Rect.Dy())}, Params{})
			if err != nil {
				t.Fatal(err)
			}
			got := res[0]
			fg := 0
			for _, v := range got.Mask.Pix {
				if v == 255 {
					fg++
				}
			}
			if got.EstAnomalyNum != tc.wantEst || got.Threshold != tc.wantThr || fg != tc.wantMask {
				t.Fatalf("est=%d thr=%d fg=%d, want est=%d thr=%d fg=%d (counts %v)",
					got.EstAnomalyNum, got.Threshold, fg, tc.wantEst, tc.wantThr, tc.wantMask, got.Counts)
			}
		})
	}
}

func TestDegenerateSets(t *testing.T) {
	one := image.NewGray(image.Rect(0, 0, 20, 20))
	block(one, 2, 2, 12, 12, 180)
	zero := image.NewGray(image.Rect(0, 0, 20, 20))
	tests := []struct {
		name string
		maps []*image.Gray
	}{
		{"set of one map (0/0)", []*image.Gray{one}},
		{"all-zero maps", []*image.Gray{zero, zero}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, res, err := Binarize(tc.maps, Params{})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Threshold != 255 || r.EstAnomalyNum != 0 || slices.Max(r.Counts) != 0 || slices.Max(r.Mask.Pix) != 0 {
					t.Fatalf("map %d: thr=%d est=%d, want (255, 0) and an empty mask", i, r.Threshold, r.EstAnomalyNum)
				}
			}
		})
	}
}

func TestFixedAndOtsu(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 40, 40))
	block(m, 0, 0, 40, 40, 20)
	block(m, 5, 5, 15, 15, 120)
	block(m, 25, 25, 35, 35, 220)
	other := image.NewGray(image.Rect(0, 0, 40, 40))
	other.Pix[0] = 20
	maps := []*image.Gray{m, other}
	tests := []struct {
		name     string
		theta    float64
		wantThr  int
		wantEst  int
		wantFgPx int
	}{
		// range [20,220]: norm(120)=127.5, norm(220)=255
		{"theta 0.1 keeps both blocks", 0.1, 40, 2, 50},
		{"theta 0.5 exactly at norm 127.5 is not foreground", 0.5, 120, 1, 25},
		{"theta 0.9 keeps the bright block", 0.9, 200, 1, 25},
		{"theta 1 keeps nothing", 1, 220, 0, 0},
		{"theta 0 keeps everything above the range minimum", 0, 20, 2, 50},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, res, err := Fixed(maps, tc.theta, Params{})
			if err != nil {
				t.Fatal(err)
			}
			fg := 0
			for _, v := range res[0].Mask.Pix {
				fg += int(v) / 255
			}
			if res[0].Threshold != tc.wantThr || res[0].EstAnomalyNum != tc.wantEst || fg != tc.wantFgPx {
				t.Fatalf("thr=%d est=%d fg=%d, want %d %d %d", res[0].Threshold, res[0].EstAnomalyNum, fg, tc.wantThr, tc.wantEst, tc.wantFgPx)
			}
		})
	}
	if _, _, err := Fixed(maps, 1.5, Params{}); err == nil {
		t.Error("theta 1.5 accepted")
	}
	_, res, err := Otsu(maps, Params{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Threshold < 20 || res[0].Threshold >= 120 || res[0].EstAnomalyNum != 2 {
		t.Fatalf("Otsu thr=%d est=%d, want a level in [20,120) and 2 regions", res[0].Threshold, res[0].EstAnomalyNum)
	}
	if res[1].Threshold != 0 || res[1].EstAnomalyNum != 0 {
		// single pixel of 20 on 0: level 0, the pixel is eroded away
		t.Fatalf("Otsu on the sparse map: thr=%d est=%d, want 0 and 0", res[1].Threshold, res[1].EstAnomalyNum)
	}
}

func TestOtsuLevel(t *testing.T) {
	tests := []struct {
		name string
		pix  []uint8
		want int
	}{
		{"constant", []uint8{7, 7, 7}, 0},
		{"two levels", []uint8{10, 10, 200, 200}, 10},
		{"three clusters", []uint8{0, 0, 0, 1, 100, 101, 250, 250}, 101},
	}
	for _, tc := range tests {
		if got := OtsuLevel(tc.pix); got != tc.want {
			t.Errorf("%s: OtsuLevel = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestBadParams(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 4, 4))
	for _, p := range []Params{{SampleRate: 300}, {SampleRate: -1}, {MinIntervalLen: -2}} {
		if _, _, err := Binarize([]*image.Gray{m}, p); err == nil {
			t.Errorf("params %+v accepted", p)
		}
	}
}

func ExampleBinarize() {
	m := image.NewGray(image.Rect(0, 0, 32, 32))
	block(m, 8, 8, 20, 20, 220) // one anomaly region
	normal := image.NewGray(image.Rect(0, 0, 32, 32))
	normal.Pix[0] = 60 // a normal image with a low peak
	r, res, err := Binarize([]*image.Gray{m, normal}, Params{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("range [%d,%d]\n", r.Min, r.Max)
	fmt.Printf("anomaly: threshold %d, %d region(s)\n", res[0].Threshold, res[0].EstAnomalyNum)
	fmt.Printf("normal: threshold %d, %d region(s)\n", res[1].Threshold, res[1].EstAnomalyNum)
	// Output:
	// range [60,220]
	// anomaly: threshold 61, 1 region(s)
	// normal: threshold 255, 0 region(s)
}

func TestMinBytesAllPairs(t *testing.T) {
	a := make([]uint8, 256*256+5)
	b := make([]uint8, len(a))
	for i := range 256 * 256 {
		a[i], b[i] = uint8(i/256), uint8(i%256)
	}
	dst := make([]uint8, len(a))
	minBytes(dst, a, b)
	for i := range dst {
		if dst[i] != min(a[i], b[i]) {
			t.Fatalf("minBytes(%d, %d) = %d", a[i], b[i], dst[i])
		}
	}
}

func TestFixedAndOtsuMatchReference(t *testing.T) {
	for set := 0; set < 30; set++ {
		rng := rand.New(rand.NewPCG(9, uint64(set)))
		maps := []*image.Gray{randomMap(rng, 1+rng.IntN(40), 1+rng.IntN(40)), randomMap(rng, 20, 20)}
		theta := rng.Float64()
		for _, p := range []Params{{}, {NoErode: true}} {
			r, fixed, err := Fixed(maps, theta, p)
			if err != nil {
				t.Fatal(err)
			}
			_, otsu, err := Otsu(maps, p)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range maps {
				w, h := m.Rect.Dx(), m.Rect.Dy()
				check := func(name string, got Result, fg func(v uint8) bool) {
					mask := make([]bool, w*h)
					for k := range mask {
						mask[k] = fg(m.Pix[k])
					}
					if !p.NoErode {
						mask = refErode(mask, w, h)
					}
					for k, f := range mask {
						if (got.Mask.Pix[k] == 255) != f {
							t.Fatalf("%s set %d map %d: mask differs at %d", name, set, i, k)
						}
					}
					if want := refLabel(mask, w, h); got.EstAnomalyNum != want {
						t.Fatalf("%s set %d map %d: est %d, want %d", name, set, i, got.EstAnomalyNum, want)
					}
				}
				check("fixed", fixed[i], func(v uint8) bool { return refValue(v, r) > theta*255 })
				level := OtsuLevel(m.Pix)
				check("otsu", otsu[i], func(v uint8) bool { return int(v) > level })
			}
		}
	}
}
