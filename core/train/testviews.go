package train

import (
	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/internal/buf"
)

// eachTestBatch makes the test views of items idx in chunks of at most
// chunk (0 = 64) and calls fn with each chunk's views [k,3,S,S], masks
// [k,S,S] and item indices, in order. The buffers are reused between calls.
func eachTestBatch(aug *augment.Augmenter, idx []int, load func(i int) (augment.Source, error), chunk int,
	fn func(img, mask []float32, part []int) error) error {
	if chunk <= 0 {
		chunk = 64
	}
	s := aug.Size()
	var img, mask []float32
	for lo := 0; lo < len(idx); lo += chunk {
		part := idx[lo:min(lo+chunk, len(idx))]
		n := len(part)
		img, mask = buf.Resize(img, n*3*s*s), buf.Resize(mask, n*s*s)
		if err := aug.TestBatch(n, func(i int) (augment.Source, error) { return load(part[i]) }, img, mask); err != nil {
			return err
		}
		if err := fn(img, mask, part); err != nil {
			return err
		}
	}
	return nil
}
