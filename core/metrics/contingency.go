package metrics

import (
	"math"
	"math/big"
	"slices"
)

// contingency is the sparse contingency table of two labelings, with
// classes (true labels) and clusters (predicted labels) renumbered densely
// in increasing label order, like numpy.unique does.
type contingency struct {
	nClasses, nClusters int
	// cells lists the non-zero cells in row-major (class, cluster) order.
	cells []cell
	// classSize[c] and clusterSize[k] are the row and column sums.
	classSize, clusterSize []int64
	n                      int64
}

type cell struct {
	class, cluster int
	count          int64
}

// denseIndex renumbers labels to 0..m-1 in increasing label order.
func denseIndex(labels []int) (idx []int, m int) {
	uniq := slices.Clone(labels)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	idx = make([]int, len(labels))
	for i, l := range labels {
		idx[i], _ = slices.BinarySearch(uniq, l)
	}
	return idx, len(uniq)
}

func newContingency(yTrue, yPred []int) contingency {
	ti, nt := denseIndex(yTrue)
	pi, np := denseIndex(yPred)
	counts := make(map[[2]int]int64, nt+np)
	c := contingency{nClasses: nt, nClusters: np,
		classSize: make([]int64, nt), clusterSize: make([]int64, np), n: int64(len(yTrue))}
	for s := range ti {
		counts[[2]int{ti[s], pi[s]}]++
		c.classSize[ti[s]]++
		c.clusterSize[pi[s]]++
	}
	for k, v := range counts {
		c.cells = append(c.cells, cell{class: k[0], cluster: k[1], count: v})
	}
	slices.SortFunc(c.cells, func(a, b cell) int {
		if a.class != b.class {
			return a.class - b.class
		}
		return a.cluster - b.cluster
	})
	return c
}

// mutualInfo is sklearn.metrics.mutual_info_score (natural log) computed
// term by term like scikit-learn 1.2: terms with |x| < eps are zeroed and the
// sum is clipped at 0.
func (c contingency) mutualInfo() float64 {
	if c.nClasses == 1 || c.nClusters == 1 || c.n == 0 {
		return 0
	}
	total := float64(c.n)
	logTotal := math.Log(total)
	var sumRows, sumCols int64
	for _, v := range c.classSize {
		sumRows += v
	}
	for _, v := range c.clusterSize {
		sumCols += v
	}
	logRows, logCols := math.Log(float64(sumRows)), math.Log(float64(sumCols))
	eps := math.Nextafter(1, 2) - 1
	mi := 0.0
	for _, x := range c.cells {
		nij := float64(x.count)
		pij := nij / total
		outer := float64(c.classSize[x.class] * c.clusterSize[x.cluster])
		logOuter := -math.Log(outer) + logRows + logCols
		term := pij*(math.Log(nij)-logTotal) + pij*logOuter
		if math.Abs(term) < eps {
			term = 0
		}
		mi += term
	}
	return max(mi, 0)
}

// entropy is sklearn's entropy of one labeling given its group sizes.
func entropy(sizes []int64) float64 {
	if len(sizes) <= 1 {
		return 0
	}
	var sum int64
	for _, v := range sizes {
		sum += v
	}
	s := float64(sum)
	logSum := math.Log(s)
	h := 0.0
	for _, v := range sizes {
		f := float64(v)
		h += (f / s) * (math.Log(f) - logSum)
	}
	return -h
}

// NMI is sklearn.metrics.normalized_mutual_info_score with the arithmetic
// mean normaliser and natural log (scikit-learn 1.2 semantics): 1.0 when
// both labelings have exactly one class or are both empty, 0.0 when the
// mutual information is 0. It panics if the lengths differ; ClusterScores
// checks them.
func NMI(yTrue, yPred []int) float64 {
	mustSameLen(yTrue, yPred)
	c := newContingency(yTrue, yPred)
	if (c.nClasses == 1 && c.nClusters == 1) || (c.nClasses == 0 && c.nClusters == 0) {
		return 1
	}
	mi := c.mutualInfo()
	if mi == 0 {
		return 0
	}
	hTrue, hPred := entropy(c.classSize), entropy(c.clusterSize)
	normaliser := (hTrue + hPred) / 2
	return mi / normaliser
}

// ARI is sklearn.metrics.adjusted_rand_score (scikit-learn 1.2): it is
// computed from the pair confusion matrix with exact integers, 1.0 when
// there are no false-positive and no false-negative pairs (including empty
// input), else 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)).
func ARI(yTrue, yPred []int) float64 {
	mustSameLen(yTrue, yPred)
	c := newContingency(yTrue, yPred)
	var sumSquares int64
	for _, x := range c.cells {
		sumSquares += x.count * x.count
	}
	// contingency.dot(n_k).sum() = Σ_cells n_ij·n_k(j), likewise for rows.
	var dotCols, dotRows int64
	for _, x := range c.cells {
		dotCols += x.count * c.clusterSize[x.cluster]
		dotRows += x.count * c.classSize[x.class]
	}
	tp := big.NewInt(sumSquares - c.n)
	fp := big.NewInt(dotCols - sumSquares)
	fn := big.NewInt(dotRows - sumSquares)
	nn := new(big.Int).Mul(big.NewInt(c.n), big.NewInt(c.n))
	tn := new(big.Int).Sub(nn, fp)
	tn.Sub(tn, fn).Sub(tn, big.NewInt(sumSquares))
	if fn.Sign() == 0 && fp.Sign() == 0 {
		return 1
	}
	num := new(big.Int).Sub(new(big.Int).Mul(tp, tn), new(big.Int).Mul(fn, fp))
	d1 := new(big.Int).Mul(new(big.Int).Add(tp, fn), new(big.Int).Add(fn, tn))
	d2 := new(big.Int).Mul(new(big.Int).Add(tp, fp), new(big.Int).Add(fp, tn))
	den := d1.Add(d1, d2)
	// Python: 2.0 * int / int rounds each int to the nearest float64 first.
	return (2.0 * bigToFloat(num)) / bigToFloat(den)
}

func bigToFloat(x *big.Int) float64 {
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}

func mustSameLen(a, b []int) {
	if len(a) != len(b) {
		panic("metrics: labelings of different lengths")
	}
}
