package baselines

import (
	"fmt"
	"image"

	"github.com/anomalyncd/ancd/core/features"
)

// PatchFunc returns the patch features of one image: gridW·gridH vectors of
// equal length, row-major (patch (x, y) at index y·gridW + x), the patch
// grid covering the whole image. It is called from several goroutines at
// once unless the caller's Workers is 1, so it must then be safe for
// concurrent use. Use it to plug in another frozen backbone (e.g. a ViT's
// patch tokens).
type PatchFunc func(img *image.RGBA) (patches [][]float32, gridW, gridH int, err error)

// patchSet is one image's extracted patch grid.
type patchSet struct {
	patches [][]float32
	w, h    int
}

// newPatchSource returns, for each worker, the extractor to use: extract
// itself when non-nil, else a fresh core/features extractor with fp whose
// grid is averaged over aggregate×aggregate neighbourhoods.
func newPatchSource(extract PatchFunc, fp features.Params, aggregate int) (func() (PatchFunc, error), error) {
	if extract != nil {
		return func() (PatchFunc, error) { return extract, nil }, nil
	}
	if err := fp.Validate(); err != nil {
		return nil, err
	}
	return func() (PatchFunc, error) {
		ex, err := features.NewExtractor(fp)
		if err != nil {
			return nil, err
		}
		return func(img *image.RGBA) ([][]float32, int, int, error) {
			g, err := ex.Extract(img)
			if err != nil {
				return nil, 0, 0, err
			}
			g = g.Aggregate(aggregate)
			out := make([][]float32, g.Len())
			for i := range out {
				out[i] = g.Vec(i)
			}
			return out, g.W, g.H, nil
		}, nil
	}, nil
}

// extractOne runs f on img and checks the shape of its answer.
func extractOne(f PatchFunc, img *image.RGBA, what string, i int) (patchSet, error) {
	if img == nil {
		return patchSet{}, fmt.Errorf("baselines: %s %d is nil", what, i)
	}
	p, w, h, err := f(img)
	if err != nil {
		return patchSet{}, fmt.Errorf("baselines: %s %d: %w", what, i, err)
	}
	if w < 1 || h < 1 || len(p) != w*h {
		return patchSet{}, fmt.Errorf("baselines: %s %d: %d patches for a %dx%d grid", what, i, len(p), w, h)
	}
	d := len(p[0])
	if d == 0 {
		return patchSet{}, fmt.Errorf("baselines: %s %d: empty patch features", what, i)
	}
	for j, v := range p {
		if len(v) != d {
			return patchSet{}, fmt.Errorf("baselines: %s %d: patch %d has %d dimensions, want %d", what, i, j, len(v), d)
		}
	}
	return patchSet{patches: p, w: w, h: h}, nil
}

// poolMap averages m (values/255) onto a gw×gh grid: cell (cx, cy) covers
// map columns [⌊cx·W/gw⌋, ⌊(cx+1)·W/gw⌋) (at least one) and likewise rows,
// i.e. the grid is laid proportionally over the whole map, whatever the
// map's size relative to the image.
func poolMap(m *image.Gray, gw, gh int) []float64 {
	b := m.Bounds()
	mw, mh := b.Dx(), b.Dy()
	span := func(c, cells, size int) (int, int) {
		lo := c * size / cells
		hi := max((c+1)*size/cells, lo+1)
		return min(lo, size-1), min(hi, size)
	}
	out := make([]float64, gw*gh)
	for cy := range gh {
		y0, y1 := span(cy, gh, mh)
		for cx := range gw {
			x0, x1 := span(cx, gw, mw)
			var s float64
			for y := y0; y < y1; y++ {
				row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := x0; x < x1; x++ {
					s += float64(row[x])
				}
			}
			out[cy*gw+cx] = s / (255 * float64((y1-y0)*(x1-x0)))
		}
	}
	return out
}
