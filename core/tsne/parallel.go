package tsne

import "sync"

// parallelRange calls fn(lo, hi) on a fixed partition of [0, n) into at most
// workers contiguous chunks. fn must only write results indexed by its own
// range, so the outcome does not depend on workers.
func parallelRange(n, workers int, fn func(lo, hi int)) {
	if workers <= 1 || n < 2*workers {
		fn(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}
