package metrics

import "slices"

// MicroF1 is sklearn.metrics.f1_score(average="micro") for single-label
// multiclass data, which equals the accuracy: the fraction of positions
// where yTrue and yPred agree. It is 0 for empty input.
func MicroF1(yTrue, yPred []int) float64 {
	mustSameLen(yTrue, yPred)
	if len(yTrue) == 0 {
		return 0
	}
	hits := 0
	for i := range yTrue {
		if yTrue[i] == yPred[i] {
			hits++
		}
	}
	return float64(hits) / float64(len(yTrue))
}

// MacroF1 is sklearn.metrics.f1_score(average="macro"): the unweighted mean
// of the per-label F1 over the sorted union of the labels present in yTrue
// and yPred, with 0 for a label whose precision and recall are both
// undefined or zero. It is NOT the official AnomalyNCD F1 (see MicroF1 and
// ClusterScores); it is reported only for contrast.
func MacroF1(yTrue, yPred []int) float64 {
	mustSameLen(yTrue, yPred)
	labels := slices.Concat(yTrue, yPred)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	if len(labels) == 0 {
		return 0
	}
	sum := 0.0
	for _, l := range labels {
		var tp, fp, fn int
		for i := range yTrue {
			switch {
			case yTrue[i] == l && yPred[i] == l:
				tp++
			case yPred[i] == l:
				fp++
			case yTrue[i] == l:
				fn++
			}
		}
		p := safeDiv(tp, tp+fp)
		r := safeDiv(tp, tp+fn)
		if p+r > 0 {
			sum += 2 * p * r / (p + r)
		}
	}
	return sum / float64(len(labels))
}

// ClassPrecisionRecall returns the precision and recall of one class:
// precision = |pred == class ∧ true == class| / |pred == class| and
// recall = |pred == class ∧ true == class| / |true == class|, each 0 when its
// denominator is 0 (sklearn's zero_division default after its warning).
func ClassPrecisionRecall(yTrue, yPred []int, class int) (precision, recall float64) {
	mustSameLen(yTrue, yPred)
	var tp, predicted, actual int
	for i := range yTrue {
		if yPred[i] == class {
			predicted++
			if yTrue[i] == class {
				tp++
			}
		}
		if yTrue[i] == class {
			actual++
		}
	}
	return safeDiv(tp, predicted), safeDiv(tp, actual)
}

func safeDiv(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
