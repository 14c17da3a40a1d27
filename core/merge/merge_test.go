package merge

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestAreaWeightsReference(t *testing.T) {
	tests := []struct {
		name  string
		areas []int
		temp  float64
		want  []float64 // float32 values from numpy float32 softmax
	}{
		// reference-behaviour §9: counts 54 vs 0 at T=100 give 0.518 vs 0.482.
		{"mvtec 54 vs 0", []int{54, 0}, 100, []float64{0.51836294, 0.4816371}},
		{"mtd 400/100/0", []int{400, 100, 0}, 50, []float64{0.4017595648765564, 0.32893291115760803, 0.2693074941635132}},
		{"single crop", []int{7}, 100, []float64{1}},
	}
	for _, tc := range tests {
		crops := make([]Crop, len(tc.areas))
		for i, a := range tc.areas {
			crops[i] = Crop{Image: "a/0.png", Logits: []float64{1, 0}, MaskArea: a, Label: 1}
		}
		p := Params{NumBase: 0, LogitTemperature: 0.1, AreaTemperature: tc.temp, MultiLabelThreshold: 0.3}
		got, err := Merge(crops, Area, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range got[0].Weights {
			if math.Abs(w-tc.want[i]) > 1e-7 {
				t.Errorf("%s: weights %v, want %v", tc.name, got[0].Weights, tc.want)
				break
			}
		}
	}
}

func TestCropProbabilities(t *testing.T) {
	// numpy float32: softmax([0.9,0.1,0.2,0.5]/0.1).
	want := []float64{0.9808124303817749, 0.00032902590464800596, 0.0008943850989453495, 0.017964206635951996}
	p := Params{LogitTemperature: 0.1}
	got := CropProbabilities([]float64{0.9, 0.1, 0.2, 0.5}, 0, p)
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 2e-7*want[i] {
			t.Errorf("probabilities %v, want %v", got, want)
			break
		}
	}
	// Novel label with 2 base classes: columns 0,1 zeroed, rest renormalised:
	// exp(2)/(exp(2)+exp(5)) and exp(5)/(exp(2)+exp(5)).
	p.NumBase = 2
	got = CropProbabilities([]float64{0.9, 0.1, 0.2, 0.5}, 3, p)
	w2 := 1 / (1 + math.Exp(3))
	if got[0] != 0 || got[1] != 0 || math.Abs(float64(got[2])-w2) > 1e-6 || math.Abs(float64(got[3])-(1-w2)) > 1e-6 {
		t.Errorf("novel probabilities %v", got)
	}
	// A base label keeps every column.
	if got := CropProbabilities([]float64{0.9, 0.1, 0.2, 0.5}, 1, p); got[0] == 0 {
		t.Errorf("base label lost its base columns: %v", got)
	}
}

