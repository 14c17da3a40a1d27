package plots

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// Deterministic synthetic inputs shared by the tests and examples.

func sweepThresholds() []int {
	ts := make([]int, 0, 64)
	for t := 255; t > 0; t -= 4 {
		ts = append(ts, t)
	}
	return ts
}

// blobMap returns a w×h anomaly map with Gaussian blobs at the given centres.
func blobMap(w, h int, centres [][2]float64, sigma float64) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 0.0
			for _, c := range centres {
				dx, dy := float64(x)-c[0], float64(y)-c[1]
				v = math.Max(v, math.Exp(-(dx*dx+dy*dy)/(2*sigma*sigma)))
			}
			m.SetGray(x, y, color.Gray{Y: uint8(math.Round(20 + 235*v))})
		}
	}
	return m
}

func thresholdMask(m *image.Gray, t uint8) *image.Gray {
	out := image.NewGray(m.Bounds())
	for i, v := range m.Pix {
		if v > t {
			out.Pix[i] = 255
		}
	}
	return out
}

// sweepCounts fakes a sweep: 0 regions at high thresholds, a stable run of
// stable regions, then growing noise at low thresholds.
func sweepCounts(n, stable, from, to int) []int {
	c := make([]int, n)
	for i := range c {
		switch {
		case i < from-6:
			c[i] = 0
		case i < from:
			c[i] = 1 + (i % 2)
		case i <= to:
			c[i] = stable
		default:
			c[i] = stable + (i-to)*(i-to)/3
		}
	}
	return c
}

func mebinRows() []MEBinData {
	ts := sweepThresholds()
	m1 := blobMap(96, 96, [][2]float64{{30, 30}, {66, 60}}, 9)
	m2 := blobMap(96, 96, [][2]float64{{48, 40}}, 14)
	return []MEBinData{
		{Title: "PatchCore", Thresholds: ts, Counts: sweepCounts(64, 2, 14, 30), IntervalStart: 14, IntervalEnd: 30,
			Map: m1, Mask: thresholdMask(m1, uint8(ts[30]))},
		{Title: "MuSc", Thresholds: sweepThresholds(), Counts: sweepCounts(64, 1, 10, 40), IntervalStart: 10, IntervalEnd: 40,
			Map: m2, Mask: thresholdMask(m2, uint8(ts[40]))},
	}
}

func thresholdData() ThresholdData {
	theta := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
	a := []float64{0.31, 0.38, 0.45, 0.52, 0.55, 0.53, 0.49, 0.41, 0.33}
	b := []float64{0.28, 0.33, 0.41, 0.47, 0.50, 0.51, 0.46, 0.40, 0.30}
	return ThresholdData{Metric: "NMI", Series: []ThresholdSeries{
		{Detector: "PatchCore", Theta: theta, Value: a, MEBin: 0.61},
		{Detector: "MuSc", Theta: theta, Value: b, MEBin: 0.58},
		{Detector: "PaDiM", Theta: theta[:5], Value: []float64{0.2, 0.25, 0.3, 0.32, 0.31}, MEBin: math.NaN()},
	}}
}

func tsnePanels() []TSNEPanel {
	classes := []string{"good", "broken_large", "broken_small", "contamination"}
	panel := func(title string, spread float64, seed uint64) TSNEPanel {
		r := rand.New(rand.NewPCG(seed, 7))
		p := TSNEPanel{Title: title, Classes: classes}
		for i := range 160 {
			k := i % len(classes)
			a := 2 * math.Pi * float64(k) / float64(len(classes))
			p.Points = append(p.Points, [2]float64{
				10*math.Cos(a) + spread*r.NormFloat64(),
				10*math.Sin(a) + spread*r.NormFloat64(),
			})
			p.Labels = append(p.Labels, k)
		}
		return p
	}
	return []TSNEPanel{panel("w/o MGA", 6, 1), panel("MGA w/o D^l", 4, 2), panel("MGA + D^l", 2, 3)}
}

func trainingData() TrainingData {
	n := 40
	d := TrainingData{Title: "bottle, seed 0"}
	names := []string{"total", "contrastive", "supcon", "cls", "cluster"}
	scales := []float64{6, 2.5, 2, 1.2, 0.4}
	for e := range n {
		d.Epochs = append(d.Epochs, float64(e))
	}
	for i, name := range names {
		s := NamedSeries{Name: name}
		for e := range n {
			v := scales[i] * (0.3 + 0.7*math.Exp(-float64(e)/8)) * (1 + 0.03*math.Sin(float64(e*(i+1))))
			if name == "cluster" && e < 5 {
				v = math.NaN() // not logged during warm-up
			}
			s.Values = append(s.Values, v)
		}
		d.Series = append(d.Series, s)
	}
	return d
}

