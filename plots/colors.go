package plots

import (
	"image/color"
	"math"
)

// seriesColor returns the i-th colour of the fixed cycle used for lines,
// classes and boxes (the ten "tab10" colours).
func seriesColor(i int) color.RGBA {
	cycle := [...]color.RGBA{
		{0x1f, 0x77, 0xb4, 0xff},
		{0xff, 0x7f, 0x0e, 0xff},
		{0x2c, 0xa0, 0x2c, 0xff},
		{0xd6, 0x27, 0x28, 0xff},
		{0x94, 0x67, 0xbd, 0xff},
		{0x8c, 0x56, 0x4b, 0xff},
		{0xe3, 0x77, 0xc2, 0xff},
		{0x7f, 0x7f, 0x7f, 0xff},
		{0xbc, 0xbd, 0x22, 0xff},
		{0x17, 0xbe, 0xcf, 0xff},
	}
	return cycle[i%len(cycle)]
}

// Fixed colours of single-purpose marks.
func intervalFill() color.RGBA  { return color.RGBA{0xff, 0xd5, 0x80, 0xff} }
func thresholdLine() color.RGBA { return color.RGBA{0xd6, 0x27, 0x28, 0xff} }
func barNeutral() color.RGBA    { return color.RGBA{0xa0, 0xa0, 0xa0, 0xff} }

// jet maps v in [0, 1] to the classic blue-cyan-yellow-red "jet" colour map;
// values outside [0, 1] are clamped and NaN maps to the lowest colour.
func jet(v float64) color.RGBA {
	if !(v > 0) {
		v = 0
	}
	if v > 1 {
		v = 1
	}
	channel := func(centre float64) uint8 {
		c := 1.5 - math.Abs(4*v-centre)
		c = math.Max(0, math.Min(1, c))
		return uint8(math.Round(c * 255))
	}
	return color.RGBA{R: channel(3), G: channel(2), B: channel(1), A: 0xff}
}
