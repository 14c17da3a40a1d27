package plots

import (
	"fmt"
	"image"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// attentionAlpha is the weight of the heat colours over the image.
const attentionAlpha = 0.5

// AttentionRow is one row of Fig. 4/9/10: an image (whole image or crop) and
// the [CLS] attention maps of several layers over it.
type AttentionRow struct {
	// Title names the row and heads its image column.
	Title string
	// Image is the RGB input the attention was computed on. Required.
	Image *image.RGBA
	// Layers names each map, e.g. "layer 12"; len(Layers) == len(Maps) ≥ 1.
	Layers []string
	// Maps are the [CLS] attention grids, each Grid×Grid values, row-major,
	// all finite.
	Maps [][]float64
	// Grid is the side of the patch grid (e.g. 14 for 224 px and 16 px patches).
	Grid int
}

// AttentionFigure draws Fig. 4/9/10: for each row, the image followed by one
// panel per layer in which the attention map, scaled to [0, 1] by its own
// minimum and maximum and bilinearly upsampled to the image size
// (pixel-centre aligned), is drawn in jet colours alpha-blended (α = 0.5)
// over the image. It writes out.png and out.svg.
func AttentionFigure(out string, rows []AttentionRow) error {
	const figure = "AttentionFigure"
	if len(rows) == 0 {
		return inputErr(figure, "rows", "no rows to draw")
	}
	cols := 0
	for i, r := range rows {
		if err := r.validate(figure, fmt.Sprintf("rows[%d]", i)); err != nil {
			return err
		}
		cols = max(cols, 1+len(r.Maps))
	}
	panels := make([][]*image.RGBA, len(rows))
	for i, r := range rows {
		panels[i] = r.panels()
	}
	layout := grid{rows: len(rows), weights: uniformWeights(cols), gap: vg.Points(4)}
	width, height := vg.Length(cols)*2.2*vg.Inch, vg.Length(len(rows))*2.4*vg.Inch
	return save(figure, out, width, height, func(dc draw.Canvas) {
		for i, r := range rows {
			for j, img := range panels[i] {
				title := r.Title
				if j > 0 {
					title = r.Layers[j-1]
				}
				imagePanel(title, &fittedImage{img: img}).Draw(layout.cell(dc, i, j))
			}
		}
	})
}

func (r AttentionRow) validate(figure, field string) error {
	if err := checkImage(figure, field+".Image", r.Image, r.Image == nil); err != nil {
		return err
	}
	if r.Grid <= 0 {
		return inputErr(figure, field+".Grid", "grid side %d is not positive", r.Grid)
	}
	if len(r.Maps) == 0 {
		return inputErr(figure, field+".Maps", "no attention maps")
	}
	if err := checkLen(figure, field+".Layers", r.Layers, len(r.Maps), "len(Maps)"); err != nil {
		return err
	}
	for k, m := range r.Maps {
		f := fmt.Sprintf("%s.Maps[%d]", field, k)
		if err := checkLen(figure, f, m, r.Grid*r.Grid, "Grid*Grid"); err != nil {
			return err
		}
		if err := checkFinite(figure, f, m); err != nil {
			return err
		}
	}
	return nil
}

// panels returns the row's image followed by one overlay per map.
func (r AttentionRow) panels() []*image.RGBA {
	base, _ := toRGBA(r.Image)
	w, h := base.Bounds().Dx(), base.Bounds().Dy()
	out := []*image.RGBA{base}
	for _, m := range r.Maps {
		heat := upsampleBilinear(normalizeRange(m), r.Grid, w, h)
		out = append(out, overlayHeat(base, heat, attentionAlpha))
	}
	return out
}
