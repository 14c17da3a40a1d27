//go:build openblas && cgo

package openblas

/*
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int);
char *openblas_get_corename(void);
*/
import "C"

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/netlib/blas/netlib"
)

// OpenBLAS runs single-threaded: callers parallelise over fixed blocks, so
// results do not depend on the number of threads. Set here, at start-up, so
// an OPENBLAS_NUM_THREADS in the environment cannot change it. gonum's
// netlib binding has no #cgo LDFLAGS of its own; the -lopenblas above links
// the library for it too, so no CGO_LDFLAGS is needed where libopenblas is
// on the default search path (Debian: libopenblas-dev).
func init() {
	C.openblas_set_num_threads(1)
}

// CoreName is the CPU kind whose kernels OpenBLAS uses, e.g. "SkylakeX"
// ("Prescott", its SSE3 fallback, on CPUs it does not know: see
// OPENBLAS_CORETYPE in the Makefile).
func CoreName() string { return C.GoString(C.openblas_get_corename()) }

// Sgemm computes C = op(A)·op(B) + beta·C in float32 for row-major matrices
// with OpenBLAS's cblas_sgemm (alpha 1), on the calling thread. When beta is
// 0, C is not read. k must be positive (the C BLAS argument checks reject
// an empty A).
func Sgemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if tB {
		tb = blas.Trans
	}
	netlib.Implementation{}.Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
}
