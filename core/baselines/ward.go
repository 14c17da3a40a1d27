package baselines

import (
	"fmt"
	"math"
	"slices"
)

// Merge is one step of a dendrogram, as a row of scipy's linkage matrix:
// clusters A < B merged at Height into a cluster of Size points. Ids
// 0..n−1 are the input points; merge i (0-based, in the returned order)
// creates cluster n+i.
type Merge struct {
	A, B   int
	Height float64
	Size   int
}

// WardLinkage returns the n−1 merges of Ward-linkage agglomerative
// clustering of the rows of x, sorted by height (stable, so equal heights
// keep the order the nearest-neighbour chain found them in).
//
// Algorithm: nearest-neighbour chain on squared Ward distances with the
// Lance–Williams update
//
//	d²(k, i∪j) = ((n_i+n_k)·d²(k,i) + (n_j+n_k)·d²(k,j) − n_k·d²(i,j)) / (n_i+n_j+n_k)
//
// starting from squared Euclidean distances; Height = sqrt(d²). Ward
// linkage is reducible, so the chain finds the same merges as the greedy
// "merge the closest pair" algorithm. Ties: a cluster's nearest neighbour is
// its predecessor on the chain when that is among the closest, otherwise the
// lowest-index closest cluster. O(n²) time and O(n²) memory.
func WardLinkage(x [][]float64) ([]Merge, error) {
	if _, err := checkMatrix(x, 1); err != nil {
		return nil, err
	}
	n := len(x)
	if n == 1 {
		return nil, nil
	}
	d := newCondensed(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			d.set(i, j, sqDist(x[i], x[j]))
		}
	}
	size := make([]int, n)
	for i := range size {
		size[i] = 1
	}
	active := make([]bool, n)
	for i := range active {
		active[i] = true
	}
	// raw merges name clusters by slot; slot i always holds point i as its
	// smallest member, so a slot is also a representative point.
	type rawMerge struct {
		lo, hi int
		h      float64
		size   int
	}
	raw := make([]rawMerge, 0, n-1)
	chain := make([]int, 0, n)
	for len(raw) < n-1 {
		if len(chain) == 0 {
			chain = append(chain, slices.Index(active, true))
		}
		var a, b int
		for {
			a = chain[len(chain)-1]
			b = -1
			best := math.Inf(1)
			if len(chain) >= 2 {
				b = chain[len(chain)-2]
				best = d.get(a, b)
			}
			for j := range n {
				if !active[j] || j == a {
					continue
				}
				if v := d.get(a, j); v < best {
					best, b = v, j
				}
			}
			if len(chain) >= 2 && b == chain[len(chain)-2] {
				break
			}
			chain = append(chain, b)
		}
		chain = chain[:len(chain)-2]
		lo, hi := min(a, b), max(a, b)
		dab := d.get(lo, hi)
		nl, nh := float64(size[lo]), float64(size[hi])
		for k := range n {
			if !active[k] || k == lo || k == hi {
				continue
			}
			nk := float64(size[k])
			v := ((nl+nk)*d.get(k, lo) + (nh+nk)*d.get(k, hi) - nk*dab) / (nl + nh + nk)
			d.set(k, lo, v)
		}
		active[hi] = false
		size[lo] += size[hi]
		raw = append(raw, rawMerge{lo, hi, math.Sqrt(max(dab, 0)), size[lo]})
	}
	slices.SortStableFunc(raw, func(p, q rawMerge) int {
		switch {
		case p.h < q.h:
			return -1
		case p.h > q.h:
			return 1
		}
		return 0
	})
	// Relabel slot pairs to scipy cluster ids with a union–find over points.
	parent := make([]int, n)
	clusterID := make([]int, n)
	for i := range parent {
		parent[i], clusterID[i] = i, i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	out := make([]Merge, len(raw))
	for i, m := range raw {
		ra, rb := find(m.lo), find(m.hi)
		ia, ib := clusterID[ra], clusterID[rb]
		out[i] = Merge{A: min(ia, ib), B: max(ia, ib), Height: m.h, Size: m.size}
		parent[rb] = ra
		clusterID[ra] = n + i
	}
	return out, nil
}

// CutTree returns the flat clustering of n points obtained by applying the
// first n−k merges of a WardLinkage dendrogram (the k-cluster cut of
// sklearn's AgglomerativeClustering), labelled by first appearance.
func CutTree(merges []Merge, n, k int) ([]int, error) {
	if len(merges) != n-1 && !(n == 0 && len(merges) == 0) {
		return nil, fmt.Errorf("baselines: %d merges for %d points, want %d", len(merges), n, n-1)
	}
	if k < 1 || k > n {
		return nil, fmt.Errorf("baselines: cannot cut %d points into k = %d clusters", n, k)
	}
	parent := make([]int, 2*n-1)
	for i := range parent {
		parent[i] = i
	}
	for i, m := range merges[:n-k] {
		if m.A < 0 || m.B >= n+i || m.A == m.B {
			return nil, fmt.Errorf("baselines: merge %d joins invalid clusters %d and %d", i, m.A, m.B)
		}
		parent[m.A], parent[m.B] = n+i, n+i
	}
	labels := make([]int, n)
	for i := range labels {
		r := i
		for parent[r] != r {
			r = parent[r]
		}
		labels[i] = r
	}
	out, _ := canonical(labels)
	return out, nil
}

// Ward clusters the rows of x into k clusters by Ward-linkage agglomerative
// clustering (WardLinkage then CutTree). Labels are numbered by first
// appearance.
func Ward(x [][]float64, k int) ([]int, error) {
	if _, err := checkMatrix(x, k); err != nil {
		return nil, err
	}
	m, err := WardLinkage(x)
	if err != nil {
		return nil, err
	}
	return CutTree(m, len(x), k)
}

// condensed is a symmetric n×n matrix without its diagonal, stored as the
// upper triangle row by row (scipy's condensed distance layout).
type condensed struct {
	n int
	v []float64
}

func newCondensed(n int) condensed { return condensed{n: n, v: make([]float64, n*(n-1)/2)} }

func (c condensed) idx(i, j int) int {
	if i > j {
		i, j = j, i
	}
	return i*(2*c.n-i-1)/2 + j - i - 1
}

func (c condensed) get(i, j int) float64    { return c.v[c.idx(i, j)] }
func (c condensed) set(i, j int, x float64) { c.v[c.idx(i, j)] = x }
