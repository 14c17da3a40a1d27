package mgvit

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Register-tile and cache-block sizes of sgemm. A micro-kernel call
// computes an sgemmMR×sgemmNR tile of C over at most sgemmKC steps of the
// inner dimension; sgemmMC rows of A are packed per job.
const (
	sgemmMR = 6
	sgemmNR = 16
	sgemmKC = 256
	sgemmMC = 16 * sgemmMR
	// sgemmParallelWork is the m·n·k below which sgemm stays on the
	// calling goroutine.
	sgemmParallelWork = 1 << 18
	// sgemmParallelPack is the n·kc from which B is packed in parallel.
	sgemmParallelPack = 1 << 17
)

// sgemm computes C = op(A)·op(B) + beta·C in float32 for row-major
// matrices, like gemm. Every element of C is one float32 sum over the inner
// dimension in increasing order, accumulated with a fused multiply-add where
// the CPU has one (the pure-Go kernel rounds the product first), starting
// from beta·C. Work is split over blocks of rows and columns of C, never
// over the inner dimension, so results do not depend on the number of
// goroutines. When beta is 0, C is not read.
func sgemm(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmInto(tA, tB, m, n, k, a, lda, b, ldb, beta, nil, c, ldc)
}

// sgemmBias computes C = op(A)·op(B) + bias, bias broadcast over the rows
// of C: every element is one float32 sum that starts from its bias and adds
// the products in increasing order. C is not read.
func sgemmBias(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, bias, c []float32, ldc int) {
	sgemmInto(tA, tB, m, n, k, a, lda, b, ldb, 0, bias[:n], c, ldc)
}

