package ablations

import (
	"fmt"
	"path/filepath"

	"github.com/anomalyncd/ancd/core/merge"
	"github.com/anomalyncd/ancd/core/metrics"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/plots"
	"github.com/anomalyncd/ancd/results"
)

// ConfusionMatrix returns the confusion matrix of one category's merged
// image predictions after the Hungarian mapping that the evaluate stage
// scores with (metrics.ClusterScores on the novel labels): counts[t][p] is
// the number of images of true class t whose mapped prediction is p. Rows
// and columns are cp.Classes, followed by "unmatched k" for any label past
// them.
func ConfusionMatrix(cp stages.CategoryPredictions) (classes []string, counts [][]int, err error) {
	if len(cp.Images) == 0 {
		return nil, nil, fmt.Errorf("%s/%s: no image predictions", cp.Dataset, cp.Category)
	}
	yTrue, yPred := merge.Labels(cp.Images)
	for i := range yTrue {
		yTrue[i] -= cp.NumBase
		yPred[i] -= cp.NumBase
		if yPred[i] < 0 || yTrue[i] < 0 {
			return nil, nil, fmt.Errorf("%s/%s: image %s has a base-class label or prediction", cp.Dataset, cp.Category, cp.Images[i].Image)
		}
	}
	s, err := metrics.ClusterScores(yTrue, yPred, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s/%s: %w", cp.Dataset, cp.Category, err)
	}
	classes = append(classes, cp.Classes...)
	// a cluster matched to a label that no class has (more clusters than
	// classes) gets a column of its own
	top := len(classes) - 1
	for i := range s.TrueNovel {
		top = max(top, s.TrueNovel[i], s.MappedPred[i])
	}
	for k := len(classes); k <= top; k++ {
		classes = append(classes, fmt.Sprintf("unmatched %d", k))
	}
	counts = make([][]int, len(classes))
	for i := range counts {
		counts[i] = make([]int, len(classes))
	}
	for i, t := range s.TrueNovel {
		counts[t][s.MappedPred[i]]++
	}
	return classes, counts, nil
}

// ConfusionPanels reads an infer entry's image predictions and returns one
// Hungarian-mapped confusion matrix per dataset and category, titled
// "<dataset>/<category>".
func ConfusionPanels(inferDir string, datasets []stages.DatasetRef) ([]plots.ConfusionPanel, error) {
	var out []plots.ConfusionPanel
	for _, d := range datasets {
		for _, cat := range d.Categories {
			cp, err := stages.ReadCategoryPredictions(inferDir, d.Name, cat)
			if err != nil {
				return nil, err
			}
			classes, counts, err := ConfusionMatrix(cp)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(inferDir, d.Name, cat, stages.ImagesFile), err)
			}
			out = append(out, plots.ConfusionPanel{Title: d.Name + "/" + cat, Classes: classes, Counts: counts})
		}
	}
	return out, nil
}

// DatasetRefs returns the datasets of a data entry.
func DatasetRefs(store *results.Store, dataKey string) ([]stages.DatasetRef, error) {
	ds, err := stages.ReadDatasets(store.Dir(experiments.StageData, dataKey))
	return ds.Datasets, err
}

// confusionFigure draws the confusion matrices of the default configuration
// (first seed), every category of every dataset.
func confusionFigure(store *results.Store, s *Study, out string) error {
	keys, err := s.Keys(sweepDefault, pointDefault)
	if err != nil {
		return err
	}
	ds, err := DatasetRefs(store, keys[0][experiments.StageData])
	if err != nil {
		return err
	}
	panels, err := ConfusionPanels(store.Dir(experiments.StageInfer, keys[0][experiments.StageInfer]), ds)
	if err != nil {
		return err
	}
	return plots.ConfusionFigure(out, panels)
}
