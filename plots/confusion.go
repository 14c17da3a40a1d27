package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ConfusionPanel is one category's confusion matrix after Hungarian
// mapping: Counts[t][p] images of true class t predicted as (mapped) class p.
type ConfusionPanel struct {
	// Title names the panel, e.g. "mvtec/wood".
	Title string
	// Classes name rows (true) and columns (mapped prediction); at least one.
	Classes []string
	// Counts is len(Classes) x len(Classes), non-negative.
	Counts [][]int
}

// confusionColumns is the number of panels per row of ConfusionFigure.
const confusionColumns = 4

// ConfusionFigure draws one heat map per panel (rows: true class, columns:
// mapped predicted class), each cell shaded by the share of its true class
// and labelled with its count; the panel title gives the accuracy. Panels
// are laid out four per row. It writes out.png and out.svg.
func ConfusionFigure(out string, panels []ConfusionPanel) error {
	w, h, paint, err := confusionPainter(panels)
	if err != nil {
		return err
	}
	return save("ConfusionFigure", out, w, h, paint)
}

func confusionPainter(panels []ConfusionPanel) (vg.Length, vg.Length, painter, error) {
	const figure = "ConfusionFigure"
	if len(panels) == 0 {
		return 0, 0, nil, inputErr(figure, "panels", "no panels to draw")
	}
	for i, p := range panels {
		if err := p.validate(figure, fmt.Sprintf("panels[%d]", i)); err != nil {
			return 0, 0, nil, err
		}
	}
	cols := min(len(panels), confusionColumns)
	rows := (len(panels) + cols - 1) / cols
	layout := grid{rows: rows, weights: uniformWeights(cols), gap: vg.Points(8)}
	w := vg.Length(cols) * 3.4 * vg.Inch
	h := vg.Length(rows) * 3.4 * vg.Inch
	return w, h, func(dc draw.Canvas) {
		for i, p := range panels {
			p.plot().Draw(layout.cell(dc, i/cols, i%cols))
		}
	}, nil
}

func (c ConfusionPanel) validate(figure, field string) error {
	if len(c.Classes) == 0 {
		return inputErr(figure, field+".Classes", "empty")
	}
	if err := checkLen(figure, field+".Counts", c.Counts, len(c.Classes), "len(Classes)"); err != nil {
		return err
	}
	for i, row := range c.Counts {
		if err := checkLen(figure, fmt.Sprintf("%s.Counts[%d]", field, i), row, len(c.Classes), "len(Classes)"); err != nil {
			return err
		}
		for j, v := range row {
			if v < 0 {
				return inputErr(figure, fmt.Sprintf("%s.Counts[%d][%d]", field, i, j), "count %d is negative", v)
			}
		}
	}
	return nil
}

func (c ConfusionPanel) plot() *plot.Plot {
	total, correct := 0, 0
	for i, row := range c.Counts {
		for j, v := range row {
			total += v
			if i == j {
				correct += v
			}
		}
	}
	title := c.Title
	if total > 0 {
		title = fmt.Sprintf("%s (accuracy %.2f, n = %d)", c.Title, float64(correct)/float64(total), total)
	}
	p := newPlot(title)
	p.Title.TextStyle.Font.Size = labelSize
	p.X.Label.Text = "predicted (mapped)"
	p.Y.Label.Text = "true"
	k := len(c.Classes)
	var xt, yt []plot.Tick
	for i, name := range c.Classes {
		xt = append(xt, plot.Tick{Value: float64(i), Label: name + "  "})
		// row 0 at the top
		yt = append(yt, plot.Tick{Value: float64(k - 1 - i), Label: name + " "})
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = text.XRight
	p.X.Tick.Label.YAlign = text.YCenter
	p.X.Padding, p.Y.Padding = 0, 0
	// no tick marks; rotated labels end where the marks would be
	p.X.Tick.LineStyle.Width, p.Y.Tick.LineStyle.Width = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(k)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	p.Add(confusionCells{c})
	return p
}

// confusionCells draws the shaded, labelled cells of a panel.
type confusionCells struct{ ConfusionPanel }

// Plot implements plot.Plotter.
func (c confusionCells) Plot(dc draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&dc)
	k := len(c.Classes)
	sty := draw.TextStyle{Color: color.Black, Font: p.X.Tick.Label.Font, XAlign: text.XCenter, YAlign: text.YCenter,
		Handler: p.X.Tick.Label.Handler}
	sty.Font.Size = tickSize
	for i, row := range c.Counts {
		sum := 0
		for _, v := range row {
			sum += v
		}
		for j, v := range row {
			share := 0.0
			if sum > 0 {
				share = float64(v) / float64(sum)
			}
			y := float64(k - 1 - i)
			x0, x1 := trX(float64(j)-0.5), trX(float64(j)+0.5)
			y0, y1 := trY(y-0.5), trY(y+0.5)
			rect := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
			dc.SetColor(blues(share))
			dc.Fill(rect.Path())
			s := sty
			if share > 0.6 {
				s.Color = color.White
			}
			dc.FillText(s, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, strconv.Itoa(v))
		}
	}
}

// blues maps a share in [0, 1] from white to dark blue.
func blues(v float64) color.RGBA {
	v = math.Max(0, math.Min(1, v))
	lerp := func(a, b float64) uint8 { return uint8(math.Round(a + (b-a)*v)) }
	return color.RGBA{R: lerp(0xf7, 0x08), G: lerp(0xfb, 0x30), B: lerp(0xff, 0x6b), A: 0xff}
}
