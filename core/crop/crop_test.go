package crop

import (
	"fmt"
	"image"
	"math"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/core/mebin"
)

func fill(m *image.Gray, x0, y0, x1, y1 int) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			m.Pix[y*m.Stride+x] = 255
		}
	}
}

func clear(m *image.Gray, x0, y0, x1, y1 int) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			m.Pix[y*m.Stride+x] = 0
		}
	}
}

func TestOuterRects(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		build func(m *image.Gray)
		want  []Rect
	}{
		{"empty", 20, 10, func(m *image.Gray) {}, nil},
		{"sorted by area then x", 40, 20, func(m *image.Gray) {
			fill(m, 20, 2, 24, 6) // 4x4
			fill(m, 2, 2, 4, 4)   // 2x2
			fill(m, 10, 10, 12, 12)
		}, []Rect{{2, 2, 2, 2}, {10, 10, 2, 2}, {20, 2, 4, 4}}},
		{"diagonal pixels are one 8-connected region", 10, 10, func(m *image.Gray) {
			fill(m, 2, 2, 3, 3)
			fill(m, 3, 3, 4, 4)
		}, []Rect{{2, 2, 2, 2}}},
		{"region inside a hole is ignored", 30, 30, func(m *image.Gray) {
			fill(m, 5, 5, 25, 25)
			clear(m, 8, 8, 22, 22)
			fill(m, 12, 12, 15, 15)
		}, []Rect{{5, 5, 20, 20}}},
		{"region inside an open ring is outer", 30, 30, func(m *image.Gray) {
			fill(m, 5, 5, 25, 25)
			clear(m, 8, 8, 22, 22)
			clear(m, 14, 22, 16, 25) // gap in the bottom side
			fill(m, 12, 12, 15, 15)
		}, []Rect{{12, 12, 3, 3}, {5, 5, 20, 20}}},
		{"ring closed through the image border", 20, 20, func(m *image.Gray) {
			fill(m, 0, 0, 10, 10)
			clear(m, 0, 2, 8, 8) // hole open to the left border
			fill(m, 3, 4, 5, 6)
		}, []Rect{{3, 4, 2, 2}, {0, 0, 10, 10}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := image.NewGray(image.Rect(0, 0, tc.w, tc.h))
			tc.build(m)
			if got := OuterRects(m); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSquareBox(t *testing.T) {
	tests := []struct {
		name string
		r    Rect
		w, h int
		want Box
	}{
		{"minimum radius 10% of 256", Rect{100, 100, 4, 4}, 256, 256, Box{77, 77, 127, 127}},
		{"padding 10% of a large region", Rect{50, 60, 100, 80}, 256, 256, Box{45, 45, 155, 155}},
		{"shift right at the left border", Rect{0, 100, 4, 4}, 256, 256, Box{0, 77, 50, 127}},
		{"shift left at the right border", Rect{250, 100, 6, 6}, 256, 256, Box{206, 78, 256, 128}},
		{"shift down at the top border", Rect{100, 0, 2, 2}, 256, 256, Box{76, 0, 126, 50}},
		{"radius capped at half the long side", Rect{0, 0, 256, 256}, 256, 256, Box{0, 0, 256, 256}},
		{"non-square: box extends past H", Rect{10, 0, 30, 100}, 300, 100, Box{0, 0, 110, 110}},
		{"non-square: long side drives the minimum", Rect{150, 40, 5, 5}, 300, 100, Box{122, 12, 182, 72}},
		{"radius int(60*1.1*0.5) = 33", Rect{100, 100, 60, 60}, 256, 256, Box{97, 97, 163, 163}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SquareBox(tc.r, tc.w, tc.h); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDistance(t *testing.T) {
	a := Box{0, 0, 50, 50}
	tests := []struct {
		name string
		b    Box
		want float64
	}{
		{"overlap", Box{40, 40, 90, 90}, -1},
		{"touching edge", Box{50, 10, 100, 60}, 0},
		{"touching corner", Box{50, 50, 100, 100}, 0},
		{"gap 1 on x", Box{51, 0, 101, 50}, 1},
		{"gap 2 on y", Box{0, 52, 50, 102}, 2},
		{"corner gap 3-4-5", Box{53, 54, 103, 104}, 5},
	}
	for _, tc := range tests {
		if got := Distance(a, tc.b); got != tc.want {
			t.Errorf("%s: Distance = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMerge(t *testing.T) {
	sq := func(x, y float64) Box { return Box{x, y, x + 50, y + 50} }
	tests := []struct {
		name  string
		boxes []Box
		want  []Box
	}{
		{"gap 0 merges", []Box{sq(0, 0), sq(50, 0)}, []Box{{0, -25, 100, 75}}},
		{"gap 1 merges", []Box{sq(0, 0), sq(51, 0)}, []Box{{0, -25.5, 101, 75.5}}},
		{"gap 2 does not merge", []Box{sq(0, 0), sq(52, 0)}, []Box{sq(0, 0), sq(52, 0)}},
		{"chain A-B-C-D gives ABC and BCD", []Box{sq(0, 0), sq(51, 0), sq(102, 0), sq(153, 0)},
			[]Box{{0, -51, 152, 101}, {51, -51, 203, 101}}},
		{"identical boxes collapse", []Box{sq(10, 10), sq(10, 10)}, []Box{sq(10, 10)}},
		{"sorted by area descending", []Box{sq(0, 0), {100, 100, 200, 200}}, []Box{{100, 100, 200, 200}, sq(0, 0)}},
		{"diagonal corner gap 1.41 merges", []Box{sq(0, 0), sq(51, 51)}, []Box{{0, 0, 101, 101}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Merge(tc.boxes, 256, 256); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if got := MergeDistance(256, 256); got != 2 {
		t.Errorf("MergeDistance(256,256) = %v, want 2", got)
	}
	if got := MergeDistance(99, 20); got != 0 {
		t.Errorf("MergeDistance(99,20) = %v, want 0", got)
	}
}

func TestBoxes(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		est   int
		build func(m *image.Gray)
		want  []Box
	}{
		{"empty mask gives the full image", 200, 100, 0, func(m *image.Gray) {}, []Box{{0, 0, 200, 100}}},
		{"est+1 boxes kept, smallest regions win ties", 256, 256, 1, func(m *image.Gray) {
			fill(m, 10, 10, 13, 13)     // 3x3
			fill(m, 100, 100, 102, 102) // 2x2
			fill(m, 200, 200, 204, 204) // 4x4
		}, []Box{{76, 76, 126, 126}, {0, 0, 50, 50}}},
		{"est 0 with regions keeps one box", 256, 256, 0, func(m *image.Gray) {
			fill(m, 10, 10, 13, 13)
			fill(m, 200, 200, 204, 204)
		}, []Box{{0, 0, 50, 50}}},
		{"region in an open ring: identical boxes collapse", 256, 256, 5, func(m *image.Gray) {
			fill(m, 97, 97, 104, 104)
			clear(m, 98, 98, 103, 103)
			clear(m, 100, 103, 101, 104) // open the ring
			fill(m, 100, 100, 101, 101)
		}, []Box{{75, 75, 125, 125}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := image.NewGray(image.Rect(0, 0, tc.w, tc.h))
			tc.build(m)
			if got := Boxes(m, tc.est, tc.w, tc.h); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestNestedRegions: MEBin counts the ring and the block inside its hole
// (est 2) but the cropper sees one outer contour (1 box).
func TestNestedRegions(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			in := func(a, b int) bool { return x >= a && x < b && y >= a && y < b }
			if in(8, 56) && !in(18, 46) || in(28, 36) {
				m.Pix[y*64+x] = 200
			}
		}
	}
	normal := image.NewGray(image.Rect(0, 0, 64, 64))
	normal.Pix[0] = 50
	_, res, err := mebin.Binarize([]*image.Gray{m, normal}, mebin.Params{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].EstAnomalyNum != 2 {
		t.Fatalf("est = %d, want 2 (counts %v)", res[0].EstAnomalyNum, res[0].Counts)
	}
	if got := Boxes(res[0].Mask, res[0].EstAnomalyNum, 64, 64); len(got) != 1 {
		t.Fatalf("boxes %v, want 1", got)
	}
}

func TestRoundHalfEven(t *testing.T) {
	got := Box{-24.5, 0.5, 1.5, 2.5}.Round()
	if want := (PixelBox{-24, 0, 2, 2}); got != want {
		t.Fatalf("Round = %v, want %v", got, want)
	}
}

func TestCuts(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for i := range img.Pix {
		img.Pix[i] = 100
	}
	mask := image.NewGray(image.Rect(0, 0, 4, 3))
	mask.Pix[0], mask.Pix[5] = 255, 255
	b := Box{-1.5, -0.5, 2.5, 2} // rounds to [-2, -0, 2, 2]
	c := CutRGB(img, b)
	if c.Rect.Dx() != 4 || c.Rect.Dy() != 2 {
		t.Fatalf("crop size %v", c.Rect)
	}
	if px := c.RGBAAt(0, 0); px.R != 0 || px.A != 255 {
		t.Errorf("padding pixel %v, want opaque black", px)
	}
	if px := c.RGBAAt(2, 0); px.R != 100 {
		t.Errorf("image pixel %v, want 100", px)
	}
	mc, n := CutMask(mask, b)
	if n != 2 || mc.GrayAt(2, 0).Y != 255 || mc.GrayAt(3, 1).Y != 255 {
		t.Errorf("mask crop count %d pixels %v", n, mc.Pix)
	}
}

func TestScoreAndWeight(t *testing.T) {
	norm := []float32{0, 10, 20, 255, 100, 5} // 3 x 2
	nan := []float32{float32(math.NaN()), 0, 0, 0, 0, 0}
	tests := []struct {
		name string
		norm []float32
		b    Box
		want float64
	}{
		{"max inside", norm, Box{0, 0, 3, 1}, float64(float32(20)) / 255},
		{"whole map", norm, Box{0, 0, 3, 2}, 1},
		{"1.5 rounds to 2: column 1 excluded", norm, Box{1.5, 1, 3, 2}, float64(float32(5)) / 255},
		{"padding only adds zeros", norm, Box{-5, -5, 1, 1}, 0},
		{"NaN propagates", nan, Box{0, 0, 2, 2}, math.NaN()},
	}
	for _, tc := range tests {
		got := Score(tc.norm, 3, 2, tc.b)
		if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: Score = %v, want %v", tc.name, got, tc.want)
		}
	}
	weights := []struct{ score, thred, want float64 }{
		{0.2, 0.5, 0.3}, {0.5, 0.5, 0}, {0.9, 0.5, 0}, {math.NaN(), 0.5, 0}, {0.1, -1, 0}, {0, 0.5, 0.5},
	}
	for _, tc := range weights {
		if got := Weight(tc.score, tc.thred); got != tc.want {
			t.Errorf("Weight(%v, %v) = %v, want %v", tc.score, tc.thred, got, tc.want)
		}
	}
}

func ExampleBoxes() {
	mask := image.NewGray(image.Rect(0, 0, 256, 256))
	fill(mask, 100, 100, 120, 110) // one 20x10 region
	for _, b := range Boxes(mask, 1, 256, 256) {
		fmt.Println(b.Array())
	}
	// Output:
	// [85 80 135 130]
}
