package plots

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DiagnosticsData holds per-category training diagnostics to compare as
// grouped bars, e.g. the crop-level NMI of k-means on the backbone's
// features, of k-means on the fine-tuned features and of the trained head.
type DiagnosticsData struct {
	Title string
	// YLabel names the values (e.g. "crop-level NMI").
	YLabel string
	// Categories label the groups along x; at least one.
	Categories []string
	// Series are the bars of each group, in order: Values[i] belongs to
	// Categories[i]; finite, at least one series.
	Series []NamedSeries
}

// DiagnosticsFigure draws one group of bars per category, one coloured bar
// per series, with a legend on the right. It writes out.png and out.svg.
func DiagnosticsFigure(out string, d DiagnosticsData) error {
	const figure = "DiagnosticsFigure"
	if len(d.Categories) == 0 {
		return inputErr(figure, "Categories", "empty")
	}
	if len(d.Series) == 0 {
		return inputErr(figure, "Series", "no series to draw")
	}
	for i, s := range d.Series {
		field := fmt.Sprintf("Series[%d]", i)
		if s.Name == "" {
			return inputErr(figure, field+".Name", "empty series name")
		}
		if err := checkLen(figure, field+".Values", s.Values, len(d.Categories), "len(Categories)"); err != nil {
			return err
		}
		if err := checkFinite(figure, field+".Values", s.Values); err != nil {
			return err
		}
	}
	width := vg.Length(max(6, 1.1*float64(len(d.Categories)))) * vg.Inch
	return save(figure, out, width, 4*vg.Inch, func(dc draw.Canvas) {
		d.draw(inset(dc, vg.Points(4)))
	})
}

func (d DiagnosticsData) draw(dc draw.Canvas) {
	p := newPlot(d.Title)
	p.Y.Label.Text = d.YLabel
	p.Add(plotter.NewGrid())
	leg := newLegend()
	bw := vg.Points(10)
	n := len(d.Series)
	for i, s := range d.Series {
		bars, err := plotter.NewBarChart(plotter.Values(s.Values), bw)
		if err != nil {
			panic(err) // values are checked finite
		}
		bars.Color = seriesColor(i)
		bars.LineStyle.Width = 0
		bars.Offset = bw * vg.Length(float64(i)-float64(n-1)/2)
		p.Add(bars)
		leg.Add(s.Name, bars)
	}
	p.NominalX(d.Categories...)
	top := 0.0
	for _, s := range d.Series {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	p.Y.Min, p.Y.Max = min(0, p.Y.Min), max(top*1.1, 0.1)
	drawWithLegend(dc, p, leg)
}