// texturedImage returns a w×h RGB image with a stripe texture and a dark
// defect at (cx, cy).
func texturedImage(w, h int, cx, cy float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := 150 + 40*math.Sin(float64(x+y)/5)
			dx, dy := float64(x)-cx, float64(y)-cy
			if dx*dx+dy*dy < 80 {
				v = 40
			}
			img.SetRGBA(x, y, color.RGBA{uint8(v), uint8(v * 0.9), uint8(v * 0.7), 255})
		}
	}
	return img
}

// attentionGrid returns a grid×grid map peaked at (gx, gy) with sharpness s.
func attentionGrid(grid int, gx, gy, s float64) []float64 {
	m := make([]float64, grid*grid)
	for y := range grid {
		for x := range grid {
			dx, dy := float64(x)-gx, float64(y)-gy
			m[y*grid+x] = math.Exp(-(dx*dx + dy*dy) / s)
		}
	}
	return m
}

func attentionRows() []AttentionRow {
	img := texturedImage(112, 112, 70, 40)
	crop := texturedImage(64, 64, 32, 32)
	return []AttentionRow{
		{Title: "whole image", Image: img, Layers: []string{"layer 9", "layer 10", "layer 11", "layer 12"}, Grid: 14,
			Maps: [][]float64{attentionGrid(14, 4, 4, 40), attentionGrid(14, 8, 5, 12), attentionGrid(14, 9, 5, 6), attentionGrid(14, 8.7, 5, 3)}},
		{Title: "sub-image", Image: crop, Layers: []string{"layer 11", "layer 12"}, Grid: 14,
			Maps: [][]float64{attentionGrid(14, 7, 7, 10), attentionGrid(14, 6.5, 6.5, 4)}},
	}
}

func multiLabelItems() []MultiLabelItem {
	img := texturedImage(128, 96, 30, 30)
	classes := []string{"broken", "glue", "scratch", "thread"}
	return []MultiLabelItem{{
		Title:   "combined 000",
		Image:   img,
		Boxes:   [][4]float64{{10, 8, 50, 48}, {70, 40, 120, 90}},
		Classes: classes,
		CropProbs: [][]float64{
			{0.82, 0.08, 0.06, 0.04},
			{0.05, 0.11, 0.74, 0.10},
		},
		ImageProbs: []float64{0.52, 0.09, 0.31, 0.08},
		Threshold:  0.25,
	}}
}

func diagnosticsData() DiagnosticsData {
	return DiagnosticsData{
		Title:      "Training diagnostics (crop level)",
		YLabel:     "NMI",
		Categories: []string{"mtd", "cable", "capsule", "fabric", "metal_nut", "tile", "wood"},
		Series: []NamedSeries{
			{Name: "k-means, backbone", Values: []float64{0.51, 0.64, 0.18, 0.19, 0.59, 0.38, 0.40}},
			{Name: "k-means, fine-tuned", Values: []float64{0.51, 0.64, 0.18, 0.29, 0.59, 0.38, 0.37}},
			{Name: "head", Values: []float64{0.58, 0.50, 0.12, 0.17, 0.50, 0.36, 0.42}},
		},
	}
}

// confusionPanels: five categories with 3-5 classes each, mostly diagonal,
// one empty true class and one long class name.
func confusionPanels() []ConfusionPanel {
	var out []ConfusionPanel
	for c, k := range []int{3, 4, 5, 4, 3} {
		p := ConfusionPanel{Title: "mvtec/category" + string(rune('A'+c))}
		for i := range k {
			name := "defect_" + string(rune('a'+i))
			if c == 1 && i == 2 {
				name = "very_long_defect_name"
			}
			p.Classes = append(p.Classes, name)
			row := make([]int, k)
			for j := range k {
				if i == j {
					row[j] = 8 + c - i
				} else {
					row[j] = (i*3 + j*5 + c) % 4
				}
			}
			if c == 2 && i == 4 {
				row = make([]int, k) // a class without images
			}
			p.Counts = append(p.Counts, row)
		}
		out = append(out, p)
	}
	return out
}
