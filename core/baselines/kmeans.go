package baselines

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
)

// KMeansParams configures KMeansFit. The zero value means scikit-learn's
// KMeans defaults: 10 runs, at most 300 Lloyd iterations each, tolerance
// 1e-4, GOMAXPROCS workers.
type KMeansParams struct {
	// NInit is the number of seeded runs; the lowest-inertia one wins
	// (ties: the lower run index). 0: 10.
	NInit int
	// MaxIter bounds the Lloyd iterations of one run. 0: 300.
	MaxIter int
	// Tol stops a run when the summed squared centre shift is at most
	// Tol × (mean per-dimension variance of x). 0: 1e-4; negative: stop
	// only when no assignment changes.
	Tol float64
	// Workers runs that many seeded runs concurrently (results do not
	// depend on it). 0: GOMAXPROCS.
	Workers int
}

func (p KMeansParams) withDefaults() KMeansParams {
	if p.NInit == 0 {
		p.NInit = 10
	}
	if p.MaxIter == 0 {
		p.MaxIter = 300
	}
	if p.Tol == 0 {
		p.Tol = 1e-4
	}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	return p
}

// KMeansResult is the best run of KMeansFit. Labels are numbered by first
// appearance and Centers[c] is the centre of cluster c.
type KMeansResult struct {
	Labels  []int
	Centers [][]float64
	// Inertia is the sum of squared distances of points to their centre.
	Inertia float64
	// Run is the index of the winning run, Iters its Lloyd iterations.
	Run, Iters int
}

// KMeans clusters the rows of x into k clusters (see KMeansFit) and returns
// the labels, numbered by first appearance.
func KMeans(x [][]float64, k int, seed uint64, p KMeansParams) ([]int, error) {
	r, err := KMeansFit(x, k, seed, p)
	return r.Labels, err
}

// KMeansFit runs p.NInit k-means runs on the rows of x and returns the one
// with the lowest inertia. Run r draws from PCG(seed, r): greedy k-means++
// seeding (each new centre is the best, by resulting inertia, of
// 2+⌊ln k⌋ candidates sampled with probability ∝ D²), then Lloyd
// iterations until no label changes or the centre shift is within
// tolerance. A cluster left empty is re-seeded with the point farthest from
// its centre (lowest index on ties). The result is identical for any
// Workers.
func KMeansFit(x [][]float64, k int, seed uint64, p KMeansParams) (KMeansResult, error) {
	dim, err := checkMatrix(x, k)
	if err != nil {
		return KMeansResult{}, err
	}
	if p.NInit < 0 || p.MaxIter < 0 {
		return KMeansResult{}, fmt.Errorf("baselines: k-means NInit %d and MaxIter %d must be >= 0", p.NInit, p.MaxIter)
	}
	p = p.withDefaults()
	tol := 0.0
	if p.Tol > 0 {
		tol = p.Tol * meanVariance(x, dim)
	}
	runs := make([]KMeansResult, p.NInit)
	_ = forEach(p.NInit, p.Workers, func(_ int) func(int) error {
		return func(r int) error {
			rng := rand.New(rand.NewPCG(seed, uint64(r)))
			runs[r] = lloyd(x, kmeansPlusPlus(x, k, rng), p.MaxIter, tol)
			runs[r].Run = r
			return nil
		}
	})
	best := 0
	for r := range runs {
		if runs[r].Inertia < runs[best].Inertia {
			best = r
		}
	}
	res := runs[best]
	labels, old := canonical(res.Labels)
	centers := make([][]float64, 0, k)
	for _, o := range old {
		centers = append(centers, res.Centers[o])
	}
	res.Labels, res.Centers = labels, centers
	return res, nil
}

// meanVariance is the mean over dimensions of the population variance.
func meanVariance(x [][]float64, dim int) float64 {
	var total float64
	for d := range dim {
		var s, sq float64
		for _, row := range x {
			s += row[d]
			sq += row[d] * row[d]
		}
		m := s / float64(len(x))
		total += max(sq/float64(len(x))-m*m, 0)
	}
	return total / float64(dim)
}

