package baselines

import "golang.org/x/sync/errgroup"

// forEach calls the per-worker function made by newWorker(w) on every index
// 0..n−1, worker w handling the contiguous block [w·n/W, (w+1)·n/W). It
// returns the error of the lowest failing index, so the outcome does not
// depend on scheduling.
func forEach(n, workers int, newWorker func(w int) func(i int) error) error {
	workers = max(1, min(workers, n))
	errs := make([]error, n)
	var g errgroup.Group
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		g.Go(func() error {
			do := newWorker(w)
			for i := lo; i < hi; i++ {
				if errs[i] = do(i); errs[i] != nil {
					return nil
				}
			}
			return nil
		})
	}
	_ = g.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
