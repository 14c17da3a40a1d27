package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// grid splits a canvas into rows of equal height and columns whose widths
// are proportional to weights, with gap between cells and around them. The
// zero value is unusable: rows must be ≥ 1 and weights non-empty.
type grid struct {
	rows    int
	weights []float64
	gap     vg.Length
}

// cell returns the canvas of row (0 = top) and col (0 = left).
func (g grid) cell(dc draw.Canvas, row, col int) draw.Canvas {
	cols := len(g.weights)
	var sum, before float64
	for j, w := range g.weights {
		sum += w
		if j < col {
			before += w
		}
	}
	width := dc.Max.X - dc.Min.X - g.gap*vg.Length(cols+1)
	height := (dc.Max.Y - dc.Min.Y - g.gap*vg.Length(g.rows+1)) / vg.Length(g.rows)

	c := dc
	c.Min.X = dc.Min.X + g.gap*vg.Length(col+1) + width*vg.Length(before/sum)
	c.Max.X = c.Min.X + width*vg.Length(g.weights[col]/sum)
	c.Max.Y = dc.Max.Y - g.gap*vg.Length(row+1) - height*vg.Length(row)
	c.Min.Y = c.Max.Y - height
	return c
}

// uniformWeights returns n equal column weights.
func uniformWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// Font sizes shared by every figure.
const (
	titleSize  = vg.Length(11)
	labelSize  = vg.Length(10)
	tickSize   = vg.Length(8)
	legendSize = vg.Length(9)
	legendGap  = vg.Length(6)
)

// newPlot returns a plot with the package's font sizes and title.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = titleSize
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = labelSize
		a.Tick.Label.Font.Size = tickSize
	}
	return p
}

// newLegend returns a legend in the package's font size, drawn top-left of
// whatever canvas it is given.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = legendSize
	l.ThumbnailWidth = vg.Points(18)
	l.Padding = vg.Points(2)
	l.Top, l.Left = true, true
	return l
}

// drawWithLegend draws p into c with leg in a strip on the right of c, the
// legend's top level with the top of p's data area.
func drawWithLegend(c draw.Canvas, p *plot.Plot, leg plot.Legend) {
	strip := leg.Rectangle(c).Size().X + 2*legendGap
	pc := c
	pc.Max.X -= strip
	p.Draw(pc)

	lc := c
	lc.Min.X = pc.Max.X + legendGap
	data := p.DataCanvas(pc)
	lc.Max.Y, lc.Min.Y = data.Max.Y, data.Min.Y
	leg.Draw(lc)
}

// imagePanel returns a plot without axes that shows img fitted into its data
// area, keeping the aspect ratio, with optional boxes drawn on top.
func imagePanel(title string, img *fittedImage) *plot.Plot {
	p := newPlot(title)
	p.HideAxes()
	p.Add(img)
	return p
}

// inset returns c shrunk by d on every side.
func inset(c draw.Canvas, d vg.Length) draw.Canvas {
	c.Min.X += d
	c.Min.Y += d
	c.Max.X -= d
	c.Max.Y -= d
	return c
}
