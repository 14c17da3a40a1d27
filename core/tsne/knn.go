package tsne

// exactKNN returns, for each point, its k nearest other points by
// Euclidean distance (brute force) as flat n×k arrays of indices and
// SQUARED distances, nearest first, ties broken by the lower index.
func exactKNN(x [][]float64, k, workers int) (nbr []int, dist []float64) {
	n := len(x)
	nbr = make([]int, n*k)
	dist = make([]float64, n*k)
	parallelRange(n, workers, func(lo, hi int) {
		h := neighbourHeap{idx: make([]int, 0, k), d: make([]float64, 0, k)}
		for i := lo; i < hi; i++ {
			h.idx, h.d = h.idx[:0], h.d[:0]
			for j := 0; j < n; j++ {
				if j == i {
					continue
				}
				d := sqDist(x[i], x[j])
				if len(h.idx) < k {
					h.push(j, d)
				} else if h.closer(j, d, 0) {
					h.replaceTop(j, d)
				}
			}
			// Pop from the worst down to fill the row from the end.
			for t := k - 1; t >= 0; t-- {
				nbr[i*k+t], dist[i*k+t] = h.idx[0], h.d[0]
				h.pop()
			}
		}
	})
	return nbr, dist
}

// neighbourHeap is a max-heap on (distance, index): the root is the worst
// of the kept neighbours.
type neighbourHeap struct {
	idx []int
	d   []float64
}

// closer reports whether (j, d) is nearer than the element at position at.
func (h *neighbourHeap) closer(j int, d float64, at int) bool {
	return d < h.d[at] || (d == h.d[at] && j < h.idx[at])
}

func (h *neighbourHeap) greater(a, b int) bool {
	return h.d[a] > h.d[b] || (h.d[a] == h.d[b] && h.idx[a] > h.idx[b])
}

func (h *neighbourHeap) swap(a, b int) {
	h.idx[a], h.idx[b] = h.idx[b], h.idx[a]
	h.d[a], h.d[b] = h.d[b], h.d[a]
}

func (h *neighbourHeap) push(j int, d float64) {
	h.idx = append(h.idx, j)
	h.d = append(h.d, d)
	for c := len(h.idx) - 1; c > 0; {
		p := (c - 1) / 2
		if !h.greater(c, p) {
			break
		}
		h.swap(c, p)
		c = p
	}
}

func (h *neighbourHeap) replaceTop(j int, d float64) {
	h.idx[0], h.d[0] = j, d
	h.down(0)
}

func (h *neighbourHeap) pop() {
	last := len(h.idx) - 1
	h.swap(0, last)
	h.idx, h.d = h.idx[:last], h.d[:last]
	h.down(0)
}

func (h *neighbourHeap) down(p int) {
	n := len(h.idx)
	for {
		c := 2*p + 1
		if c >= n {
			return
		}
		if c+1 < n && h.greater(c+1, c) {
			c++
		}
		if !h.greater(c, p) {
			return
		}
		h.swap(c, p)
		p = c
	}
}
