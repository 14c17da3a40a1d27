package tsne

import (
	"cmp"
	"fmt"
	"slices"
)

// Trustworthiness is sklearn.manifold.trustworthiness with Euclidean
// distances: 1 − 2/(n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^emb(i) \ N_k^in(i)} (r(i,j) − k),
// where r(i,j) is the rank of j among i's neighbours in the input space.
// Ties are broken by the lower index. It needs k < n/2.
func Trustworthiness(x [][]float64, emb [][2]float64, k int) (float64, error) {
	n := len(x)
	if len(emb) != n {
		return 0, fmt.Errorf("tsne: %d input rows but %d embedded", n, len(emb))
	}
	if k < 1 || 2*k >= n {
		return 0, fmt.Errorf("tsne: trustworthiness needs 1 <= k < n/2, got k=%d n=%d", k, n)
	}
	type nd struct {
		j int
		d float64
	}
	order := func(dist func(j int) float64, i int) []nd {
		r := make([]nd, 0, n-1)
		for j := 0; j < n; j++ {
			if j != i {
				r = append(r, nd{j, dist(j)})
			}
		}
		slices.SortFunc(r, func(a, b nd) int {
			if c := cmp.Compare(a.d, b.d); c != 0 {
				return c
			}
			return a.j - b.j
		})
		return r
	}
	rank := make([]int, n)
	sum := 0.0
	for i := 0; i < n; i++ {
		in := order(func(j int) float64 { return sqDist(x[i], x[j]) }, i)
		for r, e := range in {
			rank[e.j] = r + 1
		}
		out := order(func(j int) float64 {
			dx, dy := emb[i][0]-emb[j][0], emb[i][1]-emb[j][1]
			return dx*dx + dy*dy
		}, i)
		for _, e := range out[:k] {
			if r := rank[e.j] - k; r > 0 {
				sum += float64(r)
			}
		}
	}
	nf, kf := float64(n), float64(k)
	return 1 - sum*2/(nf*kf*(2*nf-3*kf-1)), nil
}
