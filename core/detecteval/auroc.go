package detecteval

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrUndefined is wrapped by metric errors when the metric does not exist
// for the input (one class missing, no regions, no normal pixels).
var ErrUndefined = errors.New("metric undefined")

// scored is one sample of a ranking problem.
type scored struct {
	score    float32
	positive bool
}

// AUROC returns the area under the ROC curve of scores, where positive[i]
// says whether sample i is a positive (anomalous) sample. Ties get average
// ranks, so a tie between a positive and a negative counts one half.
func AUROC(scores []float64, positive []bool) (float64, error) {
	if len(scores) != len(positive) {
		return math.NaN(), fmt.Errorf("detecteval: %d scores but %d labels", len(scores), len(positive))
	}
	for i, v := range scores {
		if math.IsNaN(v) {
			return math.NaN(), fmt.Errorf("detecteval: score %d is NaN", i)
		}
	}
	return aurocFloat64(scores, positive)
}

// aurocFloat64 is AUROC on float64 scores without narrowing.
func aurocFloat64(scores []float64, positive []bool) (float64, error) {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(scores[a], scores[b]) })
	var rankSum float64
	var nPos, nNeg float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if positive[idx[k]] {
				rankSum += avg
				nPos++
			} else {
				nNeg++
			}
		}
		i = j
	}
	return aurocFromRanks(rankSum, nPos, nNeg)
}

// aurocScored sorts s in place and returns its AUROC.
func aurocScored(s []scored) (float64, error) {
	slices.SortFunc(s, func(a, b scored) int { return cmp.Compare(a.score, b.score) })
	var rankSum, nPos, nNeg float64
	for i := 0; i < len(s); {
		j := i
		var p int
		for j < len(s) && s[j].score == s[i].score {
			if s[j].positive {
				p++
			}
			j++
		}
		rankSum += float64(p) * float64(i+j+1) / 2
		nPos += float64(p)
		nNeg += float64(j - i - p)
		i = j
	}
	return aurocFromRanks(rankSum, nPos, nNeg)
}

func aurocFromRanks(rankSum, nPos, nNeg float64) (float64, error) {
	if nPos == 0 || nNeg == 0 {
		return math.NaN(), fmt.Errorf("detecteval: AUROC needs positives and negatives (have %d and %d): %w", int(nPos), int(nNeg), ErrUndefined)
	}
	return (rankSum - nPos*(nPos+1)/2) / (nPos * nNeg), nil
}

// isUndefined reports whether err says the metric does not exist.
func isUndefined(err error) bool { return errors.Is(err, ErrUndefined) }
