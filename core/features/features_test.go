package features

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"testing"
)

func uniform(w, h int, r, g, b uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = r, g, b, 255
	}
	return img
}

func TestConstantImageGivesColourOnly(t *testing.T) {
	ex, err := NewExtractor(Params{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := ex.Extract(uniform(30, 20, 255, 51, 0))
	if err != nil {
		t.Fatal(err)
	}
	// 30x20 at stride 4: 8x5 cells (partial cells at the edges).
	if g.W != 8 || g.H != 5 || g.D != 27 || len(g.Data) != 8*5*27 {
		t.Fatalf("grid %dx%dx%d len %d", g.W, g.H, g.D, len(g.Data))
	}
	want := []float32{1, 0.2, 0, 0, 0, 0, 0, 0, 0}
	for c := 0; c < g.Len(); c++ {
		v := g.Vec(c)
		for k, x := range v {
			if math.Abs(float64(x-want[k%ResponsesPerScale])) > 1e-5 {
				t.Fatalf("cell %d dim %d = %v, want %v", c, k, x, want[k%ResponsesPerScale])
			}
		}
	}
}

func TestEdgeRespondsWithGradientAndOrientation(t *testing.T) {
	img := uniform(32, 32, 0, 0, 0)
	for y := 0; y < 32; y++ {
		for x := 16; x < 32; x++ {
			i := y*img.Stride + 4*x
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 255, 255, 255
		}
	}
	ex, _ := NewExtractor(Params{Stride: 8, Sigmas: []float64{1}})
	g, _ := ex.Extract(img)
	atEdge, far := g.Vec(1*g.W+1), g.Vec(1*g.W+0) // cell x=1 covers pixels 8..15, next to the edge
	if !(atEdge[3] > 0.01 && far[3] < 1e-6) {
		t.Errorf("gradient magnitude at edge %v, far %v", atEdge[3], far[3])
	}
	// A vertical edge has a horizontal gradient: cos 2θ > 0, sin 2θ = 0.
	if !(atEdge[4] > 0 && math.Abs(float64(atEdge[5])) < 1e-6) {
		t.Errorf("orientation at edge cos %v sin %v", atEdge[4], atEdge[5])
	}
}

func TestLargeImagesAreShrunk(t *testing.T) {
	cases := []struct{ w, h, maxSide, ww, wh int }{
		{512, 256, 0, 256, 128},
		{100, 80, 0, 100, 80},
		{1000, 10, 256, 256, 3},
		{600, 600, -1, 600, 600},
	}
	for _, c := range cases {
		if ww, wh := (Params{MaxSide: c.maxSide}).WorkSize(c.w, c.h); ww != c.ww || wh != c.wh {
			t.Errorf("%dx%d max %d: %dx%d want %dx%d", c.w, c.h, c.maxSide, ww, wh, c.ww, c.wh)
		}
	}
	ex, _ := NewExtractor(Params{Stride: 8})
	g, err := ex.Extract(uniform(512, 300, 9, 9, 9))
	if err != nil || g.WorkW != 256 || g.WorkH != 150 || g.W != 32 || g.H != 19 {
		t.Fatalf("grid %+v, %v", g, err)
	}
}

// TestCellsSizeTheGridToTheImage: with Cells the cell is ceil(L/Cells) px
// of the longer working side L, so 128-px and 1024-px images (shrunk to
// 256) get the same grid density, and the grid equals that of the fixed
// stride it resolves to.
func TestCellsSizeTheGridToTheImage(t *testing.T) {
	cases := []struct {
		w, h, cells, stride, gw, gh int
	}{
		{128, 128, 32, 4, 32, 32},
		{1024, 1024, 32, 8, 32, 32}, // shrunk to 256 first
		{64, 64, 32, 2, 32, 32},
		{100, 60, 32, 4, 25, 15}, // ceil(100/32) = 4
		{20, 10, 32, 1, 20, 10},  // never below 1 px
		{128, 128, 0, 8, 16, 16}, // 0: Stride
	}
	for _, c := range cases {
		p := Params{Stride: 8, Cells: c.cells}
		ww, wh := p.WorkSize(c.w, c.h)
		if s := p.StrideFor(ww, wh); s != c.stride {
			t.Errorf("%dx%d cells %d: stride %d, want %d", c.w, c.h, c.cells, s, c.stride)
		}
		img := uniform(c.w, c.h, 0, 0, 0)
		for i := range img.Pix {
			img.Pix[i] = uint8(i * 7919 % 251)
		}
		ex, err := NewExtractor(p)
		if err != nil {
			t.Fatal(err)
		}
		g, err := ex.Extract(img)
		if err != nil || g.W != c.gw || g.H != c.gh || g.Stride != c.stride {
			t.Fatalf("%dx%d cells %d: grid %dx%d stride %d (%v), want %dx%d stride %d", c.w, c.h, c.cells, g.W, g.H, g.Stride, err, c.gw, c.gh, c.stride)
		}
		fixed, _ := NewExtractor(Params{Stride: c.stride})
		want, _ := fixed.Extract(img)
		if !slices.Equal(g.Data, want.Data) {
			t.Errorf("%dx%d cells %d: features differ from stride %d", c.w, c.h, c.cells, c.stride)
		}
	}
}

func TestExtractorReuseIsDeterministic(t *testing.T) {
	img := uniform(40, 40, 10, 20, 30)
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7919 % 251)
	}
	ex, _ := NewExtractor(Params{})
	a, _ := ex.Extract(img)
	_, _ = ex.Extract(uniform(64, 16, 1, 2, 3)) // different size in between
	b, _ := ex.Extract(img)
	if !slices.Equal(a.Data, b.Data) {
		t.Fatal("same image gave different features after buffer reuse")
	}
}

