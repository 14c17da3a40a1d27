package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// File names inside the output folder.
const (
	CheckpointFile  = "checkpoint.safetensors"
	MetricsFile     = "metrics.jsonl"
	PredictionsFile = "predictions.json"
	FeaturesFile    = "features.safetensors"
)

// CropPrediction is the chosen head's output for one unlabeled crop.
type CropPrediction struct {
	Image  string    `json:"image"`
	Mask   string    `json:"mask"`
	Group  string    `json:"group"`
	Logits []float32 `json:"logits"` // cosine logits over all L+U classes (unscaled)
}

// Predictions is the result of a training run: the unlabeled crops in item
// order with the chosen head's logits, and their features.
type Predictions struct {
	Head           int              `json:"head"`             // chosen head
	ClusterPerHead []float64        `json:"cluster_per_head"` // final epoch's mean cluster loss per head
	Classes        int              `json:"classes"`          // L+U
	Crops          []CropPrediction `json:"crops"`
	Features       [][]float32      `json:"-"` // [crop][D] L2-normalised [CLS]; in features.safetensors
}

// Write stores p as predictions.json and features.safetensors in dir.
func (p Predictions) Write(dir string) error {
	js, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		return fmt.Errorf("train: encode predictions: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, PredictionsFile), append(js, '\n')); err != nil {
		return err
	}
	n := len(p.Crops)
	d := 0
	if n > 0 {
		d = len(p.Features[0])
	}
	feat := make([]float32, 0, n*d)
	logits := make([]float32, 0, n*p.Classes)
	for i := range p.Crops {
		feat = append(feat, p.Features[i]...)
		logits = append(logits, p.Crops[i].Logits...)
	}
	return checkpoint.WriteFile(filepath.Join(dir, FeaturesFile), []checkpoint.Tensor{
		{Name: "features", Shape: []int{n, d}, Data: feat},
		{Name: "logits", Shape: []int{n, p.Classes}, Data: logits},
	}, map[string]string{"head": fmt.Sprint(p.Head)})
}

// ReadPredictions reads what [Predictions.Write] stored in dir.
func ReadPredictions(dir string) (Predictions, error) {
	var p Predictions
	raw, err := os.ReadFile(filepath.Join(dir, PredictionsFile))
	if err != nil {
		return p, fmt.Errorf("train: %w", err)
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, fmt.Errorf("train: parse %s: %w", filepath.Join(dir, PredictionsFile), err)
	}
	f, err := checkpoint.ReadFile(filepath.Join(dir, FeaturesFile))
	if err != nil {
		return p, err
	}
	ft, ok := f.Lookup("features")
	if !ok || len(ft.Shape) != 2 || ft.Shape[0] != len(p.Crops) {
		return p, fmt.Errorf("train: %s: features tensor missing or not [%d, D]", filepath.Join(dir, FeaturesFile), len(p.Crops))
	}
	d := ft.Shape[1]
	p.Features = make([][]float32, len(p.Crops))
	for i := range p.Features {
		p.Features[i] = ft.Data[i*d : (i+1)*d]
	}
	return p, nil
}
