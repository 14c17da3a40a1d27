package train

import (
	"fmt"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/internal/buf"
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
	const chunk = 64
	s := imageSize
	var img, mask []float32
	for lo := 0; lo < len(items); lo += chunk {
		n := min(chunk, len(items)-lo)
		img, mask = buf.Resize(img, n*3*s*s), buf.Resize(mask, n*s*s)
		if err := aug.TestBatch(n, func(i int) (augment.Source, error) { return items[lo+i].load(root) }, img, mask); err != nil {
			return fmt.Errorf("train: stem fit: %w", err)
		}
		if err := fit.Add(img, n); err != nil {
			return err
		}
	}
	return fit.Apply()
}
