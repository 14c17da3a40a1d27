package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ThresholdData is Fig. 7: one metric measured at fixed binarization
// thresholds for several detectors, with each detector's MEBin value.
type ThresholdData struct {
	// Metric names the y axis, e.g. "NMI" or "F1". Required.
	Metric string
	// Series holds one curve per detector, drawn in order. At least one.
	Series []ThresholdSeries
}

// ThresholdSeries is one detector's curve.
type ThresholdSeries struct {
	// Detector names the curve in the legend. Required.
	Detector string
	// Theta are the fixed thresholds and Value the metric at each; equal,
	// non-zero lengths, all finite.
	Theta, Value []float64
	// MEBin is the metric with MEBin, drawn as a dashed horizontal line in
	// the curve's colour; NaN means none.
	MEBin float64
}

// ThresholdFigure draws Fig. 7: the metric vs fixed threshold θ, one line
// with markers per detector, each detector's MEBin value as a dashed
// horizontal line of the same colour, and a legend on the right. It writes
// out.png and out.svg.
func ThresholdFigure(out string, f ThresholdData) error {
	const figure = "ThresholdFigure"
	if err := f.validate(figure); err != nil {
		return err
	}
	return save(figure, out, 7.5*vg.Inch, 4.5*vg.Inch, func(dc draw.Canvas) {
		f.draw(inset(dc, vg.Points(4)))
	})
}

func (f ThresholdData) validate(figure string) error {
	if f.Metric == "" {
		return inputErr(figure, "Metric", "empty metric name")
	}
	if len(f.Series) == 0 {
		return inputErr(figure, "Series", "no series to draw")
	}
	for i, s := range f.Series {
		field := fmt.Sprintf("Series[%d]", i)
		if s.Detector == "" {
			return inputErr(figure, field+".Detector", "empty detector name")
		}
		if len(s.Theta) == 0 {
			return inputErr(figure, field+".Theta", "empty")
		}
		if err := checkLen(figure, field+".Value", s.Value, len(s.Theta), "len(Theta)"); err != nil {
			return err
		}
		if err := checkFinite(figure, field+".Theta", s.Theta); err != nil {
			return err
		}
		if err := checkFinite(figure, field+".Value", s.Value); err != nil {
			return err
		}
		if math.IsInf(s.MEBin, 0) {
			return inputErr(figure, field+".MEBin", "value %v is not finite (use NaN for none)", s.MEBin)
		}
	}
	return nil
}

func (f ThresholdData) draw(c draw.Canvas) {
	p := newPlot(f.Metric + " vs fixed threshold")
	p.X.Label.Text = "fixed threshold θ"
	p.Y.Label.Text = f.Metric
	p.Add(plotter.NewGrid())
	leg := newLegend()

	lo, hi := math.Inf(1), math.Inf(-1)
	bottom, top := math.Inf(1), math.Inf(-1)
	for _, s := range f.Series {
		for j, t := range s.Theta {
			lo, hi = math.Min(lo, t), math.Max(hi, t)
			bottom, top = math.Min(bottom, s.Value[j]), math.Max(top, s.Value[j])
		}
		if !math.IsNaN(s.MEBin) {
			bottom, top = math.Min(bottom, s.MEBin), math.Max(top, s.MEBin)
		}
	}
	margin := 0.06 * math.Max(top-bottom, 0.02)
	p.Y.Min, p.Y.Max = bottom-margin, top+margin
	for i, s := range f.Series {
		pts := make(plotter.XYs, len(s.Theta))
		for j := range s.Theta {
			pts[j] = plotter.XY{X: s.Theta[j], Y: s.Value[j]}
		}
		line, marks, err := plotter.NewLinePoints(pts)
		if err != nil {
			panic(err)
		}
		line.Color, marks.Color = seriesColor(i), seriesColor(i)
		line.Width = vg.Points(1.5)
		marks.Shape, marks.Radius = glyphShape(i), vg.Points(3)
		p.Add(line, marks)
		leg.Add(s.Detector, line, marks)
		if math.IsNaN(s.MEBin) {
			continue
		}
		ref, err := plotter.NewLine(plotter.XYs{{X: lo, Y: s.MEBin}, {X: hi, Y: s.MEBin}})
		if err != nil {
			panic(err)
		}
		ref.Color = seriesColor(i)
		ref.Width = vg.Points(1.5)
		ref.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(ref)
		leg.Add(fmt.Sprintf("%s, MEBin (%.3f)", s.Detector, s.MEBin), ref)
	}
	drawWithLegend(c, p, leg)
}

// glyphShape returns the i-th marker of a fixed cycle, so curves stay
// distinguishable in grayscale.
func glyphShape(i int) draw.GlyphDrawer {
	switch i % 6 {
	case 0:
		return draw.CircleGlyph{}
	case 1:
		return draw.SquareGlyph{}
	case 2:
		return draw.TriangleGlyph{}
	case 3:
		return draw.RingGlyph{}
	case 4:
		return draw.CrossGlyph{}
	default:
		return draw.PlusGlyph{}
	}
}