func TestStrategies(t *testing.T) {
	// Two classes after 1 base class (columns 1, 2 novel). Crop A is large,
	// low-scored and says class 1; crop B is tiny, high-scored and says 2.
	crops := []Crop{
		{Image: "img/b.png", Logits: []float64{0, 0, 0.3}, Score: 0.9, MaskArea: 0, Label: 1},
		{Image: "img/b.png", Logits: []float64{0, 0.3, 0}, Score: 0.1, MaskArea: 10000, Label: 1},
		{Image: "img/a.png", Logits: []float64{0, 0.1, 0.5}, Score: 0, MaskArea: 0, Label: 2},
	}
	tests := []struct {
		s        Strategy
		wantPred []int // per image, sorted keys a, b
		weightsB []float64
	}{
		// Uniform: both crops give the same max 0.952, so the tie goes to the
		// first class index (1).
		{Average, []int{2, 1}, []float64{0.5, 0.5}},
		{Score, []int{2, 2}, []float64{0.9, 0.1}},
		// T=50: sqrt(10000)/50 = 2 → weights 1/(1+e²), e²/(1+e²).
		{Area, []int{2, 1}, []float64{1 / (1 + math.Exp(2)), math.Exp(2) / (1 + math.Exp(2))}},
	}
	p := DefaultParams(1, "mtd")
	for _, tc := range tests {
		got, err := Merge(crops, tc.s, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Image != "img/a.png" || got[1].Image != "img/b.png" {
			t.Fatalf("%v: images not sorted: %+v", tc.s, got)
		}
		preds := []int{got[0].Pred, got[1].Pred}
		if !slices.Equal(preds, tc.wantPred) {
			t.Errorf("%v: preds %v, want %v (probs %v)", tc.s, preds, tc.wantPred, got[1].Probs)
		}
		for i, w := range got[1].Weights {
			if math.Abs(w-tc.weightsB[i]) > 1e-6 {
				t.Errorf("%v: weights %v, want %v", tc.s, got[1].Weights, tc.weightsB)
				break
			}
		}
		if got[1].Label != 1 || got[0].Label != 2 {
			t.Errorf("%v: labels %d %d", tc.s, got[0].Label, got[1].Label)
		}
	}
}

func TestScoreFallbackUniform(t *testing.T) {
	crops := []Crop{{Image: "x", Logits: []float64{1, 0}}, {Image: "x", Logits: []float64{0, 1}}}
	got, err := Merge(crops, Score, DefaultParams(0, "mvtec"))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Weights[0] != 0.5 || got[0].Weights[1] != 0.5 {
		t.Errorf("all-zero scores: weights %v, want uniform", got[0].Weights)
	}
}

func TestMultiLabelCombined(t *testing.T) {
	// A combined image: two crops of similar area, each confidently a
	// different class (Fig. 11). Both classes exceed 0.3.
	crops := []Crop{
		{Image: "combined/000.png", Logits: []float64{0.9, 0.1, 0.1}, MaskArea: 900, Label: 0},
		{Image: "combined/000.png", Logits: []float64{0.1, 0.9, 0.1}, MaskArea: 800, Label: 0},
	}
	got, err := Merge(crops, Area, DefaultParams(0, "mvtec"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got[0].Classes, []int{0, 1}) || got[0].Pred != 0 || len(got[0].CropProbs) != 2 {
		t.Errorf("classes %v pred %d probs %v", got[0].Classes, got[0].Pred, got[0].Probs)
	}
}

func TestMergeErrors(t *testing.T) {
	ok := Crop{Image: "a", Logits: []float64{1, 2}, Label: 1}
	tests := []struct {
		name    string
		crops   []Crop
		p       Params
		wantSub string
	}{
		{"ragged logits", []Crop{ok, {Image: "b", Logits: []float64{1}}}, DefaultParams(0, "mvtec"), "1 logits, want 2"},
		{"bad temperature", []Crop{ok}, Params{}, "logit temperature"},
		{"negative area", []Crop{{Image: "a", Logits: []float64{1}, MaskArea: -1}}, DefaultParams(0, "mvtec"), "mask area"},
		{"all base", []Crop{{Image: "a", Logits: []float64{1, 2}, Label: 2}}, DefaultParams(2, "mvtec"), "all 2 classes are base"},
	}
	for _, tc := range tests {
		_, err := Merge(tc.crops, Area, tc.p)
		if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantSub)
		}
	}
	if _, err := ParseStrategy("median"); err == nil {
		t.Error("ParseStrategy accepted median")
	}
	for _, s := range []Strategy{Area, Average, Score} {
		if got, err := ParseStrategy(s.String()); err != nil || got != s {
			t.Errorf("round trip %v: %v %v", s, got, err)
		}
	}
}

func TestImageKey(t *testing.T) {
	if got := ImageKey("broken_large", "012_crop1.png"); got != "broken_large/012.png" {
		t.Errorf("ImageKey = %q", got)
	}
}

func ExampleMerge() {
	crops := []Crop{
		{Image: ImageKey("crack", "003_crop0.png"), Logits: []float64{0.2, 0.8, 0.1}, MaskArea: 2500, Label: 1},
		{Image: ImageKey("crack", "003_crop1.png"), Logits: []float64{0.2, 0.1, 0.7}, MaskArea: 16, Label: 1},
	}
	preds, err := Merge(crops, Area, DefaultParams(1, "mvtec"))
	if err != nil {
		panic(err)
	}
	for _, p := range preds {
		fmt.Printf("%s label %d pred %d weights %.3f\n", p.Image, p.Label, p.Pred, p.Weights)
	}
	// Output:
	// crack/003.png label 1 pred 1 weights [0.613 0.387]
}

func TestLabels(t *testing.T) {
	yt, yp := Labels([]ImagePrediction{{Label: 3, Pred: 4}, {Label: 5, Pred: 2}})
	if !slices.Equal(yt, []int{3, 5}) || !slices.Equal(yp, []int{4, 2}) {
		t.Errorf("Labels = %v %v", yt, yp)
	}
}

// TestAreaTemperatureFor checks the reference's per-dataset rule, which the
// infer stage applies to each dataset of a study (the MVTec AD-like one of a
// synthetic study included) unless merge.temperature is set.
func TestAreaTemperatureFor(t *testing.T) {
	for _, tc := range []struct {
		dataset string
		want    float64
	}{{"mvtec", 100}, {"MVTec", 50}, {"mtd", 50}, {"aebad", 50}, {"", 50}} {
		if got := AreaTemperatureFor(tc.dataset); got != tc.want {
			t.Errorf("AreaTemperatureFor(%q) = %v, want %v", tc.dataset, got, tc.want)
		}
		if got := DefaultParams(2, tc.dataset).AreaTemperature; got != tc.want {
			t.Errorf("DefaultParams(2, %q).AreaTemperature = %v, want %v", tc.dataset, got, tc.want)
		}
	}
}
