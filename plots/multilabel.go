package plots

import (
	"fmt"
	"image"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MultiLabelItem is one row of Fig. 11: a combined-type image, its crops and
// the class probabilities of each crop and of the merged image.
type MultiLabelItem struct {
	// Title names the image and heads its image panel.
	Title string
	// Image is the RGB image. Required.
	Image *image.RGBA
	// Boxes are the crop boxes as [Left, Up, Right, Bottom] in pixel
	// coordinates of Image measured from its top-left corner (crop.Box.Array
	// order); they may extend past the image. Left < Right, Up < Bottom.
	Boxes [][4]float64
	// Classes names the classes; at least one.
	Classes []string
	// CropProbs[k] are the class probabilities of crop k, one per class, in
	// [0, 1]; len(CropProbs) == len(Boxes).
	CropProbs [][]float64
	// ImageProbs are the merged image probabilities, one per class, in [0, 1].
	ImageProbs []float64
	// Threshold is the multi-label threshold in [0, 1]: classes with
	// probability ≥ Threshold are highlighted.
	Threshold float64
}

// MultiLabelFigure draws Fig. 11: for each item a row with the image and its
// crop boxes (box k in colour k), one horizontal bar chart of class
// probabilities per crop (in the box's colour), and the merged image
// probabilities with bars at or above the threshold highlighted and the
// threshold as a dashed line. It writes out.png and out.svg.
func MultiLabelFigure(out string, items []MultiLabelItem) error {
	const figure = "MultiLabelFigure"
	if len(items) == 0 {
		return inputErr(figure, "items", "no items to draw")
	}
	maxCrops := 0
	for i, it := range items {
		if err := it.validate(figure, fmt.Sprintf("items[%d]", i)); err != nil {
			return err
		}
		maxCrops = max(maxCrops, len(it.Boxes))
	}
	images := make([]*fittedImage, len(items))
	for i, it := range items {
		images[i] = it.imageWithBoxes()
	}
	weights := append([]float64{1.3}, uniformWeights(maxCrops+1)...)
	layout := grid{rows: len(items), weights: weights, gap: vg.Points(6)}
	width := vg.Length(1.3+float64(maxCrops+1)) * 2.6 * vg.Inch
	height := vg.Length(len(items)) * 2.6 * vg.Inch
	return save(figure, out, width, height, func(dc draw.Canvas) {
		for i, it := range items {
			imagePanel(it.Title, images[i]).Draw(layout.cell(dc, i, 0))
			for k, probs := range it.CropProbs {
				it.barPlot(fmt.Sprintf("crop %d", k+1), probs, seriesColor(k), seriesColor(k), -1).
					Draw(layout.cell(dc, i, 1+k))
			}
			title := fmt.Sprintf("image (threshold %.2f)", it.Threshold)
			it.barPlot(title, it.ImageProbs, barNeutral(), thresholdLine(), it.Threshold).
				Draw(layout.cell(dc, i, 1+maxCrops))
		}
	})
}

func (it MultiLabelItem) validate(figure, field string) error {
	if err := checkImage(figure, field+".Image", it.Image, it.Image == nil); err != nil {
		return err
	}
	if len(it.Classes) == 0 {
		return inputErr(figure, field+".Classes", "empty")
	}
	if err := checkLen(figure, field+".CropProbs", it.CropProbs, len(it.Boxes), "len(Boxes)"); err != nil {
		return err
	}
	for k, b := range it.Boxes {
		f := fmt.Sprintf("%s.Boxes[%d]", field, k)
		if err := checkFinite(figure, f, b[:]); err != nil {
			return err
		}
		if !(b[0] < b[2] && b[1] < b[3]) {
			return inputErr(figure, f, "box %v is empty (want Left < Right and Up < Bottom)", b)
		}
	}
	for k, probs := range it.CropProbs {
		f := fmt.Sprintf("%s.CropProbs[%d]", field, k)
		if err := checkLen(figure, f, probs, len(it.Classes), "len(Classes)"); err != nil {
			return err
		}
		if err := checkProbabilities(figure, f, probs); err != nil {
			return err
		}
	}
	if err := checkLen(figure, field+".ImageProbs", it.ImageProbs, len(it.Classes), "len(Classes)"); err != nil {
		return err
	}
	if err := checkProbabilities(figure, field+".ImageProbs", it.ImageProbs); err != nil {
		return err
	}
	return checkProbabilities(figure, field+".Threshold", []float64{it.Threshold})
}

// imageWithBoxes returns the (possibly downscaled) image with the boxes
// scaled to match.
func (it MultiLabelItem) imageWithBoxes() *fittedImage {
	img, scale := toRGBA(it.Image)
	f := &fittedImage{img: img}
	for k, b := range it.Boxes {
		f.boxes = append(f.boxes, box{
			left: b[0] * scale, up: b[1] * scale, right: b[2] * scale, bottom: b[3] * scale,
			color: seriesColor(k),
		})
	}
	return f
}

// barPlot draws probs as horizontal bars, the first class on top. Bars are
// drawn in below; when threshold ≥ 0, bars at or above it use above and the
// threshold is a dashed vertical line. Each bar is labelled with its value.
func (it MultiLabelItem) barPlot(title string, probs []float64, below, above color.Color, threshold float64) *plot.Plot {
	p := newPlot(title)
	if threshold < 0 {
		p.Title.TextStyle.Color = below
	}
	n := len(probs)
	names := slices.Clone(it.Classes)
	slices.Reverse(names)
	p.NominalY(names...)
	p.X.Label.Text = "probability"
	p.X.Min, p.X.Max = 0, 1.22
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 0.5, Label: "0.5"}, {Value: 1, Label: "1"}})
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4

	low, high := make(plotter.Values, n), make(plotter.Values, n)
	labels := plotter.XYLabels{XYs: make(plotter.XYs, n), Labels: make([]string, n)}
	for i, v := range probs {
		row := n - 1 - i
		if threshold >= 0 && v >= threshold {
			high[row] = v
		} else {
			low[row] = v
		}
		labels.XYs[row] = plotter.XY{X: v + 0.02, Y: float64(row)}
		labels.Labels[row] = fmt.Sprintf("%.2f", v)
	}
	barWidth := barThickness(n)
	for _, part := range []struct {
		values plotter.Values
		color  color.Color
	}{{low, below}, {high, above}} {
		bars, err := plotter.NewBarChart(part.values, barWidth)
		if err != nil {
			panic(err)
		}
		bars.Horizontal = true
		bars.Color = part.color
		bars.LineStyle.Width = 0
		p.Add(bars)
	}
	text, err := plotter.NewLabels(labels)
	if err != nil {
		panic(err)
	}
	for i := range text.TextStyle {
		text.TextStyle[i].Font.Size = tickSize
		text.TextStyle[i].YAlign = draw.YCenter
	}
	p.Add(text)

	if threshold >= 0 {
		line, err := plotter.NewLine(plotter.XYs{{X: threshold, Y: -0.6}, {X: threshold, Y: float64(n) - 0.4}})
		if err != nil {
			panic(err)
		}
		line.Color = thresholdLine()
		line.Width = vg.Points(1.2)
		line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(line)
	}
	return p
}

// barThickness is the bar height for n bars in a panel about 2 inches tall.
func barThickness(n int) vg.Length {
	return vg.Points(min(14, 110/float64(n)))
}
