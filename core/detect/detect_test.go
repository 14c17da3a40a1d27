package detect

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/core/detecteval"
)

func evalItems(t *testing.T, maps []Map, test MemoryImages) []detecteval.Item {
	t.Helper()
	items := make([]detecteval.Item, len(maps))
	for i, m := range maps {
		items[i] = detecteval.Item{W: m.W, H: m.H, Score: m.Pix}
		if test.Masks[i] != nil {
			items[i].Mask = MaskBools(test.Masks[i])
		}
	}
	return items
}

func TestDetectorsFindDarkBlob(t *testing.T) {
	train, test := category(64, 12, 12)
	cases := []struct {
		method           string
		cfg              Config
		minImage, minPix float64
	}{
		{"patchcore", Config{}, 0.9, 0.9},
		{"padim", Config{}, 0.8, 0.8},
		{"musc", Config{}, 0.7, 0.9},
		{"gt", Config{}, 1, 1},
		{"gt-noisy", Config{GTNoisy: GTNoisyAtLevel(0.3)}, 0.8, 0.8},
	}
	for _, c := range cases {
		det, err := New(c.method, c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		maps, err := det.Detect(Input{Train: train, Test: test, Seed: 7, Workers: 2})
		if err != nil {
			t.Fatalf("%s: %v", c.method, err)
		}
		if len(maps) != test.Len() || maps[0].W != 64 || maps[0].H != 64 {
			t.Fatalf("%s: %d maps of %dx%d", c.method, len(maps), maps[0].W, maps[0].H)
		}
		s, err := detecteval.Evaluate(evalItems(t, maps, test))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-9s image AUROC %.3f pixel AUROC %.3f AUPRO %.3f", c.method, s.ImageAUROC, s.PixelAUROC, s.AUPRO)
		if s.ImageAUROC < c.minImage || s.PixelAUROC < c.minPix {
			t.Errorf("%s: image AUROC %.3f (want >= %v), pixel AUROC %.3f (want >= %v)", c.method, s.ImageAUROC, c.minImage, s.PixelAUROC, c.minPix)
		}
	}
}

func TestWorkerCountDoesNotChangeMaps(t *testing.T) {
	train, test := category(48, 5, 6)
	for _, method := range Methods() {
		if method == "maps" {
			continue // reads files: TestExternalMapsAreKeptByteForByte
		}
		cfg := Config{GTNoisy: GTNoisyAtLevel(0.8)}
		det, _ := New(method, cfg)
		var ref []Map
		for _, workers := range []int{1, 2, 5} {
			maps, err := det.Detect(Input{Train: train, Test: test, Seed: 3, Workers: workers})
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			if ref == nil {
				ref = maps
				continue
			}
			for i := range maps {
				if !slices.Equal(bits(maps[i].Pix), bits(ref[i].Pix)) {
					t.Errorf("%s: map %d differs between 1 and %d workers", method, i, workers)
				}
			}
		}
	}
}

func bits(v []float32) []uint32 {
	out := make([]uint32, len(v))
	for i, f := range v {
		out[i] = math.Float32bits(f)
	}
	return out
}

// precisionAtHalf is the share of pixels above half of the set maximum
// that are ground-truth pixels.
func precisionAtHalf(maps []Map, test MemoryImages) float64 {
	r := SetRange(maps)
	th := r.Lo + (r.Hi-r.Lo)/2
	var tp, pred float64
	for i, m := range maps {
		var mask []bool
		if test.Masks[i] != nil {
			mask = MaskBools(test.Masks[i])
		}
		for j, v := range m.Pix {
			if v > th {
				pred++
				if mask != nil && mask[j] {
					tp++
				}
			}
		}
	}
	return tp / pred
}

func TestGTNoisyQualityFallsWithLevel(t *testing.T) {
	_, test := category(64, 0, 24)
	prevPrec, prevPRO := 2.0, 2.0
	for _, level := range []float64{0, 0.35, 0.7, 1} {
		maps, err := GTNoisy{GTNoisyAtLevel(level)}.Detect(Input{Test: test, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		prec := precisionAtHalf(maps, test)
		pro, err := detecteval.AUPRO(evalItems(t, maps, test), detecteval.DefaultMaxFPR)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("level %.2f precision %.3f AUPRO %.3f", level, prec, pro)
		if level == 0 && (prec != 1 || math.Abs(pro-1) > 1e-9) {
			t.Errorf("level 0 must equal the ground truth: precision %v AUPRO %v", prec, pro)
		}
		if prec >= prevPrec || pro >= prevPRO {
			t.Errorf("level %.2f: precision %.3f / AUPRO %.3f did not fall below %.3f / %.3f", level, prec, pro, prevPrec, prevPRO)
		}
		prevPrec, prevPRO = prec, pro
	}
}

func TestNormalizeSetRange(t *testing.T) {
	maps := []Map{
		{W: 2, H: 1, Pix: []float32{-1, 0}},
		{W: 2, H: 1, Pix: []float32{1, 0.5}},
	}
	got := Normalize(maps)
	// (v+1)/2*255 rounded half up: 0, 127.5->128, 255, 191.25->191.
	want := [][]uint8{{0, 128}, {255, 191}}
	for i := range got {
		if !slices.Equal(got[i].Pix, want[i]) {
			t.Errorf("map %d: %v want %v", i, got[i].Pix, want[i])
		}
	}
	flat := Normalize([]Map{{W: 1, H: 1, Pix: []float32{3}}})
	if flat[0].Pix[0] != 0 {
		t.Errorf("constant set should map to 0, got %d", flat[0].Pix[0])
	}
}

func TestCoresetPicksFarthestPoints(t *testing.T) {
	pts := []float32{0, 1, 2, 10, 5}
	cases := []struct {
		start, k int
		want     []float32
	}{
		{0, 2, []float32{0, 10}},
		{0, 3, []float32{0, 10, 5}},
		{3, 2, []float32{10, 0}},
		{1, 9, []float32{1, 10, 5, 0, 2}},
	}
	for _, c := range cases {
		for _, w := range []int{1, 3} {
			if got := Coreset(pts, 1, c.k, c.start, w); !slices.Equal(got, c.want) {
				t.Errorf("start %d k %d workers %d: %v want %v", c.start, c.k, w, got, c.want)
			}
		}
	}
}

func TestMorph(t *testing.T) {
	m := make([]bool, 25) // 5x5 with the centre pixel set
	m[12] = true
	d := morph(m, 5, 5, 1, true)
	n := 0
	for _, v := range d {
		if v {
			n++
		}
	}
	if n != 9 || !d[6] || !d[18] || d[0] {
		t.Errorf("dilation gave %d pixels: %v", n, d)
	}
	if e := morph(d, 5, 5, 1, false); !slices.Equal(e, m) {
		t.Errorf("erosion of the 3x3 square should give the centre back: %v", e)
	}
}

func TestUnknownMethod(t *testing.T) {
	if _, err := New("fastflow", Config{}); err == nil {
		t.Fatal("unknown method accepted")
	}
}

func ExampleNormalize() {
	maps := []Map{
		{W: 3, H: 1, Pix: []float32{0.2, 0.4, 1.0}},
		{W: 3, H: 1, Pix: []float32{0.2, 0.2, 0.3}},
	}
	for _, g := range Normalize(maps) {
		fmt.Println(g.Pix)
	}
	// Output:
	// [0 64 255]
	// [0 0 32]
}
