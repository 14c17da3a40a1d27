package stages

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/merge"
	"github.com/anomalyncd/ancd/core/train"
)

// CombinedDir holds, in a train entry's category folder, the predictions of
// the crops of combined-type images (two defect classes in one image), which
// take no part in training or in the single-label metrics (Fig. 11).
const CombinedDir = "combined"

// CombinedFile holds the multi-label outputs of one category in an infer entry.
const CombinedFile = "combined.json"

// combinedItems are the unlabeled items of a category's combined-type
// images, their paths relative to the store root.
func combinedItems(all []CropItem, ds, cat string) []train.Item {
	var items []train.Item
	for _, it := range all {
		if it.Dataset == ds && it.Category == cat && it.Type == dataset.CombinedType {
			items = append(items, train.Item{Image: it.Image, Mask: it.Mask, Label: -1, Group: it.Group})
		}
	}
	return items
}

// predictCombined runs the trained model on the combined-type crops (paths
// relative to storeRoot) and stores the predictions under <out>/CombinedDir
// (nothing when there are none).
func predictCombined(m train.StepModel, items []train.Item, storeRoot string, imageSize, head, workers int, out string) error {
	if len(items) == 0 {
		return nil
	}
	p, err := train.Predict(m, items, storeRoot, imageSize, head, workers)
	if err != nil {
		return fmt.Errorf("combined-type crops: %w", err)
	}
	return p.Write(filepath.Join(out, CombinedDir))
}

// CombinedPredictions is the content of CombinedFile: per combined-type
// image, the per-crop and merged class probabilities and the classes above
// the multi-label threshold (novel classes only, in label order of Classes).
type CombinedPredictions struct {
	Dataset   string                  `json:"dataset"`
	Category  string                  `json:"category"`
	Classes   []string                `json:"classes"`
	NumBase   int                     `json:"num_base"`
	Threshold float64                 `json:"threshold"`
	Images    []merge.ImagePrediction `json:"images"`
}

// mergeCombined merges the combined-type crop predictions of a category
// (when the train entry has them) with the same strategy as the others.
func mergeCombined(trainCat string, all []CropItem, ds, cat string, classes []string, numBase int, strategy merge.Strategy, params merge.Params) (*CombinedPredictions, error) {
	preds, err := train.ReadPredictions(filepath.Join(trainCat, CombinedDir))
	if err != nil {
		return nil, nil // no combined-type images in this category
	}
	byImage := map[string]train.CropPrediction{}
	for _, p := range preds.Crops {
		byImage[p.Image] = p
	}
	var crops []merge.Crop
	for _, it := range all {
		if it.Dataset != ds || it.Category != cat || it.Type != dataset.CombinedType {
			continue
		}
		p, ok := byImage[it.Image]
		if !ok {
			return nil, fmt.Errorf("combined %s/%s: no prediction for crop %s", ds, cat, it.Image)
		}
		logits := make([]float64, len(p.Logits))
		for i, v := range p.Logits {
			logits[i] = float64(v)
		}
		// combined images have no single true class; they are marked novel
		crops = append(crops, merge.Crop{Image: it.Group, Logits: logits, Score: it.Score, MaskArea: it.MaskArea, Label: numBase})
	}
	images, err := merge.Merge(crops, strategy, params)
	if err != nil {
		return nil, fmt.Errorf("merge combined %s/%s: %w", ds, cat, err)
	}
	return &CombinedPredictions{Dataset: ds, Category: cat, Classes: slices.Clone(classes), NumBase: numBase,
		Threshold: params.MultiLabelThreshold, Images: images}, nil
}
