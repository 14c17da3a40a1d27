package plots

import (
	"encoding/base64"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPaths(t *testing.T) {
	cases := []struct{ out, png, svg string }{
		{"figs/fig3", "figs/fig3.png", "figs/fig3.svg"},
		{"figs/fig3.png", "figs/fig3.png", "figs/fig3.svg"},
		{"figs/fig3.SVG", "figs/fig3.png", "figs/fig3.svg"},
		{"figs/run.v1", "figs/run.v1.png", "figs/run.v1.svg"},
	}
	for _, tc := range cases {
		if p, s := Paths(tc.out); p != tc.png || s != tc.svg {
			t.Errorf("Paths(%q) = %q, %q; want %q, %q", tc.out, p, s, tc.png, tc.svg)
		}
	}
}

// TestEdgeCases draws unusual but valid inputs and checks both files exist,
// the PNG has the documented pixel size, the SVG is a whole document, and no
// temporary file is left behind.
func TestEdgeCases(t *testing.T) {
	wide := texturedImage(700, 300, 100, 100)
	cases := []struct {
		name          string
		draw          func(out string) error
		width, height int // PNG pixels
	}{
		{"mebin no interval, one threshold", func(out string) error {
			m := blobMap(20, 20, nil, 1)
			return MEBinFigure(out, []MEBinData{{Title: "flat", Thresholds: []int{255}, Counts: []int{0},
				IntervalStart: -1, IntervalEnd: -1, Map: m, Mask: thresholdMask(m, 255)}})
		}, 1200, 288},
		{"mebin ascending thresholds, one-step interval", func(out string) error {
			m := blobMap(30, 20, [][2]float64{{10, 10}}, 4)
			return MEBinFigure(out, []MEBinData{{Thresholds: []int{3, 7, 11, 15}, Counts: []int{5, 1, 1, 0},
				IntervalStart: 2, IntervalEnd: 2, Map: m, Mask: thresholdMask(m, 100)}})
		}, 1200, 288},
		{"threshold single point, no MEBin", func(out string) error {
			return ThresholdFigure(out, ThresholdData{Metric: "F1", Series: []ThresholdSeries{
				{Detector: "gt", Theta: []float64{0.5}, Value: []float64{0.7}, MEBin: math.NaN()}}})
		}, 720, 432},
		{"tsne empty class and single point", func(out string) error {
			return TSNEFigure(out, []TSNEPanel{{Title: "one", Points: [][2]float64{{1, 2}}, Labels: []int{1},
				Classes: []string{"missing", "present"}}})
		}, 480, 403},
		{"training gaps and all-NaN series", func(out string) error {
			nan := math.NaN()
			return TrainingCurves(out, TrainingData{Epochs: []float64{0, 1, 2, 3, 4},
				Series: []NamedSeries{
					{Name: "isolated", Values: []float64{1, nan, 0.8, nan, 0.5}},
					{Name: "never logged", Values: []float64{nan, nan, nan, nan, nan}},
				}})
		}, 768, 432},
		{"training single epoch", func(out string) error {
			return TrainingCurves(out, TrainingData{Epochs: []float64{3}, Series: []NamedSeries{{Name: "total", Values: []float64{2}}}})
		}, 768, 432},
		{"attention wide image, grid 1, constant map", func(out string) error {
			return AttentionFigure(out, []AttentionRow{{Title: "wide", Image: wide, Layers: []string{"last"},
				Maps: [][]float64{{0.3}}, Grid: 1}})
		}, 422, 230},
		{"multilabel no boxes, many classes", func(out string) error {
			classes := strings.Fields("a b c d e f g h i j k l")
			probs := make([]float64, len(classes))
			probs[3] = 1
			return MultiLabelFigure(out, []MultiLabelItem{{Title: "full image", Image: wide, Classes: classes,
				ImageProbs: probs, Threshold: 1}})
		}, 574, 250},
		{"multilabel box past the border", func(out string) error {
			it := multiLabelItems()[0]
			it.Boxes[1] = [4]float64{90, 60, 150, 120}
			return MultiLabelFigure(out, []MultiLabelItem{it})
		}, 1073, 250},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tc.draw(filepath.Join(dir, "fig.png")); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if strings.Join(names, ",") != "fig.png,fig.svg" {
				t.Fatalf("folder holds %v, want fig.png and fig.svg only", names)
			}
			f, err := os.Open(filepath.Join(dir, "fig.png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cfg, err := png.DecodeConfig(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := image.Pt(cfg.Width, cfg.Height); got != image.Pt(tc.width, tc.height) {
				t.Errorf("PNG is %v pixels, want %dx%d", got, tc.width, tc.height)
			}
			svg, err := os.ReadFile(filepath.Join(dir, "fig.svg"))
			if err != nil {
				t.Fatal(err)
			}
			if s := string(svg); !strings.HasPrefix(s, "<?xml") || !strings.HasSuffix(s, "</svg>\n") {
				t.Errorf("SVG is not a complete document (%d bytes)", len(svg))
			}
		})
	}
}

// TestSVGEmbedsPNG checks that raster panels are embedded in the SVG as
// correctly labelled, decodable PNG data URLs, and that the font is embedded
// with a fallback list.
func TestSVGEmbedsPNG(t *testing.T) {
	out := filepath.Join(t.TempDir(), "attention")
	if err := AttentionFigure(out, attentionRows()[1:]); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(out + ".svg")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "data:image/png;base64,"
	s := string(svg)
	if strings.Contains(s, "image/jpg") || strings.Count(s, prefix) != 3 {
		t.Fatalf("want 3 PNG data URLs and no image/jpg label; got %d", strings.Count(s, prefix))
	}
	if !strings.Contains(s, "@font-face") || !strings.Contains(s, "font-family:'Liberation Serif','Times New Roman',Times,serif;") {
		t.Error("SVG lacks the embedded font or the metric-compatible fallback")
	}
	data := s[strings.Index(s, prefix)+len(prefix):]
	data = data[:strings.IndexByte(data, '"')]
	img, err := png.Decode(base64.NewDecoder(base64.StdEncoding, strings.NewReader(data)))
	if err != nil {
		t.Fatalf("embedded image does not decode as PNG: %v", err)
	}
	if img.Bounds().Dx() != 64 {
		t.Errorf("embedded image is %v, want the 64 px crop", img.Bounds())
	}
}