// kmeansPlusPlus returns k initial centres chosen by greedy k-means++.
func kmeansPlusPlus(x [][]float64, k int, rng *rand.Rand) [][]float64 {
	n := len(x)
	trials := 2 + int(math.Log(float64(k)))
	centers := [][]float64{slices.Clone(x[rng.IntN(n)])}
	closest := make([]float64, n)
	for i, row := range x {
		closest[i] = sqDist(row, centers[0])
	}
	cand := make([]float64, n)
	bestD := make([]float64, n)
	for len(centers) < k {
		total := 0.0
		for _, v := range closest {
			total += v
		}
		bestIdx, bestPot := -1, math.Inf(1)
		for range trials {
			c := sampleIndex(closest, total, rng)
			pot := 0.0
			for i, row := range x {
				cand[i] = min(closest[i], sqDist(row, x[c]))
				pot += cand[i]
			}
			if pot < bestPot {
				bestIdx, bestPot = c, pot
				copy(bestD, cand)
			}
		}
		centers = append(centers, slices.Clone(x[bestIdx]))
		copy(closest, bestD)
	}
	return centers
}

// sampleIndex draws i with probability weight[i]/total (uniformly when
// total is 0).
func sampleIndex(weight []float64, total float64, rng *rand.Rand) int {
	if !(total > 0) {
		return rng.IntN(len(weight))
	}
	u := rng.Float64() * total
	acc := 0.0
	last := 0
	for i, w := range weight {
		if w <= 0 {
			continue
		}
		acc += w
		last = i
		if u < acc {
			return i
		}
	}
	return last
}

// lloyd refines centers in place and returns the run's result.
func lloyd(x [][]float64, centers [][]float64, maxIter int, tol float64) KMeansResult {
	n, k, dim := len(x), len(centers), len(x[0])
	labels := make([]int, n)
	for i := range labels {
		labels[i] = -1
	}
	dist := make([]float64, n)
	sums := make([][]float64, k)
	for c := range sums {
		sums[c] = make([]float64, dim)
	}
	counts := make([]int, k)
	iters := 0
	for iters < maxIter {
		iters++
		changed := assign(x, centers, labels, dist)
		if !changed && iters > 1 {
			break
		}
		for c := range k {
			clear(sums[c])
			counts[c] = 0
		}
		for i, row := range x {
			c := labels[i]
			counts[c]++
			for d, v := range row {
				sums[c][d] += v
			}
		}
		shift := 0.0
		for c := range k {
			if counts[c] == 0 {
				// Re-seed an empty cluster at the worst-served point.
				far := 0
				for i := range dist {
					if dist[i] > dist[far] {
						far = i
					}
				}
				shift += sqDist(centers[c], x[far])
				copy(centers[c], x[far])
				dist[far] = 0
				continue
			}
			inv := 1 / float64(counts[c])
			for d := range dim {
				v := sums[c][d] * inv
				diff := v - centers[c][d]
				shift += diff * diff
				centers[c][d] = v
			}
		}
		if shift <= tol {
			break
		}
	}
	// Final assignment step, so labels, distances and inertia match the
	// returned centres whichever way the loop ended.
	assign(x, centers, labels, dist)
	inertia := 0.0
	for _, v := range dist {
		inertia += v
	}
	return KMeansResult{Labels: labels, Centers: centers, Inertia: inertia, Iters: iters}
}

// assign sets every label to its nearest centre (lowest index on ties) and
// reports whether any label changed.
func assign(x, centers [][]float64, labels []int, dist []float64) bool {
	changed := false
	for i, row := range x {
		best, bd := 0, math.Inf(1)
		for c, ctr := range centers {
			if d := sqDist(row, ctr); d < bd {
				best, bd = c, d
			}
		}
		if labels[i] != best {
			labels[i] = best
			changed = true
		}
		dist[i] = bd
	}
	return changed
}
