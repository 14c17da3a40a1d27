package plots

import (
	"image"
	"image/color"
	"math"

	xdraw "golang.org/x/image/draw"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/anomalyncd/ancd/core/resample"
)

// maxImageSide is the longest side, in pixels, of any raster placed in a
// figure; larger inputs are scaled down (bilinear) so SVG files stay small.
const maxImageSide = 512

// box is a rectangle in image pixel coordinates (x right, y down), drawn as
// an outline of the given colour.
type box struct {
	left, up, right, bottom float64
	color                   color.Color
}

// fittedImage is a plot.Plotter that draws an image into the data area,
// scaled to fit while keeping its aspect ratio and centred, with boxes on
// top, clipped to the image. It has no data range, so it is meant for plots with hidden axes.
type fittedImage struct {
	img   image.Image
	boxes []box
	width vg.Length // outline width of boxes; 0 means 1.5 pt
}

// Plot implements plot.Plotter.
func (f *fittedImage) Plot(c draw.Canvas, _ *plot.Plot) {
	b := f.img.Bounds()
	iw, ih := float64(b.Dx()), float64(b.Dy())
	cw, ch := float64(c.Max.X-c.Min.X), float64(c.Max.Y-c.Min.Y)
	scale := math.Min(cw/iw, ch/ih)
	w, h := vg.Length(iw*scale), vg.Length(ih*scale)
	origin := vg.Point{X: c.Min.X + (vg.Length(cw)-w)/2, Y: c.Min.Y + (vg.Length(ch)-h)/2}
	onImage := c
	onImage.Rectangle = vg.Rectangle{Min: origin, Max: vg.Point{X: origin.X + w, Y: origin.Y + h}}
	c.DrawImage(onImage.Rectangle, f.img)

	width := f.width
	if width == 0 {
		width = vg.Points(1.5)
	}
	toCanvas := func(x, y float64) vg.Point {
		return vg.Point{X: origin.X + vg.Length(x*scale), Y: origin.Y + h - vg.Length(y*scale)}
	}
	for _, bx := range f.boxes {
		outline := []vg.Point{
			toCanvas(bx.left, bx.up), toCanvas(bx.right, bx.up),
			toCanvas(bx.right, bx.bottom), toCanvas(bx.left, bx.bottom),
			toCanvas(bx.left, bx.up),
		}
		c.StrokeLines(draw.LineStyle{Color: bx.color, Width: width}, onImage.ClipLinesXY(outline)...)
	}
}

// toRGBA copies img into an RGBA image with bounds starting at (0, 0),
// scaled down by bilinear interpolation when its longer side exceeds
// maxImageSide. It returns the copy and the scale factor applied.
func toRGBA(img image.Image) (*image.RGBA, float64) {
	b := img.Bounds()
	scale := 1.0
	w, h := b.Dx(), b.Dy()
	if side := max(w, h); side > maxImageSide {
		scale = float64(maxImageSide) / float64(side)
		w = max(1, int(math.Round(float64(w)*scale)))
		h = max(1, int(math.Round(float64(h)*scale)))
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if scale == 1 {
		xdraw.Draw(dst, dst.Bounds(), img, b.Min, xdraw.Src)
	} else {
		xdraw.BiLinear.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil)
	}
	return dst, scale
}

// heatImage colours a gray map with the jet colour map (0 blue, 255 red).
func heatImage(m *image.Gray) *image.RGBA {
	b := m.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			dst.SetRGBA(x, y, jet(float64(m.GrayAt(b.Min.X+x, b.Min.Y+y).Y)/255))
		}
	}
	return dst
}

// normalizeRange rescales xs linearly to [0, 1] (min → 0, max → 1). A
// constant input gives all zeros.
func normalizeRange(xs []float64) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	out := make([]float64, len(xs))
	if !(hi > lo) {
		return out
	}
	for i, x := range xs {
		out[i] = (x - lo) / (hi - lo)
	}
	return out
}

// upsampleBilinear resizes a grid×grid row-major map to w×h with
// resample.Bilinear: pixel-centre alignment (source coordinate
// (x+0.5)·(grid/w) − 0.5, clamped at the borders; PyTorch's
// align_corners=False convention).
func upsampleBilinear(m []float64, grid, w, h int) []float64 {
	out := make([]float64, w*h)
	resample.Bilinear(out, w, h, m, grid, grid, float64(grid)/float64(w), float64(grid)/float64(h))
	return out
}

// overlayHeat blends the jet colours of heat (values in [0, 1], one per
// pixel, row-major) over img with weight alpha: out = (1−α)·img + α·jet(v).
func overlayHeat(img *image.RGBA, heat []float64, alpha float64) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(b)
	blend := func(a, h uint8) uint8 {
		return uint8(math.Round((1-alpha)*float64(a) + alpha*float64(h)))
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			p := img.RGBAAt(b.Min.X+x, b.Min.Y+y)
			c := jet(heat[y*b.Dx()+x])
			dst.SetRGBA(b.Min.X+x, b.Min.Y+y, color.RGBA{blend(p.R, c.R), blend(p.G, c.G), blend(p.B, c.B), 0xff})
		}
	}
	return dst
}
