//go:build openblas && cgo

package mgvit

import (
	"runtime"

	"github.com/anomalyncd/ancd/core/mgvit/internal/openblas"
)

// With -tags openblas, float32 gemm calls OpenBLAS's cblas_sgemm (through
// gonum.org/v1/netlib, see internal/openblas) instead of the pure-Go sgemm.
// It needs cgo and libopenblas (Debian: libopenblas-dev).
//
// Determinism: OpenBLAS runs single-threaded, and the rows of C are cut into
// fixed blocks of openblasRowBlock rows whatever GOMAXPROCS is; each block
// is one OpenBLAS call, and blocks run on a goroutine pool. The same blocks
// make the same calls, so results do not depend on the number of
// goroutines. They can differ from the pure-Go build's in the last bits
// (another summation order), and from one CPU kind to another (OpenBLAS
// picks its kernels at run time).

// openblasRowBlock is the number of rows of C per OpenBLAS call.
const openblasRowBlock = 64

// BLASBackend names the float32 gemm this binary was built with: "pure-go",
// or "openblas" with -tags openblas.
func BLASBackend() string { return "openblas" }

// sgemmBackend computes C = op(A)·op(B) + beta·C in float32 for row-major
// matrices, like sgemm, with OpenBLAS. When beta is 0, C is not read.
func sgemmBackend(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 { // only scales C
		sgemm(tA, tB, m, n, k, a, lda, b, ldb, beta, c, ldc)
		return
	}
	jobs := (m + openblasRowBlock - 1) / openblasRowBlock
	workers := 1
	if m*n*k >= sgemmParallelWork {
		workers = min(runtime.GOMAXPROCS(0), jobs)
	}
	forEachJob(jobs, workers, func(_, job int) {
		i0 := job * openblasRowBlock
		rows := min(openblasRowBlock, m-i0)
		ai := i0 * lda // rows i0.. of A, or columns i0.. of the stored Aᵀ
		if tA {
			ai = i0
		}
		openblas.Sgemm(tA, tB, rows, n, k, a[ai:], lda, b, ldb, beta, c[i0*ldc:], ldc)
	})
}

// sgemmBiasBackend computes C = op(A)·op(B) + bias (bias broadcast over the
// rows of C) with OpenBLAS: C's rows are set to the bias, then accumulated
// into with beta 1.
func sgemmBiasBackend(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, bias, c []float32, ldc int) {
	for i := range m {
		copy(c[i*ldc:i*ldc+n], bias[:n])
	}
	sgemmBackend(tA, tB, m, n, k, a, lda, b, ldb, 1, c, ldc)
}
