package ablations

import (
	"fmt"
	"image"
	"math"
	"runtime"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/plots"
)

// AttentionInput is one image of Fig. 4/9/10: a title, the RGB image (a
// whole image or an anomaly crop) and its anomaly mask (same size; nil means
// an empty mask, as a full-image crop has in training). It is an alias of
// the unnamed struct so callers may use either spelling.
type AttentionInput = struct {
	Title string
	Image *image.RGBA
	Mask  *image.Gray
}

// AttentionRows computes the [CLS] attention maps of model on the test view
// of each item, exactly as core/train makes it for inference (augment's
// TestBatch at the model's image size: resize of the shorter side to
// int(S/0.875), centre crop S×S, ImageNet normalisation; the mask follows
// the same geometry), and returns one plots.AttentionRow per item, in order.
// Each row's Image is the test view's RGB crop (S×S), Layers are "block i"
// and Maps the head-averaged [CLS]-to-patch weights of the chosen blocks
// (0-based, as the parameter names blocks.i; empty means every block), on
// the model's Grid()×Grid() patch grid.
func AttentionRows(model *mgvit.Model, items []AttentionInput, blocks []int) ([]plots.AttentionRow, error) {
	cfg := model.Config()
	if len(items) == 0 {
		return nil, fmt.Errorf("ablations: attention: no items")
	}
	if len(blocks) == 0 {
		for b := range cfg.Depth {
			blocks = append(blocks, b)
		}
	}
	for _, b := range blocks {
		if b < 0 || b >= cfg.Depth {
			return nil, fmt.Errorf("ablations: attention: block %d outside [0,%d)", b, cfg.Depth)
		}
	}
	for i, it := range items {
		if it.Image == nil {
			return nil, fmt.Errorf("ablations: attention: item %d (%q) has no image", i, it.Title)
		}
		if it.Mask != nil && it.Mask.Bounds().Size() != it.Image.Bounds().Size() {
			return nil, fmt.Errorf("ablations: attention: item %d (%q): mask %v and image %v differ in size",
				i, it.Title, it.Mask.Bounds().Size(), it.Image.Bounds().Size())
		}
	}
	s, n := cfg.ImageSize, len(items)
	aug, err := augment.New(s, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	img, mask := make([]float32, n*3*s*s), make([]float32, n*s*s)
	load := func(i int) (augment.Source, error) {
		return augment.Source{Image: items[i].Image, Mask: items[i].Mask}, nil
	}
	if err := aug.TestBatch(n, load, img, mask); err != nil {
		return nil, fmt.Errorf("ablations: attention: %w", err)
	}
	maps, err := model.Attention(img, mask, n)
	if err != nil {
		return nil, fmt.Errorf("ablations: attention: %w", err)
	}
	rows := make([]plots.AttentionRow, n)
	var prep augment.Prepared
	for i, it := range items {
		prep.Prepare(it.Image, nil, s)
		row := plots.AttentionRow{Title: it.Title, Image: testViewRGB(&prep, s), Grid: cfg.Grid()}
		for _, b := range blocks {
			row.Layers = append(row.Layers, fmt.Sprintf("block %d", b))
			m := make([]float64, len(maps[b][i]))
			for j, w := range maps[b][i] {
				m[j] = float64(w)
			}
			row.Maps = append(row.Maps, m)
		}
		rows[i] = row
	}
	return rows, nil
}

// testViewCorner is the top-left corner of the S×S centre crop of a
// prepared W×H image, as augment.Test takes it.
func testViewCorner(p *augment.Prepared, s int) (top, left int) {
	return int(math.RoundToEven(float64(p.H-s) / 2)), int(math.RoundToEven(float64(p.W-s) / 2))
}

// testViewRGB is the test view's S×S centre crop of a prepared image as an
// opaque RGB image (before normalisation).
func testViewRGB(p *augment.Prepared, s int) *image.RGBA {
	top, left := testViewCorner(p, s)
	out := image.NewRGBA(image.Rect(0, 0, s, s))
	for y := range s {
		for x := range s {
			src := (top+y)*p.W + left + x
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = p.RGB[0][src], p.RGB[1][src], p.RGB[2][src], 255
		}
	}
	return out
}

// LoadModelFromCheckpoint builds a model of cfg and restores its parameters
// from the training checkpoint at path (core/checkpoint, as core/train
// writes it). Every parameter of cfg's model must be in the checkpoint with
// the same shape, and nothing else.
func LoadModelFromCheckpoint(cfg mgvit.Config, path string) (*mgvit.Model, error) {
	m, err := mgvit.New(cfg)
	if err != nil {
		return nil, err
	}
	st, err := checkpoint.Load(path)
	if err != nil {
		return nil, err
	}
	if err := st.Restore(m.Params()); err != nil {
		return nil, fmt.Errorf("ablations: %s: %w", path, err)
	}
	return m, nil
}
