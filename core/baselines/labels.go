package baselines

import (
	"fmt"
	"math"
)

// canonical renumbers labels by first appearance: the first sample's
// cluster becomes 0, the next new cluster met becomes 1, and so on. It
// returns the new labels and, for every new label, the old one.
func canonical(labels []int) (out []int, old []int) {
	seen := map[int]int{}
	out = make([]int, len(labels))
	for i, l := range labels {
		id, ok := seen[l]
		if !ok {
			id = len(seen)
			seen[l] = id
			old = append(old, l)
		}
		out[i] = id
	}
	return out, old
}

// checkMatrix validates that x has n >= k >= 1 rows of equal, non-zero
// length with finite values, and returns the row length.
func checkMatrix(x [][]float64, k int) (int, error) {
	if k < 1 {
		return 0, fmt.Errorf("baselines: k = %d must be >= 1", k)
	}
	if len(x) < k {
		return 0, fmt.Errorf("baselines: %d points for k = %d clusters", len(x), k)
	}
	d := len(x[0])
	if d == 0 {
		return 0, fmt.Errorf("baselines: point 0 has no dimensions")
	}
	for i, row := range x {
		if len(row) != d {
			return 0, fmt.Errorf("baselines: point %d has %d dimensions, want %d", i, len(row), d)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("baselines: point %d dimension %d is %v", i, j, v)
			}
		}
	}
	return d, nil
}

func sqDist(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		d := v - b[i]
		s += d * d
	}
	return s
}
