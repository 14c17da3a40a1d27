package crop

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/anomalyncd/ancd/core/mebin"
)

// TestScoreMapMatchesNormalizedScore: ScoreMap gives exactly the score of
// the normalised map, for ranges below, inside and above the map's values,
// degenerate ranges (NaN pixels), and boxes inside, across and outside the
// map with fractional corners.
func TestScoreMapMatchesNormalizedScore(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 3000 {
		w, h := 1+rng.IntN(20), 1+rng.IntN(20)
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = uint8(rng.IntN(256))
		}
		lo := uint8(rng.IntN(256))
		hi := lo
		if trial%5 != 0 { // every fifth range is degenerate
			hi = uint8(int(lo) + rng.IntN(256-int(lo)))
		}
		r := mebin.Range{Min: lo, Max: hi}
		// boxes overlap the map, as every box of Boxes does (Score's
		// contract), and may reach past any edge
		frac := func() float64 { return []float64{0, 0.5, 0.25, 0.75}[rng.IntN(4)] }
		span := func(n int) (float64, float64) {
			a := rng.IntN(n+n/2+2) - n/2 - 2
			a = min(a, n-1)
			e := max(a+1, 1) + rng.IntN(n+2)
			return float64(a) + frac(), float64(e) + frac()
		}
		var b Box
		b.Left, b.Right = span(w)
		b.Up, b.Bottom = span(h)
		want := Score(mebin.Normalize(m, r), w, h, b)
		got := ScoreMap(m, r, b)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("trial %d: %dx%d range %v box %+v: ScoreMap %v, Score %v", trial, w, h, r, b, got, want)
		}
	}
}
