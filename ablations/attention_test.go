package ablations

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/plots"
)

// tinyAttentionConfig is a small random MGViT: 32 px, 4 px patches (8×8
// grid), 3 blocks of which the last 2 mask the [CLS] query.
func tinyAttentionConfig() mgvit.Config {
	c := mgvit.DefaultConfig(2, 3)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = 32, 4, 16, 3, 2
	c.MaskLayers, c.GradFromBlock, c.ProjHidden, c.ProjOut, c.NumHeads = 2, 2, 12, 6, 2
	c.Seed = 3
	return c
}

// syntheticDefect is a w×h gradient image with a red square of side d at
// (x0,y0) and the square's mask.
func syntheticDefect(w, h, x0, y0, d int) (*image.RGBA, *image.Gray) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	mask := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(40 + 150*x/w), uint8(60 + 120*y/h), 110, 255}
			if x >= x0 && x < x0+d && y >= y0 && y < y0+d {
				c = color.RGBA{230, 30, 30, 255}
				mask.SetGray(x, y, color.Gray{255})
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img, mask
}

func newTinyModel(t *testing.T) *mgvit.Model {
	t.Helper()
	m, err := mgvit.New(tinyAttentionConfig())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAttentionRows(t *testing.T) {
	m := newTinyModel(t)
	cfg := m.Config()
	img, mask := syntheticDefect(56, 40, 20, 12, 16)
	items := []AttentionInput{
		{Title: "defect", Image: img, Mask: mask},
		{Title: "no mask", Image: img},
	}
	rows, err := AttentionRows(m, items, []int{0, 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(items) {
		t.Fatalf("%d rows for %d items", len(rows), len(items))
	}
	for i, r := range rows {
		if r.Title != items[i].Title || r.Grid != cfg.Grid() || !slices.Equal(r.Layers, []string{"block 0", "block 2"}) {
			t.Errorf("row %d: title %q grid %d layers %v", i, r.Title, r.Grid, r.Layers)
		}
		if r.Image.Bounds() != image.Rect(0, 0, cfg.ImageSize, cfg.ImageSize) {
			t.Errorf("row %d: image bounds %v", i, r.Image.Bounds())
		}
		for k, mp := range r.Maps {
			if len(mp) != cfg.Grid()*cfg.Grid() {
				t.Fatalf("row %d map %d: %d values", i, k, len(mp))
			}
		}
	}
	// The pooled mask of the test view, from augment as core/train makes it.
	s, g, p := cfg.ImageSize, cfg.Grid(), cfg.PatchSize
	views, masks := make([]float32, 3*s*s), make([]float32, s*s)
	aug, err := augment.New(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := aug.TestBatch(1, func(int) (augment.Source, error) { return augment.Source{Image: img, Mask: mask}, nil }, views, masks); err != nil {
		t.Fatal(err)
	}
	inside := 0
	for n := range g * g {
		var sum float64
		for ky := range p {
			for kx := range p {
				sum += float64(masks[(n/g*p+ky)*s+n%g*p+kx])
			}
		}
		allowed := sum/float64(p*p) >= cfg.MaskThreshold
		if allowed {
			inside++
		}
		if w := rows[0].Maps[0][n]; w <= 0 {
			t.Errorf("plain block 0: patch %d has weight %g", n, w)
		}
		if w := rows[0].Maps[1][n]; allowed != (w > 0) {
			t.Errorf("masked block 2: patch %d allowed=%v has weight %g", n, allowed, w)
		}
		if w := rows[1].Maps[1][n]; w != 0 {
			t.Errorf("masked block 2 without mask: patch %d has weight %g, want 0", n, w)
		}
	}
	if inside == 0 || inside == g*g {
		t.Fatalf("%d of %d patches inside the mask; the test checks nothing", inside, g*g)
	}
	// The row image is the test view: its colours map one-to-one and in
	// order onto the normalised values the model saw.
	for c := range 3 {
		seen := map[uint8]float32{}
		for y := range s {
			for x := range s {
				u := rows[0].Image.Pix[rows[0].Image.PixOffset(x, y)+c]
				v := views[c*s*s+y*s+x]
				if old, ok := seen[u]; ok && old != v {
					t.Fatalf("channel %d: colour %d shown where the model saw both %g and %g", c, u, old, v)
				}
				seen[u] = v
			}
		}
		keys := slices.Sorted(func(yield func(uint8) bool) {
			for k := range seen {
				if !yield(k) {
					return
				}
			}
		})
		for j := 1; j < len(keys); j++ {
			if seen[keys[j]] <= seen[keys[j-1]] {
				t.Fatalf("channel %d: colours %d < %d but normalised %g >= %g", c, keys[j-1], keys[j], seen[keys[j-1]], seen[keys[j]])
			}
		}
	}

	out := filepath.Join(t.TempDir(), "attention")
	if err := plots.AttentionFigure(out, rows); err != nil {
		t.Fatal(err)
	}
	png, svg := plots.Paths(out)
	for _, f := range []string{png, svg} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestTestViewCornerMatchesAugment(t *testing.T) {
	for _, tc := range []struct{ w, h, s int }{{56, 40, 32}, {40, 56, 32}, {37, 91, 16}, {300, 300, 224}} {
		img, mask := syntheticDefect(tc.w, tc.h, tc.w/3, tc.h/4, min(tc.w, tc.h)/2)
		var prep augment.Prepared
		prep.Prepare(img, mask, tc.s)
		top, left := testViewCorner(&prep, tc.s)
		views, masks := make([]float32, 3*tc.s*tc.s), make([]float32, tc.s*tc.s)
		var sc augment.Scratch
		augment.Test(&prep, tc.s, views, masks, &sc)
		for y := range tc.s {
			for x := range tc.s {
				if got, want := prep.Mask[(top+y)*prep.W+left+x], masks[y*tc.s+x]; got != want {
					t.Fatalf("%dx%d at S=%d: corner (%d,%d) gives mask %g at (%d,%d), augment.Test %g", tc.w, tc.h, tc.s, top, left, got, x, y, want)
				}
			}
		}
	}
}

func TestAttentionRowsIsDeterministic(t *testing.T) {
	img, mask := syntheticDefect(48, 64, 10, 30, 14)
	items := []AttentionInput{{Title: "a", Image: img, Mask: mask}, {Title: "b", Image: img}}
	var want string
	for _, procs := range []int{1, 2, 4} {
		prev := runtime.GOMAXPROCS(procs)
		rows, err := AttentionRows(newTinyModel(t), items, nil)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows[0].Maps) != tinyAttentionConfig().Depth {
			t.Fatalf("empty blocks gave %d maps, want every block", len(rows[0].Maps))
		}
		got := fmt.Sprint(rows[0].Maps, rows[1].Maps, rows[0].Image.Pix)
		if want == "" {
			want = got
		} else if got != want {
			t.Errorf("GOMAXPROCS=%d: rows differ", procs)
		}
	}
}

func TestAttentionRowsRejectsBadInput(t *testing.T) {
	m := newTinyModel(t)
	img, mask := syntheticDefect(40, 40, 5, 5, 10)
	small := image.NewGray(image.Rect(0, 0, 10, 10))
	for _, tc := range []struct {
		name   string
		items  []AttentionInput
		blocks []int
		want   string
	}{
		{"no items", nil, nil, "no items"},
		{"block too large", []AttentionInput{{Title: "x", Image: img, Mask: mask}}, []int{3}, "block 3"},
		{"negative block", []AttentionInput{{Title: "x", Image: img}}, []int{-1}, "block -1"},
		{"nil image", []AttentionInput{{Title: "x"}}, nil, `("x") has no image`},
		{"mask size", []AttentionInput{{Title: "x", Image: img, Mask: small}}, nil, "differ in size"},
	} {
		_, err := AttentionRows(m, tc.items, tc.blocks)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadModelFromCheckpoint(t *testing.T) {
	cfg := tinyAttentionConfig()
	src := newTinyModel(t)
	path := filepath.Join(t.TempDir(), "checkpoint.safetensors")
	if err := checkpoint.Save(path, checkpoint.Capture(3, 10, 1, "hash", src.Params(), nil)); err != nil {
		t.Fatal(err)
	}
	other := cfg
	other.Seed = 99 // different initialisation, overwritten by the checkpoint
	m, err := LoadModelFromCheckpoint(other, path)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range m.Params() {
		if !slices.Equal(p.Value, src.Params()[i].Value) {
			t.Fatalf("parameter %s differs from the checkpoint", p.Name)
		}
	}
	wide := cfg
	wide.Dim, wide.Heads = 24, 3
	for _, tc := range []struct {
		name string
		cfg  mgvit.Config
		path string
	}{
		{"other width", wide, path},
		{"missing file", cfg, filepath.Join(t.TempDir(), "none.safetensors")},
	} {
		if _, err := LoadModelFromCheckpoint(tc.cfg, tc.path); err == nil || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: error %v, want one naming %s", tc.name, err, tc.path)
		}
	}
}

func ExampleAttentionRows() {
	c := mgvit.DefaultConfig(2, 3)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = 32, 4, 16, 3, 2
	c.MaskLayers, c.GradFromBlock, c.ProjHidden, c.ProjOut = 2, 2, 12, 6
	m, _ := mgvit.New(c)
	img, mask := syntheticDefect(64, 48, 24, 16, 16)
	rows, err := AttentionRows(m, []AttentionInput{{Title: "crop", Image: img, Mask: mask}}, []int{0, 2})
	fmt.Println(err, rows[0].Layers, rows[0].Grid, len(rows[0].Maps[1]), rows[0].Image.Bounds().Dx())
	// Output: <nil> [block 0 block 2] 8 64 32
}
