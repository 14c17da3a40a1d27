package sampler

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// Weighted draws indices with replacement, index i with probability
// weights[i]/sum(weights), like torch's WeightedRandomSampler with
// replacement=True. The zero value draws nothing.
type Weighted struct {
	cum []float64 // running sum of the weights
}

// NewWeighted builds a sampler over the given non-negative weights; at least
// one must be positive.
func NewWeighted(weights []float64) (Weighted, error) {
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		if w < 0 || w != w {
			return Weighted{}, fmt.Errorf("sampler: weight %d is %v, want >= 0", i, w)
		}
		total += w
		cum[i] = total
	}
	if total <= 0 {
		return Weighted{}, fmt.Errorf("sampler: all %d weights are zero", len(weights))
	}
	return Weighted{cum: cum}, nil
}

// Balanced returns the reference's weights for a data set where labeled[i]
// says whether sample i belongs to the labeled base set: 1 for labeled
// samples and n_lab/n_unl for unlabeled ones, so both halves are drawn
// equally often in expectation. Both groups must be non-empty (the reference
// skips every batch otherwise).
func Balanced(labeled []bool) ([]float64, error) {
	nLab := 0
	for _, l := range labeled {
		if l {
			nLab++
		}
	}
	nUnl := len(labeled) - nLab
	if nLab == 0 || nUnl == 0 {
		return nil, fmt.Errorf("sampler: need labeled and unlabeled samples, have %d labeled and %d unlabeled", nLab, nUnl)
	}
	w := make([]float64, len(labeled))
	ratio := float64(nLab) / float64(nUnl)
	for i, l := range labeled {
		if l {
			w[i] = 1
		} else {
			w[i] = ratio
		}
	}
	return w, nil
}

// Len is the number of samples in one epoch (the data set size).
func (s Weighted) Len() int { return len(s.cum) }

// Epoch returns the epoch's Len() draws, seeded by (seed, epoch).
func (s Weighted) Epoch(seed uint64, epoch int) []int {
	if len(s.cum) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, 0x5a4d91e0_00000000^uint64(epoch)))
	total := s.cum[len(s.cum)-1]
	out := make([]int, len(s.cum))
	for i := range out {
		u := rng.Float64() * total
		j := sort.Search(len(s.cum), func(k int) bool { return s.cum[k] > u })
		if j == len(s.cum) { // u rounded up to total
			j = len(s.cum) - 1
		}
		out[i] = j
	}
	return out
}

// Batches splits order into consecutive batches of size, the last one
// shorter when size does not divide len(order) (drop_last=False).
func Batches(order []int, size int) [][]int {
	if size <= 0 {
		size = len(order)
	}
	var out [][]int
	for start := 0; start < len(order); start += size {
		out = append(out, order[start:min(start+size, len(order))])
	}
	return out
}
