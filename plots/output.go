package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// DPI is the resolution of every PNG figure.
const DPI = 96

// Paths returns the two files a figure function writes for out: out with a
// trailing ".png" or ".svg" removed, plus ".png" and ".svg".
func Paths(out string) (png, svg string) {
	base := trimFigureExt(out)
	return base + ".png", base + ".svg"
}

func trimFigureExt(out string) string {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".png", ".svg":
		return strings.TrimSuffix(out, filepath.Ext(out))
	}
	return out
}

// painter draws a whole figure onto a canvas of the figure's size. It is
// called once per output format, so it must build its plots afresh each time.
type painter func(dc draw.Canvas)

// save renders paint at w×h into out.png and out.svg, each written
// atomically. A panic inside gonum/plot while drawing becomes an error naming
// the figure.
func save(figure, out string, w, h vg.Length, paint painter) error {
	if out == "" || trimFigureExt(out) == "" || strings.HasSuffix(out, string(filepath.Separator)) {
		return &InputError{Figure: figure, Field: "out", Problem: fmt.Sprintf("%q is not a file path", out)}
	}
	pngPath, svgPath := Paths(out)

	img := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	if err := paintSafely(figure, img, paint); err != nil {
		return err
	}
	if err := atomicfile.Write(pngPath, writeAll(img)); err != nil {
		return fmt.Errorf("plots: %s: %w", figure, err)
	}

	svg := vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	if err := paintSafely(figure, svg, paint); err != nil {
		return err
	}
	var doc bytes.Buffer
	if _, err := svg.WriteTo(&doc); err != nil {
		return fmt.Errorf("plots: %s: encode SVG: %w", figure, err)
	}
	if err := atomicfile.WriteFile(svgPath, fixSVG(doc.Bytes())); err != nil {
		return fmt.Errorf("plots: %s: %w", figure, err)
	}
	return nil
}

// paintSafely fills the canvas white, then paints on it.
func paintSafely(figure string, c vg.CanvasSizer, paint painter) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: %s: drawing failed: %v", figure, r)
		}
	}()
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	paint(dc)
	return nil
}

// fixSVG makes two corrections to vgsvg's output, both plain byte
// replacements that cannot touch base64 data (which has no ':' or ';'):
//   - raster images are PNG-encoded but labelled "image/jpg"; label them
//     "image/png";
//   - text names only "Liberation Serif", embedded as @font-face, which some
//     renderers (librsvg, Inkscape) ignore; add the metric-compatible Times
//     New Roman and a generic serif as fallbacks so text keeps its width.
func fixSVG(svg []byte) []byte {
	svg = bytes.ReplaceAll(svg, []byte("data:image/jpg;base64,"), []byte("data:image/png;base64,"))
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Serif;"),
		[]byte("font-family:'Liberation Serif','Times New Roman',Times,serif;"))
}

func writeAll(wt io.WriterTo) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	}
}

// renderSVG paints a figure into an SVG document in memory. Fonts are named
// (with the same fallbacks as the files) but not embedded, which keeps the
// document small enough to inline many of them into an HTML report.
func renderSVG(figure string, w, h vg.Length, paint painter) ([]byte, error) {
	svg := vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(false))
	if err := paintSafely(figure, svg, paint); err != nil {
		return nil, err
	}
	var doc bytes.Buffer
	if _, err := svg.WriteTo(&doc); err != nil {
		return nil, fmt.Errorf("plots: %s: encode SVG: %w", figure, err)
	}
	return fixSVG(doc.Bytes()), nil
}