// sgemmInto is sgemm, and sgemmBias when bias is not nil (beta is then 0):
// a tile's first pass over the inner dimension starts from the bias,
// written into the tile just before the micro-kernel loads it, so the bias
// costs no pass of its own over C.
func sgemmInto(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, bias, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if bias != nil && k == 0 {
		for i := range m {
			copy(c[i*ldc:i*ldc+n], bias)
		}
		return
	}
	if beta != 0 && beta != 1 {
		for i := range m {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
	}
	if k == 0 {
		if beta == 0 {
			for i := range m {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	nPanels := (n + sgemmNR - 1) / sgemmNR
	rowJobs := (m + sgemmMC - 1) / sgemmMC
	procs := 1
	if m*n*k >= sgemmParallelWork {
		procs = runtime.GOMAXPROCS(0)
	}
	// When the row blocks cannot keep the goroutines evenly busy (a short,
	// wide C), they are also split by columns into groups of panels: the
	// fewest groups that make the job count a multiple of the goroutines
	// or plentiful. Each group packs its rows of A again.
	colJobs := 1
	for procs > 1 && colJobs < nPanels && (rowJobs*colJobs)%procs != 0 && rowJobs*colJobs < 4*procs {
		colJobs++
	}
	panelsPerJob := (nPanels + colJobs - 1) / colJobs
	colJobs = (nPanels + panelsPerJob - 1) / panelsPerJob
	jobs := rowJobs * colJobs
	workers := min(procs, jobs)
	kc := min(k, sgemmKC)
	buf := packBuffers.Get().(*[]float32)
	defer packBuffers.Put(buf)
	need := nPanels*sgemmNR*kc + workers*sgemmMC*kc
	if cap(*buf) < need {
		*buf = make([]float32, need)
	}
	bPack := (*buf)[:nPanels*sgemmNR*kc]
	aPacks := (*buf)[nPanels*sgemmNR*kc : need]
	packWorkers := 1
	if n*kc >= sgemmParallelPack {
		packWorkers = min(workers, nPanels)
	}
	for k0 := 0; k0 < k; k0 += sgemmKC {
		kc := min(sgemmKC, k-k0)
		load := k0 > 0 || beta != 0
		fillBias := k0 == 0 && bias != nil
		forEachJob(nPanels, packWorkers, func(_, p int) {
			packB(tB, b, ldb, p*sgemmNR, min(sgemmNR, n-p*sgemmNR), k0, kc, bPack[p*sgemmNR*kc:(p+1)*sgemmNR*kc])
		})
		forEachJob(jobs, workers, func(worker, job int) {
			aPack := aPacks[worker*sgemmMC*kc : (worker+1)*sgemmMC*kc]
			i0 := (job / colJobs) * sgemmMC
			q0 := (job % colJobs) * panelsPerJob
			rows := min(sgemmMC, m-i0)
			aPanels := (rows + sgemmMR - 1) / sgemmMR
			for p := range aPanels {
				packA(tA, a, lda, i0+p*sgemmMR, min(sgemmMR, rows-p*sgemmMR), k0, kc, aPack[p*sgemmMR*kc:(p+1)*sgemmMR*kc])
			}
			var edge [sgemmMR * sgemmNR]float32
			for q := q0; q < min(nPanels, q0+panelsPerJob); q++ {
				j0 := q * sgemmNR
				cols := min(sgemmNR, n-j0)
				bp := bPack[q*sgemmNR*kc : (q+1)*sgemmNR*kc]
				for p := 0; p < aPanels; p++ {
					r0 := i0 + p*sgemmMR
					mr := min(sgemmMR, m-r0)
					ap := aPack[p*sgemmMR*kc : (p+1)*sgemmMR*kc]
					if mr == sgemmMR && cols == sgemmNR {
						// Two full tiles at once where the AVX-512 kernel runs.
						pair := hasAVX512 && p+1 < aPanels && r0+2*sgemmMR <= m
						tileRows := sgemmMR
						if pair {
							tileRows = 2 * sgemmMR
						}
						if fillBias {
							for i := range tileRows {
								*(*[sgemmNR]float32)(c[(r0+i)*ldc+j0:]) = *(*[sgemmNR]float32)(bias[j0:])
							}
						}
						if pair && sgemmTile2(kc, ap, aPack[(p+1)*sgemmMR*kc:(p+2)*sgemmMR*kc], bp, c[r0*ldc+j0:], ldc, load || fillBias) {
							p++
							continue
						}
						sgemmTile(kc, ap, bp, c[r0*ldc+j0:], ldc, load || fillBias)
						continue
					}
					if fillBias {
						for i := range mr {
							copy(edge[i*sgemmNR:i*sgemmNR+cols], bias[j0:j0+cols])
						}
					} else if load {
						for i := range mr {
							copy(edge[i*sgemmNR:i*sgemmNR+cols], c[(r0+i)*ldc+j0:(r0+i)*ldc+j0+cols])
						}
					}
					sgemmTile(kc, ap, bp, edge[:], sgemmNR, load || fillBias)
					for i := range mr {
						copy(c[(r0+i)*ldc+j0:(r0+i)*ldc+j0+cols], edge[i*sgemmNR:i*sgemmNR+cols])
					}
				}
			}
		})
	}
}

// packBuffers recycles sgemm's packing buffers (every packed value is
// written before it is read, so their contents never matter).
var packBuffers = sync.Pool{New: func() any { return new([]float32) }}

// packA copies rows [i0, i0+mr) and inner steps [k0, k0+kc) of op(A) into
// dst as kc groups of sgemmMR values (zero padded past mr).
func packA(tA bool, a []float32, lda, i0, mr, k0, kc int, dst []float32) {
	if mr < sgemmMR {
		clear(dst[:kc*sgemmMR])
	}
	if tA { // op(A)[i,kk] = a[kk*lda+i]
		if mr == sgemmMR && packRows(dst, a[k0*lda+i0:], lda, kc, sgemmMR) {
			return
		}
		for kk := range kc {
			src := a[(k0+kk)*lda+i0 : (k0+kk)*lda+i0+mr]
			copy(dst[kk*sgemmMR:kk*sgemmMR+mr], src)
		}
		return
	}
	if mr == sgemmMR { // six rows read side by side, dst written in order
		r0 := a[i0*lda+k0 : i0*lda+k0+kc]
		r1 := a[(i0+1)*lda+k0:][:len(r0)]
		r2 := a[(i0+2)*lda+k0:][:len(r0)]
		r3 := a[(i0+3)*lda+k0:][:len(r0)]
		r4 := a[(i0+4)*lda+k0:][:len(r0)]
		r5 := a[(i0+5)*lda+k0:][:len(r0)]
		for kk := range r0 {
			o := (*[sgemmMR]float32)(dst[kk*sgemmMR:])
			o[0], o[1], o[2], o[3], o[4], o[5] = r0[kk], r1[kk], r2[kk], r3[kk], r4[kk], r5[kk]
		}
		return
	}
	for i := range mr {
		src := a[(i0+i)*lda+k0 : (i0+i)*lda+k0+kc]
		for kk, v := range src {
			dst[kk*sgemmMR+i] = v
		}
	}
}

// packB copies inner steps [k0, k0+kc) and columns [j0, j0+nr) of op(B)
// into dst as kc groups of sgemmNR values (zero padded past nr).
func packB(tB bool, b []float32, ldb, j0, nr, k0, kc int, dst []float32) {
	if nr < sgemmNR {
		clear(dst[:kc*sgemmNR])
	}
	if !tB { // op(B)[kk,j] = b[kk*ldb+j]
		if nr == sgemmNR && packRows(dst, b[k0*ldb+j0:], ldb, kc, sgemmNR) {
			return
		}
		for kk := range kc {
			copy(dst[kk*sgemmNR:kk*sgemmNR+nr], b[(k0+kk)*ldb+j0:(k0+kk)*ldb+j0+nr])
		}
		return
	}
	done := 0
	if nr == sgemmNR && packBTransposed8(b, ldb, j0, k0, kc&^7, dst) {
		done = kc &^ 7
	}
	for j := range nr {
		src := b[(j0+j)*ldb+k0+done : (j0+j)*ldb+k0+kc]
		for kk, v := range src {
			dst[(done+kk)*sgemmNR+j] = v
		}
	}
}

// sgemmTileGo is the portable micro-kernel: c[i*ldc+j] (i < sgemmMR,
// j < sgemmNR) = (load ? c : 0) + Σ_kk a[kk*MR+i]·b[kk*NR+j], summed in kk
// order.
func sgemmTileGo(k int, a, b, c []float32, ldc int, load bool) {
	var acc [sgemmMR][sgemmNR]float32
	if load {
		for i := range sgemmMR {
			copy(acc[i][:], c[i*ldc:i*ldc+sgemmNR])
		}
	}
	for kk := range k {
		bv := (*[sgemmNR]float32)(b[kk*sgemmNR : (kk+1)*sgemmNR])
		av := (*[sgemmMR]float32)(a[kk*sgemmMR : (kk+1)*sgemmMR])
		for i, x := range av {
			row := &acc[i]
			for j, y := range bv {
				row[j] += x * y
			}
		}
	}
	for i := range sgemmMR {
		copy(c[i*ldc:i*ldc+sgemmNR], acc[i][:])
	}
}

// forEachJob runs fn for jobs [0, n) on the given number of goroutines,
// passing each a worker index in [0, workers) for its scratch. Jobs must
// write disjoint outputs; which worker runs a job does not change results.
func forEachJob(n, workers int, fn func(worker, job int)) {
	if workers <= 1 || n <= 1 {
		for j := range n {
			fn(0, j)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1)) - 1
				if j >= n {
					return
				}
				fn(w, j)
			}
		}()
	}
	wg.Wait()
}
