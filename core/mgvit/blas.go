package mgvit

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// gemm computes C = op(A)·op(B) + beta·C for row-major matrices, where op
// transposes when tA/tB is set; C is m×n and the inner dimension is k.
// Each element of C is produced by one deterministic sum, whatever the
// number of threads: float32 goes through sgemmBackend (the pure-Go sgemm,
// or OpenBLAS with -tags openblas), float64 (the finite-difference checks)
// through gonum's Dgemm.
func gemm[T float32 | float64](tA, tB bool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	switch av := any(a).(type) {
	case []float32:
		sgemmBackend(tA, tB, m, n, k, av, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		ta, tb := blas.NoTrans, blas.NoTrans
		if tA {
			ta = blas.Trans
		}
		if tB {
			tb = blas.Trans
		}
		blas64.Implementation().Dgemm(ta, tb, m, n, k, 1, av, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

// parallelFor runs fn(i) for i in [0,n) on up to GOMAXPROCS goroutines.
// Callers must make every fn(i) write a disjoint part of the output, so
// results do not depend on scheduling.
func parallelFor(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	wg.Wait()
}
