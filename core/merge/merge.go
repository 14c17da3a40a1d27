package merge

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Strategy names how the crops of one image are weighted (Table VII); its
// value is the config name (merge.strategy). The zero value means Area.
type Strategy string

const (
	// Area weights crops by w = softmax_j(sqrt(maskArea_j) / T), computed in
	// float32; this is the method's own strategy.
	Area Strategy = "area"
	// Average weights every crop equally.
	Average Strategy = "average"
	// Score weights crops by their anomaly score: w_j = s_j / Σ s, with
	// uniform weights when every score is 0. The paper does not give the
	// formula; this normalised linear weighting is our choice.
	Score Strategy = "score"
)

// WeightFunc returns the weights of one image's crops, one per crop in
// input order, summing to 1 in float32.
type WeightFunc func(crops []Crop, p Params) []float32

// strategies are the merging strategies by name. A new strategy is a
// WeightFunc and a line here (docs/extending.md walks through one).
var strategies = map[Strategy]WeightFunc{
	Area:    areaWeights,
	Average: averageWeights,
	Score:   scoreWeights,
}

// String returns the config name of s.
func (s Strategy) String() string {
	if s == "" {
		return string(Area)
	}
	return string(s)
}

// StrategyNames lists the config names of every strategy, sorted (the
// allowed values of merge.strategy).
func StrategyNames() []string {
	names := make([]string, 0, len(strategies))
	for s := range strategies {
		names = append(names, string(s))
	}
	slices.Sort(names)
	return names
}

// ParseStrategy maps a config name to its Strategy.
func ParseStrategy(name string) (Strategy, error) {
	if _, ok := strategies[Strategy(name)]; !ok {
		return "", fmt.Errorf("merge: unknown strategy %q (want %s)", name, strings.Join(StrategyNames(), ", "))
	}
	return Strategy(name), nil
}

// Crop is one classified sub-image.
type Crop struct {
	// Image is the key of the image the crop was cut from; crops with the
	// same key are merged. See ImageKey for the reference's key.
	Image string
	// Logits are the classifier's outputs (cosines) over all L+U classes.
	Logits []float64
	// Score is the crop's anomaly score (reference §3), used by Score.
	Score float64
	// MaskArea is the number of pixels equal to 255 in the crop's saved
	// mask (padding counts 0), used by Area.
	MaskArea int
	// Label is the crop's class label; it is novel when >= Params.NumBase.
	Label int
}

// Params configures Merge. The zero value is not usable: use
// DefaultParams.
type Params struct {
	// NumBase is L, the number of base (labelled) classes; columns
	// 0..L-1 are zeroed for crops with a novel label.
	NumBase int
	// LogitTemperature divides the logits before the softmax (0.1).
	LogitTemperature float64
	// AreaTemperature is T of the area weights: 100 for MVTec-like data,
	// 50 otherwise (see AreaTemperatureFor).
	AreaTemperature float64
	// MultiLabelThreshold: classes whose merged probability is >= this
	// value are listed in ImagePrediction.Classes (Fig. 11). 0.3 by
	// default, so at most three classes can qualify.
	MultiLabelThreshold float64
}

// DefaultParams returns the reference's parameters for numBase base classes
// and dataset name (T = 100 for "mvtec", 50 otherwise).
func DefaultParams(numBase int, dataset string) Params {
	return Params{NumBase: numBase, LogitTemperature: 0.1,
		AreaTemperature: AreaTemperatureFor(dataset), MultiLabelThreshold: 0.3}
}

// AreaTemperatureFor returns the reference's area temperature: 100 when
// dataset is "mvtec" (case-sensitive, as in the reference), 50 otherwise.
func AreaTemperatureFor(dataset string) float64 {
	if dataset == "mvtec" {
		return 100
	}
	return 50
}

// ImageKey is the reference's grouping key of a crop file:
// "<anomalyType>/<file name before '_crop'>.png".
func ImageKey(anomalyType, cropFile string) string {
	stem, _, _ := strings.Cut(cropFile, "_crop")
	return anomalyType + "/" + stem + ".png"
}

// ImagePrediction is the merged result for one image.
type ImagePrediction struct {
	Image string `json:"image"`
	// Label is the first crop's label.
	Label int `json:"label"`
	// Pred is argmax_c Σ_j w_j p_j[c], the first maximum on ties.
	Pred int `json:"pred"`
	// Probs is the merged distribution Σ_j w_j p_j (float32 values).
	Probs []float64 `json:"probs"`
	// CropProbs are the per-crop distributions p_j, in input order.
	CropProbs [][]float64 `json:"crop_probs"`
	// Weights are the crop weights w_j, in input order.
	Weights []float64 `json:"weights"`
	// Classes are the classes with Probs >= MultiLabelThreshold, in
	// decreasing probability (ties by class index); Pred is first when
	// its probability reaches the threshold.
	Classes []int `json:"classes"`
}

