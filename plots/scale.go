package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// log1pTicks labels an axis whose data are log(1+n): ticks sit at log(1+v)
// for v = 0, 1, 3, 10, 30, 100, 300, … and are labelled v. On such an axis
// they are almost evenly spaced. (The data are transformed instead of using
// a plot.Normalizer because gonum/plot places axis labels by the data-space
// midpoint, which a non-linear scale pushes off the axis.)
type log1pTicks struct{}

// Ticks implements plot.Ticker.
func (log1pTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	add := func(v float64) {
		if y := math.Log1p(v); y >= lo && y <= hi {
			ticks = append(ticks, plot.Tick{Value: y, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
	}
	add(0)
	for decade := 1.0; math.Log1p(decade) <= hi; decade *= 10 {
		add(decade)
		add(3 * decade)
	}
	return ticks
}
