package detect

import (
	"runtime"
	"sync"
)

// workerCount resolves a requested worker count (<= 0: GOMAXPROCS) and caps
// it at n (at least 1).
func workerCount(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, n))
}

// forEach runs fn(worker, i) for i in [0, n), giving worker w the fixed
// contiguous block [w*n/W, (w+1)*n/W). It returns the error of the lowest
// failing index, so the error too does not depend on scheduling.
func forEach(n, workers int, fn func(worker, i int) error) error {
	if n == 0 {
		return nil
	}
	w := workerCount(workers, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := k*n/w, (k+1)*n/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if errs[i] = fn(k, i); errs[i] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
