package plots

import (
	"fmt"
	"image"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MEBinData is one row of Fig. 3: the MEBin threshold sweep of one anomaly
// map and its outcome.
type MEBinData struct {
	// Title names the row, e.g. the detector and image ("PatchCore, hazelnut/crack 003").
	Title string
	// Thresholds are the normalised thresholds of the sweep, strictly
	// monotonic (MEBin uses the 64 values 255, 251, …, 3).
	Thresholds []int
	// Counts[i] is the number of connected regions at Thresholds[i] (≥ 0).
	Counts []int
	// IntervalStart and IntervalEnd index the chosen stable interval in
	// Thresholds, inclusive, with IntervalStart ≤ IntervalEnd; both are -1
	// when MEBin found no interval. The chosen threshold is
	// Thresholds[IntervalEnd] (with MEBin's descending sweep, the lowest
	// threshold of the interval).
	IntervalStart, IntervalEnd int
	// Map is the anomaly map (drawn with the jet colour map) and Mask the
	// resulting binary mask (drawn as gray). Both are required.
	Map, Mask *image.Gray
}

// hasInterval reports whether MEBin chose a stable interval.
func (d MEBinData) hasInterval() bool { return d.IntervalStart >= 0 }

// MEBinFigure draws Fig. 3 with one row per element of rows: the number of
// connected regions vs normalised threshold (swept from high to low, left to
// right) with the stable interval shaded and the chosen threshold as a
// dashed vertical line, then the anomaly map, then the mask. When a row has
// more than 20 regions at some threshold its count axis is log(1+n), so the
// plateau stays visible next to the noise at low thresholds. Images larger
// than 512 px are scaled down for display. It writes out.png and out.svg.
func MEBinFigure(out string, rows []MEBinData) error {
	const figure = "MEBinFigure"
	if len(rows) == 0 {
		return inputErr(figure, "rows", "no rows to draw")
	}
	for i, r := range rows {
		if err := r.validate(figure, fmt.Sprintf("rows[%d]", i)); err != nil {
			return err
		}
	}
	maps, masks := make([]*image.RGBA, len(rows)), make([]*image.RGBA, len(rows))
	for i, r := range rows {
		maps[i], masks[i] = rgbaOf(heatImage(r.Map)), rgbaOf(r.Mask)
	}
	layout := grid{rows: len(rows), weights: []float64{3, 1, 1}, gap: vg.Points(6)}
	width, height := 12.5*vg.Inch, vg.Length(len(rows))*3*vg.Inch
	return save(figure, out, width, height, func(dc draw.Canvas) {
		for i, r := range rows {
			p, leg := r.sweepPlot()
			drawWithLegend(layout.cell(dc, i, 0), p, leg)
			imagePanel("anomaly map", &fittedImage{img: maps[i]}).Draw(layout.cell(dc, i, 1))
			imagePanel(r.maskTitle(), &fittedImage{img: masks[i]}).Draw(layout.cell(dc, i, 2))
		}
	})
}

func rgbaOf(img image.Image) *image.RGBA {
	dst, _ := toRGBA(img)
	return dst
}

func (d MEBinData) validate(figure, field string) error {
	n := len(d.Thresholds)
	if n == 0 {
		return inputErr(figure, field+".Thresholds", "empty")
	}
	if err := checkLen(figure, field+".Counts", d.Counts, n, "len(Thresholds)"); err != nil {
		return err
	}
	if n > 1 {
		up := d.Thresholds[1] > d.Thresholds[0]
		for i := 1; i < n; i++ {
			if prev, t := d.Thresholds[i-1], d.Thresholds[i]; prev == t || (t > prev) != up {
				return inputErr(figure, field+".Thresholds",
					"not strictly monotonic: [%d] = %d after [%d] = %d", i, t, i-1, prev)
			}
		}
	}
	for i, c := range d.Counts {
		if c < 0 {
			return inputErr(figure, fmt.Sprintf("%s.Counts[%d]", field, i), "negative count %d", c)
		}
	}
	s, e := d.IntervalStart, d.IntervalEnd
	switch {
	case s == -1 && e == -1:
	case s < 0 || e < 0 || s >= n || e >= n || s > e:
		return inputErr(figure, field+".IntervalStart/IntervalEnd",
			"[%d, %d] is not an interval of %d thresholds (use -1, -1 for none)", s, e, n)
	}
	if err := checkImage(figure, field+".Map", d.Map, d.Map == nil); err != nil {
		return err
	}
	return checkImage(figure, field+".Mask", d.Mask, d.Mask == nil)
}

func (d MEBinData) maskTitle() string {
	if !d.hasInterval() {
		return "mask (no stable interval)"
	}
	return fmt.Sprintf("mask (t = %d)", d.Thresholds[d.IntervalEnd])
}

// logCountsAbove is the largest count drawn on a linear axis; sweeps with
// more regions use a log(1+n) axis so the plateau stays visible.
const logCountsAbove = 20

// sweepPlot draws counts vs threshold with the interval and threshold marks,
// and returns the legend for them.
func (d MEBinData) sweepPlot() (*plot.Plot, plot.Legend) {
	p := newPlot(d.Title)
	p.X.Label.Text = "normalised threshold t"
	p.Y.Label.Text = "connected regions"
	p.X.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	leg := newLegend()

	most := max(1, slices.Max(d.Counts))
	y := func(n int) float64 { return float64(n) }
	top := float64(most) * 1.08
	if most > logCountsAbove {
		p.Y.Label.Text = "connected regions (log)"
		p.Y.Tick.Marker = log1pTicks{}
		y = func(n int) float64 { return math.Log1p(float64(n)) }
		top = math.Log1p(float64(most)) * 1.04
	}
	p.Y.Min, p.Y.Max = 0, top

	if d.hasInterval() {
		hi, lo := float64(d.Thresholds[d.IntervalStart]), float64(d.Thresholds[d.IntervalEnd])
		band, err := plotter.NewPolygon(plotter.XYs{{X: hi, Y: 0}, {X: lo, Y: 0}, {X: lo, Y: top}, {X: hi, Y: top}})
		if err != nil {
			panic(err)
		}
		band.Color = intervalFill()
		band.LineStyle.Width = 0
		p.Add(band)
		leg.Add(fmt.Sprintf("stable interval [%d, %d]", min(int(hi), int(lo)), max(int(hi), int(lo))), band)
	}

	pts := make(plotter.XYs, len(d.Thresholds))
	for i, t := range d.Thresholds {
		pts[i] = plotter.XY{X: float64(t), Y: y(d.Counts[i])}
	}
	line, scatter, err := plotter.NewLinePoints(pts)
	if err != nil {
		panic(err)
	}
	line.Color = seriesColor(0)
	scatter.Color = seriesColor(0)
	scatter.Shape = draw.CircleGlyph{}
	scatter.Radius = vg.Points(1.8)
	p.Add(line, scatter)
	leg.Add("regions", line, scatter)

	if d.hasInterval() {
		t := float64(d.Thresholds[d.IntervalEnd])
		v, err := plotter.NewLine(plotter.XYs{{X: t, Y: 0}, {X: t, Y: top}})
		if err != nil {
			panic(err)
		}
		v.Color = thresholdLine()
		v.Width = vg.Points(1.5)
		v.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(v)
		leg.Add(fmt.Sprintf("t = %d, %s", d.Thresholds[d.IntervalEnd], regions(d.Counts[d.IntervalEnd])), v)
	} else {
		leg.Add("no stable interval")
	}
	return p, leg
}

func regions(n int) string {
	if n == 1 {
		return "1 region"
	}
	return fmt.Sprintf("%d regions", n)
}
