package detecteval

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/anomalyncd/ancd/core/components"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestAUROCHandComputed(t *testing.T) {
	cases := []struct {
		name   string
		scores []float64
		pos    []bool
		want   float64
	}{
		{"sklearn example", []float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true}, 0.75},
		{"perfect", []float64{0, 1}, []bool{false, true}, 1},
		{"inverted", []float64{1, 0}, []bool{false, true}, 0},
		{"full tie counts half", []float64{1, 1}, []bool{true, false}, 0.5},
		{"partial tie", []float64{0.5, 0.5, 0.2, 0.9}, []bool{true, false, false, true}, 0.875},
		{"tie across classes in middle", []float64{1, 2, 2, 2, 3}, []bool{false, false, true, true, true}, (1 + 1 + 1 + 0.5 + 0.5 + 1) / 6},
	}
	for _, c := range cases {
		got, err := AUROC(c.scores, c.pos)
		if err != nil || !near(got, c.want) {
			t.Errorf("%s: AUROC = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestAUROCUndefined(t *testing.T) {
	for _, pos := range [][]bool{{true, true}, {false, false}} {
		v, err := AUROC([]float64{1, 2}, pos)
		if !errors.Is(err, ErrUndefined) || !math.IsNaN(v) {
			t.Errorf("labels %v: got %v, %v; want NaN, ErrUndefined", pos, v, err)
		}
	}
	if _, err := AUROC([]float64{1}, []bool{true, false}); err == nil {
		t.Error("length mismatch accepted")
	}
}

func row(scores []float32, mask ...bool) Item {
	return Item{W: len(scores), H: 1, Score: scores, Mask: mask}
}

func TestAUPROHandComputed(t *testing.T) {
	cases := []struct {
		name   string
		items  []Item
		maxFPR float64
		want   float64
	}{
		// Curve (0,0) (0,.5) (.5,.5) (1,.5) (1,1) (1,1): PRO .5 up to FPR .3.
		{"one region", []Item{row([]float32{0.9, 0.1, 0.5, 0.2}, true, true, false, false)}, 0.3, 0.5},
		{"one region full range", []Item{row([]float32{0.9, 0.1, 0.5, 0.2}, true, true, false, false)}, 1, 0.5},
		// Regions {0} and {2,3}; curve (0,0) (0,.25) (.5,.25) (.5,.5) (.5,1) (1,1) (1,1).
		{"two regions", []Item{row([]float32{0.2, 0.1, 0.9, 0.3, 0.5}, true, false, true, true, false)}, 0.3, 0.25},
		{"two regions full range", []Item{row([]float32{0.2, 0.1, 0.9, 0.3, 0.5}, true, false, true, true, false)}, 1, 0.625},
		// Tie between the region and the normal pixel: curve (0,0) (1,1) (1,1).
		{"tie interpolated", []Item{row([]float32{0.5, 0.5}, true, false)}, 0.3, 0.15},
		// Regions in two images weigh equally regardless of size; normal
		// image contributes only false positives.
		{"across images", []Item{
			row([]float32{0.9, 0.9, 0.9, 0.1}, true, true, true, false),
			row([]float32{0.1, 0.8}, false, true),
			row([]float32{0.05, 0.05}),
		}, 0.3, 1},
	}
	for _, c := range cases {
		got, err := AUPRO(c.items, c.maxFPR)
		if err != nil || !near(got, c.want) {
			t.Errorf("%s: AUPRO = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func TestAUPROUndefinedWithoutRegions(t *testing.T) {
	_, err := AUPRO([]Item{row([]float32{1, 2})}, 0.3)
	if !errors.Is(err, ErrUndefined) {
		t.Fatalf("err = %v, want ErrUndefined", err)
	}
}

func TestImageAndPixelAUROC(t *testing.T) {
	items := []Item{
		row([]float32{0.1, 0.9}, false, true), // defective, max .9
		row([]float32{0.2, 0.3}),              // good, max .3
		row([]float32{0.95, 0.0}),             // good, max .95
	}
	img, err := ImageAUROC(items)
	if err != nil || !near(img, 0.5) {
		t.Errorf("image AUROC = %v, %v; want 0.5", img, err)
	}
	// One positive pixel (.9) above 4 of the 5 negatives.
	pix, err := PixelAUROC(items)
	if err != nil || !near(pix, 0.8) {
		t.Errorf("pixel AUROC = %v, %v; want 0.8", pix, err)
	}
	s, err := Evaluate(items[1:])
	if err != nil || !math.IsNaN(s.ImageAUROC) || !math.IsNaN(s.AUPRO) {
		t.Errorf("Evaluate on good-only items = %+v, %v; want NaN metrics", s, err)
	}
}

// box is the inclusive box with columns x0..x1 and rows y0..y1.
func box(x0, y0, x1, y1 int) components.Box { return components.Box{X0: x0, Y0: y0, X1: x1, Y1: y1} }

func rect(w, h int, boxes ...components.Box) []bool {
	m := make([]bool, w*h)
	for _, b := range boxes {
		for y := b.Y0; y <= b.Y1; y++ {
			for x := b.X0; x <= b.X1; x++ {
				m[y*w+x] = true
			}
		}
	}
	return m
}

func TestMatchRegions(t *testing.T) {
	gt := rect(20, 20, box(0, 0, 9, 9))
	cases := []struct {
		name     string
		pred     []bool
		gt       []bool
		want     RegionCounts
		fpr, fnr float64
	}{
		// IoU 25/175 = .143 > .1.
		{"overlap matched plus stray", rect(20, 20, box(5, 5, 14, 14), box(18, 18, 19, 19)), gt, RegionCounts{2, 1, 1, 0}, 0.5, 0},
		// IoU 4/196 = .02.
		{"small overlap misses", rect(20, 20, box(8, 8, 17, 17)), gt, RegionCounts{1, 1, 1, 1}, 1, 1},
		{"no prediction", rect(20, 20), gt, RegionCounts{0, 1, 0, 1}, 0, 1},
		{"nothing at all", rect(20, 20), rect(20, 20), RegionCounts{}, 0, 0},
		{"false alarm on good image", rect(20, 20, box(1, 1, 2, 2)), rect(20, 20), RegionCounts{1, 0, 1, 0}, 1, 0},
	}
	for _, c := range cases {
		got, err := MatchRegions(c.pred, c.gt, 20, 20, DefaultMinBoxIoU)
		if err != nil || got != c.want || got.FPR() != c.fpr || got.FNR() != c.fnr {
			t.Errorf("%s: %+v (FPR %v FNR %v), %v; want %+v (%v, %v)", c.name, got, got.FPR(), got.FNR(), err, c.want, c.fpr, c.fnr)
		}
	}
	fpr, fnr := MeanRegionRates([]RegionCounts{{2, 1, 1, 0}, {1, 1, 1, 1}})
	if !near(fpr, 0.75) || !near(fnr, 0.5) {
		t.Errorf("mean rates %v %v; want .75 .5", fpr, fnr)
	}
}

func ExampleAUPRO() {
	// A 1x4 image: a 2-pixel defect scored 0.9 and 0.1, normal pixels 0.5, 0.2.
	item := Item{W: 4, H: 1,
		Score: []float32{0.9, 0.1, 0.5, 0.2},
		Mask:  []bool{true, true, false, false}}
	v, _ := AUPRO([]Item{item}, DefaultMaxFPR)
	fmt.Printf("%.3f\n", v)
	// Output: 0.500
}
