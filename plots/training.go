package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TrainingData holds the per-epoch loss curves of one training run.
type TrainingData struct {
	// Title names the run, e.g. "bottle, seed 0".
	Title string
	// Epochs are the x values, all finite; at least one.
	Epochs []float64
	// Series are the curves, drawn in order (e.g. total, contrastive,
	// supcon, cls, cluster). At least one.
	Series []NamedSeries
}

// NamedSeries is one curve: Values[i] belongs to Epochs[i]. A NaN value is a
// missing entry and leaves a gap in the line; infinities are rejected.
type NamedSeries struct {
	Name   string
	Values []float64
}

// TrainingCurves draws the loss curves of a run against epoch, one coloured
// line per series with a legend on the right. It writes out.png and out.svg.
func TrainingCurves(out string, c TrainingData) error {
	const figure = "TrainingCurves"
	if err := c.validate(figure); err != nil {
		return err
	}
	return save(figure, out, 8*vg.Inch, 4.5*vg.Inch, func(dc draw.Canvas) {
		c.draw(inset(dc, vg.Points(4)))
	})
}

func (c TrainingData) validate(figure string) error {
	if len(c.Epochs) == 0 {
		return inputErr(figure, "Epochs", "empty")
	}
	if err := checkFinite(figure, "Epochs", c.Epochs); err != nil {
		return err
	}
	if len(c.Series) == 0 {
		return inputErr(figure, "Series", "no series to draw")
	}
	for i, s := range c.Series {
		field := fmt.Sprintf("Series[%d]", i)
		if s.Name == "" {
			return inputErr(figure, field+".Name", "empty series name")
		}
		if err := checkLen(figure, field+".Values", s.Values, len(c.Epochs), "len(Epochs)"); err != nil {
			return err
		}
		for j, v := range s.Values {
			if math.IsInf(v, 0) {
				return inputErr(figure, fmt.Sprintf("%s.Values[%d]", field, j), "value %v is infinite (use NaN for missing)", v)
			}
		}
	}
	return nil
}

func (c TrainingData) draw(dc draw.Canvas) {
	p := newPlot(c.Title)
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "loss"
	p.Add(plotter.NewGrid())
	leg := newLegend()
	padYRange(p, c.Series)
	for i, s := range c.Series {
		style := draw.LineStyle{Color: seriesColor(i), Width: vg.Points(1.5)}
		finite := addCurve(p, c.Epochs, s.Values, style)
		name := s.Name
		if finite == 0 {
			name += " (no values)"
		}
		leg.Add(name, &plotter.Line{LineStyle: style})
	}
	drawWithLegend(dc, p, leg)
}

// addCurve draws ys against xs in style: a line per run without NaN, a dot
// for a run of one point. It returns the number of finite points.
func addCurve(p *plot.Plot, xs, ys []float64, style draw.LineStyle) int {
	finite := 0
	for _, seg := range finiteRuns(xs, ys) {
		finite += len(seg)
		if len(seg) == 1 {
			dot, err := plotter.NewScatter(seg)
			if err != nil {
				panic(err)
			}
			dot.Color, dot.Shape, dot.Radius = style.Color, draw.CircleGlyph{}, vg.Points(2)
			p.Add(dot)
			continue
		}
		line, err := plotter.NewLine(seg)
		if err != nil {
			panic(err)
		}
		line.LineStyle = style
		p.Add(line)
	}
	return finite
}

// finiteRuns splits (xs[i], ys[i]) into maximal runs without NaN.
func finiteRuns(xs, ys []float64) []plotter.XYs {
	var runs []plotter.XYs
	var cur plotter.XYs
	for i, y := range ys {
		if math.IsNaN(y) {
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: xs[i], Y: y})
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// padYRange sets the y range to the finite values of series plus 5% of
// their span on each side, so no point sits on the frame. With no finite
// value the range is left to gonum/plot.
func padYRange(p *plot.Plot, series []NamedSeries) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return
	}
	margin := 0.05 * (hi - lo)
	if margin == 0 {
		margin = 0.05*math.Abs(hi) + 0.05
	}
	p.Y.Min, p.Y.Max = lo-margin, hi+margin
}

// trainingGridColumns is the number of panels per row of TrainingGridSVG.
const trainingGridColumns = 4

// TrainingGridSVG draws the loss curves of several runs (e.g. one per
// category of a training), one small panel each, four per row, with one
// legend below them; it returns an SVG document with the fonts named but
// not embedded (for HTML reports).
func TrainingGridSVG(runs []TrainingData) ([]byte, error) {
	const figure = "TrainingGrid"
	if len(runs) == 0 {
		return nil, inputErr(figure, "runs", "no runs to draw")
	}
	for i, r := range runs {
		if err := r.validate(figure); err != nil {
			return nil, fmt.Errorf("runs[%d] (%s): %w", i, r.Title, err)
		}
	}
	cols := min(len(runs), trainingGridColumns)
	rows := (len(runs) + cols - 1) / cols
	panelW, panelH := 3.2*vg.Inch, 2.4*vg.Inch
	legendH := vg.Points(24)
	layout := grid{rows: rows, weights: uniformWeights(cols), gap: vg.Points(6)}
	return renderSVG(figure, vg.Length(cols)*panelW, vg.Length(rows)*panelH+legendH, func(dc draw.Canvas) {
		body := dc
		body.Min.Y += legendH
		for i, r := range runs {
			r.panel().Draw(layout.cell(body, i/cols, i%cols))
		}
		// one legend for all panels, in a row: the series of the first run
		lc := dc
		lc.Max.Y = dc.Min.Y + legendH
		x := lc.Min.X + vg.Points(8)
		for i, s := range runs[0].Series {
			leg := newLegend()
			leg.Top, leg.Left = false, true
			leg.Add(s.Name, &plotter.Line{LineStyle: draw.LineStyle{Color: seriesColor(i), Width: vg.Points(1.5)}})
			cc := lc
			cc.Min.X = x
			leg.Draw(cc)
			x += leg.Rectangle(cc).Size().X + vg.Points(12)
		}
	})
}

// panel is the run's curves without a legend.
func (c TrainingData) panel() *plot.Plot {
	p := newPlot(c.Title)
	p.Title.TextStyle.Font.Size = labelSize
	p.X.Label.Text = "epoch"
	p.Add(plotter.NewGrid())
	padYRange(p, c.Series)
	for i, s := range c.Series {
		addCurve(p, c.Epochs, s.Values, draw.LineStyle{Color: seriesColor(i), Width: vg.Points(1.2)})
	}
	return p
}
