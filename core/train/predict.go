package train

import "github.com/anomalyncd/ancd/core/augment"

// Predict runs a trained model on the test view of every unlabeled item, in
// item order, with the given head: what Run does after training, for items
// that took no part in training (for example crops of combined-type images,
// which get multi-label outputs). Relative item paths are resolved against
// root (see Options.Root); workers bounds the augmentation goroutines.
func Predict(m StepModel, items []Item, root string, imageSize, head, workers int) (Predictions, error) {
	aug, err := augment.New(imageSize, workers)
	if err != nil {
		return Predictions{}, err
	}
	return predict(m, aug, items, func(i int) (augment.Source, error) { return items[i].load(root) }, head, 64)
}