func TestAggregateAndStandardize(t *testing.T) {
	g := &Grid{W: 3, H: 1, D: 1, Data: []float32{0, 3, 6}}
	got := g.Aggregate(3).Data
	if want := []float32{1.5, 3, 4.5}; !slices.Equal(got, want) {
		t.Errorf("aggregate %v want %v", got, want)
	}
	s, err := FitStandardizer([]*Grid{g})
	if err != nil {
		t.Fatal(err)
	}
	c := &Grid{W: 3, H: 1, D: 1, Data: slices.Clone(g.Data)}
	s.Apply(c)
	sd := float32(math.Sqrt(6))
	if want := []float32{-3 / sd, 0, 3 / sd}; math.Abs(float64(c.Data[0]-want[0])) > 1e-6 || c.Data[1] != 0 {
		t.Errorf("standardised %v want %v", c.Data, want)
	}
}

func TestResizeBilinear(t *testing.T) {
	src := Plane{W: 2, H: 1, Pix: []float32{0, 1}}
	up, err := ResizeBilinear(src, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{0, 0.25, 0.75, 1}; !slices.Equal(up.Pix, want) {
		t.Errorf("upsampled %v want %v", up.Pix, want)
	}
	if _, err := ResizeBilinear(src, 0, 1); err == nil {
		t.Error("zero size accepted")
	}
}

func TestParamsValidate(t *testing.T) {
	bad := []Params{{Stride: -1}, {Sigmas: []float64{}}, {Sigmas: []float64{0}}, {Stride: 8, MaxSide: 4}, {Cells: -1}}
	for _, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

func BenchmarkExtract128(b *testing.B) {
	img := uniform(128, 128, 0, 0, 0)
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7919 % 251)
	}
	ex, _ := NewExtractor(Params{})
	for range b.N {
		ex.Extract(img)
	}
}

func ExampleExtractor_Extract() {
	ex, _ := NewExtractor(Params{Stride: 8})
	g, _ := ex.Extract(image.NewRGBA(image.Rect(0, 0, 64, 48)))
	fmt.Println(g.W, g.H, g.D)
	// Output: 8 6 27
}

// TestExtractRGBMatchesExtract: the float-plane entry gives exactly the
// grid of Extract on the same 8-bit values.
func TestExtractRGBMatchesExtract(t *testing.T) {
	const w, h = 21, 13
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var r, g, b []float32
	for y := range h {
		for x := range w {
			c := [3]uint8{uint8(x * 11), uint8(y * 17), uint8((x * y) % 256)}
			img.Set(x, y, color.RGBA{c[0], c[1], c[2], 255})
			r, g, b = append(r, float32(c[0])/255), append(g, float32(c[1])/255), append(b, float32(c[2])/255)
		}
	}
	e, err := NewExtractor(Params{Stride: 4})
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Extract(img)
	if err != nil {
		t.Fatal(err)
	}
	want = &Grid{W: want.W, H: want.H, D: want.D, Stride: want.Stride, WorkW: want.WorkW, WorkH: want.WorkH, Data: append([]float32(nil), want.Data...)}
	got, err := e.ExtractRGB(r, g, b, w, h)
	if err != nil {
		t.Fatal(err)
	}
	if got.W != want.W || got.H != want.H || !slices.Equal(got.Data, want.Data) {
		t.Errorf("ExtractRGB grid %dx%d differs from Extract's %dx%d", got.W, got.H, want.W, want.H)
	}
	if _, err := e.ExtractRGB(r, g, b[:3], w, h); err == nil {
		t.Error("short plane accepted")
	}
}
