package tsne

import (
	"cmp"
	"math"
	"slices"
)

const (
	perplexityTol     = 1e-5
	perplexitySteps   = 100
	minProbabilitySum = 1e-8
)

// conditionalRow fills out[j] = p_{j|i} for the squared distances d (the
// point itself excluded by the caller) so that the row's entropy (natural
// log) equals log(perplexity), by binary search on the precision beta.
func conditionalRow(d []float64, perplexity float64, out []float64) {
	desired := math.Log(perplexity)
	beta, betaMin, betaMax := 1.0, math.Inf(-1), math.Inf(1)
	for step := 0; step < perplexitySteps; step++ {
		sum := 0.0
		for j, v := range d {
			out[j] = math.Exp(-v * beta)
			sum += out[j]
		}
		if sum == 0 {
			sum = minProbabilitySum
		}
		weighted := 0.0
		for j, v := range d {
			out[j] /= sum
			weighted += v * out[j]
		}
		diff := math.Log(sum) + beta*weighted - desired
		if math.Abs(diff) <= perplexityTol {
			return
		}
		if diff > 0 {
			betaMin = beta
			if math.IsInf(betaMax, 1) {
				beta *= 2
			} else {
				beta = (beta + betaMax) / 2
			}
		} else {
			betaMax = beta
			if math.IsInf(betaMin, -1) {
				beta /= 2
			} else {
				beta = (beta + betaMin) / 2
			}
		}
	}
}

func sqDist(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		d := a[k] - b[k]
		s += d * d
	}
	return s
}

// denseP returns the symmetric joint probabilities P (n×n, row-major) of
// the exact method: (P_cond + P_condᵀ) / Σ, floored at machine epsilon off
// the diagonal.
func denseP(x [][]float64, perplexity float64, workers int) []float64 {
	n := len(x)
	cond := make([]float64, n*n)
	parallelRange(n, workers, func(lo, hi int) {
		d := make([]float64, n-1)
		row := make([]float64, n-1)
		for i := lo; i < hi; i++ {
			k := 0
			for j := 0; j < n; j++ {
				if j != i {
					d[k] = sqDist(x[i], x[j])
					k++
				}
			}
			conditionalRow(d, perplexity, row)
			k = 0
			for j := 0; j < n; j++ {
				if j != i {
					cond[i*n+j] = row[k]
					k++
				}
			}
		}
	})
	p := make([]float64, n*n)
	sum := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p[i*n+j] = cond[i*n+j] + cond[j*n+i]
			sum += p[i*n+j]
		}
	}
	sum = max(sum, machineEps)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				p[i*n+j] = max(p[i*n+j]/sum, machineEps)
			}
		}
	}
	return p
}

var machineEps = math.Nextafter(1, 2) - 1

// sparseP is a symmetric sparse matrix in CSR form.
type sparseP struct {
	rowPtr []int
	cols   []int
	vals   []float64
}

// knnP returns the symmetric joint probabilities restricted to each
// point's k nearest neighbours: (P_cond + P_condᵀ) / Σ.
func knnP(x [][]float64, perplexity float64, k, workers int) sparseP {
	n := len(x)
	nbr, dist := exactKNN(x, k, workers)
	cond := make([]float64, n*k)
	parallelRange(n, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			conditionalRow(dist[i*k:(i+1)*k], perplexity, cond[i*k:(i+1)*k])
		}
	})
	// Symmetrise: collect (i, j, v) and (j, i, v) per row, merge duplicates.
	type entry struct {
		col int
		val float64
	}
	rows := make([][]entry, n)
	for i := 0; i < n; i++ {
		for t := 0; t < k; t++ {
			j, v := nbr[i*k+t], cond[i*k+t]
			rows[i] = append(rows[i], entry{j, v})
			rows[j] = append(rows[j], entry{i, v})
		}
	}
	var s sparseP
	s.rowPtr = make([]int, n+1)
	total := 0.0
	for i := 0; i < n; i++ {
		r := rows[i]
		slices.SortStableFunc(r, func(a, b entry) int { return cmp.Compare(a.col, b.col) })
		for t := 0; t < len(r); t++ {
			if len(s.cols) > s.rowPtr[i] && s.cols[len(s.cols)-1] == r[t].col {
				s.vals[len(s.vals)-1] += r[t].val
			} else {
				s.cols = append(s.cols, r[t].col)
				s.vals = append(s.vals, r[t].val)
			}
		}
		s.rowPtr[i+1] = len(s.cols)
	}
	for _, v := range s.vals {
		total += v
	}
	total = max(total, machineEps)
	for t := range s.vals {
		s.vals[t] /= total
	}
	return s
}