// Merge groups crops by Image and returns one prediction per image, sorted
// by image key. Within an image the crops keep their input order (the
// order of the float32 sums).
func Merge(crops []Crop, s Strategy, p Params) ([]ImagePrediction, error) {
	if p.LogitTemperature <= 0 {
		return nil, fmt.Errorf("merge: logit temperature %v must be > 0", p.LogitTemperature)
	}
	weights, ok := strategies[Strategy(s.String())]
	if !ok {
		return nil, fmt.Errorf("merge: unknown strategy %q (want %s)", s, strings.Join(StrategyNames(), ", "))
	}
	if s.String() == string(Area) && p.AreaTemperature <= 0 {
		return nil, fmt.Errorf("merge: area temperature %v must be > 0", p.AreaTemperature)
	}
	groups := map[string][]int{}
	var keys []string
	nClasses := -1
	for i, c := range crops {
		if nClasses < 0 {
			nClasses = len(c.Logits)
		}
		if len(c.Logits) == 0 || len(c.Logits) != nClasses {
			return nil, fmt.Errorf("merge: crop %d of %q has %d logits, want %d", i, c.Image, len(c.Logits), nClasses)
		}
		if c.Label >= p.NumBase && p.NumBase >= nClasses {
			return nil, fmt.Errorf("merge: crop %d of %q is novel but all %d classes are base", i, c.Image, nClasses)
		}
		if c.MaskArea < 0 || math.IsNaN(c.Score) || c.Score < 0 {
			return nil, fmt.Errorf("merge: crop %d of %q: mask area %d and score %v must be >= 0", i, c.Image, c.MaskArea, c.Score)
		}
		if _, ok := groups[c.Image]; !ok {
			keys = append(keys, c.Image)
		}
		groups[c.Image] = append(groups[c.Image], i)
	}
	slices.Sort(keys)
	out := make([]ImagePrediction, 0, len(keys))
	for _, k := range keys {
		members := make([]Crop, len(groups[k]))
		for j, idx := range groups[k] {
			members[j] = crops[idx]
		}
		out = append(out, mergeImage(k, members, weights, p))
	}
	return out, nil
}

func mergeImage(key string, crops []Crop, weights WeightFunc, p Params) ImagePrediction {
	nc := len(crops[0].Logits)
	w := weights(crops, p)
	merged := make([]float32, nc)
	pred := ImagePrediction{Image: key, Label: crops[0].Label, Weights: widen(w)}
	for j, c := range crops {
		pj := CropProbabilities(c.Logits, c.Label, p)
		pred.CropProbs = append(pred.CropProbs, widen(pj))
		for k := range merged {
			merged[k] += w[j] * pj[k]
		}
	}
	pred.Probs = widen(merged)
	pred.Pred = 0
	for k, v := range merged {
		if v > merged[pred.Pred] {
			pred.Pred = k
		}
	}
	order := make([]int, nc)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case merged[a] > merged[b]:
			return -1
		case merged[a] < merged[b]:
			return 1
		}
		return 0
	})
	pred.Classes = []int{}
	for _, c := range order {
		if float64(merged[c]) >= p.MultiLabelThreshold {
			pred.Classes = append(pred.Classes, c)
		}
	}
	return pred
}

// CropProbabilities returns softmax(logits / LogitTemperature) in float32;
// for a novel label (label >= NumBase) the base columns are zeroed and the
// rest renormalised.
func CropProbabilities(logits []float64, label int, p Params) []float32 {
	x := make([]float64, len(logits))
	for i, v := range logits {
		x[i] = float64(float32(float32(v) / float32(p.LogitTemperature)))
	}
	prob := softmax32(x)
	if label >= p.NumBase && p.NumBase > 0 {
		var sum float32
		for i := range prob {
			if i < p.NumBase {
				prob[i] = 0
			}
			sum += prob[i]
		}
		for i := range prob {
			prob[i] /= sum
		}
	}
	return prob
}

// areaWeights is Area: softmax_j(sqrt(maskArea_j) / T) in float32.
func areaWeights(crops []Crop, p Params) []float32 {
	x := make([]float64, len(crops))
	for j, c := range crops {
		x[j] = float64(float32(math.Sqrt(float64(c.MaskArea))) / float32(p.AreaTemperature))
	}
	return softmax32(x)
}

// scoreWeights is Score: s_j / Σ s, uniform when every score is 0.
func scoreWeights(crops []Crop, p Params) []float32 {
	total := 0.0
	for _, c := range crops {
		total += c.Score
	}
	if total <= 0 {
		return averageWeights(crops, p)
	}
	w := make([]float32, len(crops))
	for j, c := range crops {
		w[j] = float32(c.Score / total)
	}
	return w
}

// averageWeights is Average: 1/n each.
func averageWeights(crops []Crop, _ Params) []float32 {
	w := make([]float32, len(crops))
	for j := range w {
		w[j] = 1 / float32(len(crops))
	}
	return w
}

// softmax32 is a max-shifted softmax whose values are kept in float32.
func softmax32(x []float64) []float32 {
	m := slices.Max(x)
	out := make([]float32, len(x))
	var sum float32
	for i, v := range x {
		out[i] = float32(math.Exp(float64(float32(v - m))))
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// Labels returns the image labels and merged predictions of preds, in
// order, ready for metrics.ClusterScores.
func Labels(preds []ImagePrediction) (yTrue, yPred []int) {
	yTrue = make([]int, len(preds))
	yPred = make([]int, len(preds))
	for i, p := range preds {
		yTrue[i], yPred[i] = p.Label, p.Pred
	}
	return yTrue, yPred
}
