package plots

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TSNEPanel is one scatter panel of Fig. 8: a 2-D embedding of sub-image
// features coloured by true class.
type TSNEPanel struct {
	// Title names the panel, e.g. "w/o MGA".
	Title string
	// Points are the embedded features, all finite; at least one.
	Points [][2]float64
	// Labels[i] is the class of Points[i], an index into Classes.
	Labels []int
	// Classes are the class names shown in the panel's legend. At least one.
	Classes []string
}

// TSNEFigure draws Fig. 8: the panels side by side, each a scatter of its
// points coloured (and shaped) by true class with a legend of class names
// and counts on its right. Axes are hidden: embedding coordinates carry no
// meaning. It writes out.png and out.svg.
func TSNEFigure(out string, panels []TSNEPanel) error {
	const figure = "TSNEFigure"
	if len(panels) == 0 {
		return inputErr(figure, "panels", "no panels to draw")
	}
	for i, p := range panels {
		if err := p.validate(figure, fmt.Sprintf("panels[%d]", i)); err != nil {
			return err
		}
	}
	layout := grid{rows: 1, weights: uniformWeights(len(panels)), gap: vg.Points(6)}
	width := vg.Length(len(panels)) * 5 * vg.Inch
	return save(figure, out, width, 4.2*vg.Inch, func(dc draw.Canvas) {
		for i, p := range panels {
			p.draw(layout.cell(dc, 0, i))
		}
	})
}

func (t TSNEPanel) validate(figure, field string) error {
	if len(t.Points) == 0 {
		return inputErr(figure, field+".Points", "empty")
	}
	if len(t.Classes) == 0 {
		return inputErr(figure, field+".Classes", "empty")
	}
	if err := checkLen(figure, field+".Labels", t.Labels, len(t.Points), "len(Points)"); err != nil {
		return err
	}
	for i, pt := range t.Points {
		if err := checkFinite(figure, fmt.Sprintf("%s.Points[%d]", field, i), pt[:]); err != nil {
			return err
		}
	}
	for i, l := range t.Labels {
		if l < 0 || l >= len(t.Classes) {
			return inputErr(figure, fmt.Sprintf("%s.Labels[%d]", field, i),
				"class %d is outside [0, %d) (len(Classes))", l, len(t.Classes))
		}
	}
	return nil
}

func (t TSNEPanel) draw(c draw.Canvas) {
	p := newPlot(t.Title)
	p.HideAxes()
	leg := newLegend()
	byClass := make([]plotter.XYs, len(t.Classes))
	for i, pt := range t.Points {
		byClass[t.Labels[i]] = append(byClass[t.Labels[i]], plotter.XY{X: pt[0], Y: pt[1]})
	}
	for k, pts := range byClass {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			panic(err)
		}
		s.Color = seriesColor(k)
		s.Shape = filledGlyph(k)
		s.Radius = vg.Points(2.2)
		if len(pts) > 0 {
			p.Add(s)
		}
		leg.Add(fmt.Sprintf("%s (%d)", t.Classes[k], len(pts)), s)
	}
	drawWithLegend(c, p, leg)
}

// filledGlyph returns the i-th filled marker of a fixed cycle; the shape
// changes every ten classes, when the colours repeat.
func filledGlyph(i int) draw.GlyphDrawer {
	switch (i / 10) % 3 {
	case 0:
		return draw.CircleGlyph{}
	case 1:
		return draw.SquareGlyph{}
	default:
		return draw.TriangleGlyph{}
	}
}
