package detecteval

import (
	"fmt"
	"math"
)

// Item is one test image for evaluation: its anomaly map and its ground
// truth, both W x H, row-major. Mask nil means an all-normal image.
type Item struct {
	W, H  int
	Score []float32
	Mask  []bool
}

// check reports size problems, naming the item index.
func (it Item) check(i int) error {
	if it.W < 1 || it.H < 1 || len(it.Score) != it.W*it.H {
		return fmt.Errorf("detecteval: item %d: map has %d values for %dx%d", i, len(it.Score), it.W, it.H)
	}
	if it.Mask != nil && len(it.Mask) != len(it.Score) {
		return fmt.Errorf("detecteval: item %d: mask has %d values, map %d", i, len(it.Mask), len(it.Score))
	}
	for j, v := range it.Score {
		if math.IsNaN(float64(v)) {
			return fmt.Errorf("detecteval: item %d: map value %d is NaN", i, j)
		}
	}
	return nil
}

// anomalous reports whether the mask has a foreground pixel.
func (it Item) anomalous() bool {
	for _, m := range it.Mask {
		if m {
			return true
		}
	}
	return false
}

// maxScore is the image score: the maximum of the map.
func (it Item) maxScore() float32 {
	m := it.Score[0]
	for _, v := range it.Score[1:] {
		m = max(m, v)
	}
	return m
}

func checkAll(items []Item) error {
	if len(items) == 0 {
		return fmt.Errorf("detecteval: no items: %w", ErrUndefined)
	}
	for i, it := range items {
		if err := it.check(i); err != nil {
			return err
		}
	}
	return nil
}

// ImageAUROC scores each image by the maximum of its map; positives are
// images whose mask has a foreground pixel.
func ImageAUROC(items []Item) (float64, error) {
	if err := checkAll(items); err != nil {
		return math.NaN(), err
	}
	scores := make([]float64, len(items))
	pos := make([]bool, len(items))
	for i, it := range items {
		scores[i] = float64(it.maxScore())
		pos[i] = it.anomalous()
	}
	return aurocFloat64(scores, pos)
}

// PixelAUROC ranks every pixel of every image; positives are mask pixels.
func PixelAUROC(items []Item) (float64, error) {
	if err := checkAll(items); err != nil {
		return math.NaN(), err
	}
	n := 0
	for _, it := range items {
		n += len(it.Score)
	}
	s := make([]scored, 0, n)
	for _, it := range items {
		for j, v := range it.Score {
			s = append(s, scored{v, it.Mask != nil && it.Mask[j]})
		}
	}
	return aurocScored(s)
}

// Summary holds the three detection metrics of one category. NaN marks a
// metric that is undefined for the data (e.g. no defective image).
type Summary struct {
	ImageAUROC float64
	PixelAUROC float64
	AUPRO      float64
}

// Evaluate computes all three metrics (AUPRO with DefaultMaxFPR). Metrics
// that are undefined for the data are NaN; other errors are returned.
func Evaluate(items []Item) (Summary, error) {
	if err := checkAll(items); err != nil {
		return Summary{}, err
	}
	var s Summary
	var err error
	steps := []struct {
		dst *float64
		fn  func([]Item) (float64, error)
	}{
		{&s.ImageAUROC, ImageAUROC},
		{&s.PixelAUROC, PixelAUROC},
		{&s.AUPRO, func(it []Item) (float64, error) { return AUPRO(it, DefaultMaxFPR) }},
	}
	for _, st := range steps {
		if *st.dst, err = st.fn(items); err != nil && !isUndefined(err) {
			return Summary{}, err
		}
	}
	return s, nil
}
