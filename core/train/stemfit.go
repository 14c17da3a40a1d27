package train

import (
	"fmt"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/mgvit"
)

// FitStem fits the standardisation of m's filter-bank stem
// (mgvit.StemFilterBank) on the test views of items, in item order: the
// per-response mean and standard deviation over every patch of every view.
// The study's pretrain stage calls it once, on the pretraining images, so
// the statistics are part of the stored backbone. Relative item paths are
// resolved against root; workers bounds the augmentation goroutines.
func FitStem(m *mgvit.Model, items []Item, root string, imageSize, workers int) error {
	fit, err := m.NewStemFit()
	if err != nil {
		return err
	}
	aug, err := augment.New(imageSize, workers)
	if err != nil {
		return err
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	load := func(i int) (augment.Source, error) { return items[i].load(root) }
	err = eachTestBatch(aug, idx, load, 0, func(img, _ []float32, part []int) error { return fit.Add(img, len(part)) })
	if err != nil {
		return fmt.Errorf("train: stem fit: %w", err)
	}
	return fit.Apply()
}
