package stages

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/merge"
	"github.com/anomalyncd/ancd/core/train"
	"github.com/anomalyncd/ancd/experiments"
)

// ImagesFile holds the merged image predictions of one category.
const ImagesFile = "images.json"

// ReadCategoryPredictions reads the ImagesFile of category cat of dataset
// ds in the infer entry inferDir.
func ReadCategoryPredictions(inferDir, ds, cat string) (CategoryPredictions, error) {
	var cp CategoryPredictions
	err := readJSON(filepath.Join(inferDir, ds, cat, ImagesFile), &cp)
	return cp, err
}

// ReadCombinedPredictions reads the CombinedFile of category cat of dataset
// ds in the infer entry inferDir; the error wraps fs.ErrNotExist when the
// category has no combined-type images.
func ReadCombinedPredictions(inferDir, ds, cat string) (CombinedPredictions, error) {
	var cp CombinedPredictions
	err := readJSON(filepath.Join(inferDir, ds, cat, CombinedFile), &cp)
	return cp, err
}

// CategoryPredictions is the content of ImagesFile.
type CategoryPredictions struct {
	Dataset  string `json:"dataset"`
	Category string `json:"category"`
	// Classes are the novel classes in label order (label k = Classes[k]).
	Classes []string `json:"classes"`
	// NumBase is the number of base-class columns before the novel ones.
	NumBase int                     `json:"num_base"`
	Images  []merge.ImagePrediction `json:"images"`
}

// inferStage merges crop predictions into image predictions with the
// configured strategy (inference only: no retraining).
func inferStage(ctx context.Context, job experiments.Job) error {
	dirs, err := inputs(job, experiments.StageCrop, experiments.StageTrain, experiments.StageData)
	if err != nil {
		return err
	}
	cropDir, trainDir, dataDir := dirs[0], dirs[1], dirs[2]
	ds, err := ReadDatasets(dataDir)
	if err != nil {
		return err
	}
	all, _, err := ReadCropItems(cropDir)
	if err != nil {
		return err
	}
	strategy, err := merge.ParseStrategy(job.Config.Merge.Strategy)
	if err != nil {
		return fmt.Errorf("merge.strategy: %w", err)
	}
	for _, d := range ds.Datasets {
		set, err := dataset.Open(d.Format, d.Root)
		if err != nil {
			return err
		}
		for _, cat := range d.Categories {
			preds, err := train.ReadPredictions(filepath.Join(trainDir, d.Name, cat))
			if err != nil {
				return err
			}
			classes := categoryClasses(set, cat)
			numBase := preds.Classes - len(classes)
			byImage := map[string]train.CropPrediction{}
			for _, p := range preds.Crops {
				byImage[p.Image] = p
			}
			var crops []merge.Crop
			for _, it := range all {
				if it.Dataset != d.Name || it.Category != cat || it.Type == dataset.CombinedType {
					continue
				}
				p, ok := byImage[it.Image]
				if !ok {
					return fmt.Errorf("infer %s/%s: no prediction for crop %s", d.Name, cat, it.Image)
				}
				logits := make([]float64, len(p.Logits))
				for i, v := range p.Logits {
					logits[i] = float64(v)
				}
				crops = append(crops, merge.Crop{Image: it.Group, Logits: logits, Score: it.Score,
					MaskArea: it.MaskArea, Label: numBase + slices.Index(classes, it.Type)})
			}
			params := merge.DefaultParams(numBase, d.Name)
			if t := job.Config.Merge.Temperature; t != 0 {
				params.AreaTemperature = t
			}
			images, err := merge.Merge(crops, strategy, params)
			if err != nil {
				return fmt.Errorf("merge %s/%s: %w", d.Name, cat, err)
			}
			out := CategoryPredictions{Dataset: d.Name, Category: cat, Classes: classes, NumBase: numBase, Images: images}
			if err := writeJSON(filepath.Join(job.Out, d.Name, cat, ImagesFile), out); err != nil {
				return err
			}
			comb, err := mergeCombined(filepath.Join(trainDir, d.Name, cat), all, d.Name, cat, classes, numBase, strategy, params)
			if err != nil {
				return err
			}
			if comb != nil {
				if err := writeJSON(filepath.Join(job.Out, d.Name, cat, CombinedFile), comb); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
