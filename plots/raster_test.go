package plots

import (
	"image"
	"image/color"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestJet(t *testing.T) {
	cases := []struct {
		v    float64
		want color.RGBA
	}{
		{0, color.RGBA{0, 0, 128, 255}},
		{math.NaN(), color.RGBA{0, 0, 128, 255}},
		{-3, color.RGBA{0, 0, 128, 255}},
		{0.25, color.RGBA{0, 128, 255, 255}},
		{0.5, color.RGBA{128, 255, 128, 255}},
		{0.75, color.RGBA{255, 128, 0, 255}},
		{1, color.RGBA{128, 0, 0, 255}},
		{7, color.RGBA{128, 0, 0, 255}},
	}
	for _, tc := range cases {
		if got := jet(tc.v); got != tc.want {
			t.Errorf("jet(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestUpsampleBilinear(t *testing.T) {
	cases := []struct {
		name       string
		m          []float64
		grid, w, h int
		want       []float64
	}{
		{"identity", []float64{1, 2, 3, 4}, 2, 2, 2, []float64{1, 2, 3, 4}},
		{"2x2 to 4x4", []float64{0, 1, 2, 3}, 2, 4, 4, []float64{
			0, 0.25, 0.75, 1,
			0.5, 0.75, 1.25, 1.5,
			1.5, 1.75, 2.25, 2.5,
			2, 2.25, 2.75, 3,
		}},
		{"one cell", []float64{5}, 1, 3, 2, []float64{5, 5, 5, 5, 5, 5}},
		{"non-square output", []float64{0, 1, 0, 1}, 2, 4, 1, []float64{0, 0.25, 0.75, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := upsampleBilinear(tc.m, tc.grid, tc.w, tc.h)
			if !slices.EqualFunc(got, tc.want, func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNormalizeRange(t *testing.T) {
	cases := []struct{ in, want []float64 }{
		{[]float64{2, 4, 6}, []float64{0, 0.5, 1}},
		{[]float64{-1, -3}, []float64{1, 0}},
		{[]float64{3, 3, 3}, []float64{0, 0, 0}},
	}
	for _, tc := range cases {
		if got := normalizeRange(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("normalizeRange(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestOverlayHeat(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	img.SetRGBA(0, 0, color.RGBA{200, 100, 50, 255})
	img.SetRGBA(1, 0, color.RGBA{10, 20, 30, 255})
	heat := []float64{0, 1}
	cases := []struct {
		alpha float64
		want  [2]color.RGBA
	}{
		{0, [2]color.RGBA{{200, 100, 50, 255}, {10, 20, 30, 255}}},
		{1, [2]color.RGBA{jet(0), jet(1)}},
		{0.5, [2]color.RGBA{{100, 50, 89, 255}, {69, 10, 15, 255}}},
	}
	for _, tc := range cases {
		out := overlayHeat(img, heat, tc.alpha)
		for x := range 2 {
			if got := out.RGBAAt(x, 0); got != tc.want[x] {
				t.Errorf("alpha %v pixel %d: got %v, want %v", tc.alpha, x, got, tc.want[x])
			}
		}
	}
}

func TestToRGBA(t *testing.T) {
	cases := []struct {
		name      string
		bounds    image.Rectangle
		wantSize  image.Point
		wantScale float64
	}{
		{"small kept", image.Rect(0, 0, 40, 30), image.Pt(40, 30), 1},
		{"offset bounds", image.Rect(5, 7, 25, 17), image.Pt(20, 10), 1},
		{"wide scaled", image.Rect(0, 0, 1024, 300), image.Pt(512, 150), 0.5},
		{"tall scaled", image.Rect(0, 0, 100, 2048), image.Pt(25, 512), 0.25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := image.NewGray(tc.bounds)
			src.SetGray(tc.bounds.Min.X, tc.bounds.Min.Y, color.Gray{Y: 200})
			got, scale := toRGBA(src)
			if got.Bounds() != (image.Rectangle{Max: tc.wantSize}) || scale != tc.wantScale {
				t.Fatalf("got bounds %v scale %v, want size %v scale %v", got.Bounds(), scale, tc.wantSize, tc.wantScale)
			}
			if tc.wantScale == 1 && got.RGBAAt(0, 0) != (color.RGBA{200, 200, 200, 255}) {
				t.Errorf("top-left pixel %v, want gray 200", got.RGBAAt(0, 0))
			}
		})
	}
}

func TestGridCells(t *testing.T) {
	dc := draw.New(vgimg.New(10*vg.Inch, 4*vg.Inch))
	g := grid{rows: 2, weights: []float64{2, 1, 1}, gap: vg.Points(6)}
	var prevRight vg.Length
	for col := range 3 {
		c := g.cell(dc, 0, col)
		if c.Min.X < dc.Min.X || c.Max.X > dc.Max.X || c.Min.X < prevRight {
			t.Errorf("cell (0,%d) %v overlaps or leaves %v", col, c.Rectangle, dc.Rectangle)
		}
		prevRight = c.Max.X
	}
	wide, narrow := g.cell(dc, 0, 0), g.cell(dc, 0, 1)
	if r := float64((wide.Max.X - wide.Min.X) / (narrow.Max.X - narrow.Min.X)); math.Abs(r-2) > 1e-9 {
		t.Errorf("width ratio %v, want 2", r)
	}
	top, bottom := g.cell(dc, 0, 0), g.cell(dc, 1, 0)
	if top.Min.Y <= bottom.Max.Y || bottom.Min.Y < dc.Min.Y || top.Max.Y > dc.Max.Y {
		t.Errorf("rows overlap or leave canvas: top %v bottom %v", top.Rectangle, bottom.Rectangle)
	}
}

func TestLog1pTicks(t *testing.T) {
	ticks := log1pTicks{}.Ticks(0, math.Log1p(400))
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	want := []string{"0", "1", "3", "10", "30", "100", "300"}
	if !slices.Equal(labels, want) {
		t.Errorf("labels %v, want %v", labels, want)
	}
	if ticks[2].Value != math.Log1p(3) {
		t.Errorf("tick 3 at %v, want log1p(3)", ticks[2].Value)
	}
}
