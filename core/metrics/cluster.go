package metrics

import (
	"fmt"
	"slices"
)

// Scores are the clustering metrics of one run, computed as the reference
// implementation does (reference-behaviour.md §10). The zero value means
// "not computed".
type Scores struct {
	// NMI is the normalised mutual information (arithmetic mean, natural
	// log) of the novel samples.
	NMI float64 `json:"nmi"`
	// ARI is the adjusted Rand index of the novel samples.
	ARI float64 `json:"ari"`
	// F1 is the official F1: micro-F1 (= Hungarian accuracy) of the mapped
	// novel predictions.
	F1 float64 `json:"f1"`
	// MacroF1 is sklearn's macro-F1 of the mapped novel predictions, for
	// contrast only; it is not the paper's F1.
	MacroF1 float64 `json:"macro_f1"`
	// Assignment maps each predicted label that occurs to its matched true
	// class (Assignment[pred] = true).
	Assignment map[int]int `json:"assignment"`
	// NumNovel is the number of samples scored: every sample of a novel
	// class (a class with at least one sample flagged novel).
	NumNovel int `json:"num_novel"`
	// MappedPred are the novel samples' predictions mapped through
	// Assignment, in input order; TrueNovel are their true labels.
	MappedPred []int `json:"-"`
	TrueNovel  []int `json:"-"`
}

// ClusterScores computes NMI, ARI and the official F1 exactly as the
// reference's split_cluster_acc / log_accs_from_preds do
// (reference-behaviour.md §10):
//
//  1. w[pred][true] counts ALL samples, base and novel, in a D×D matrix
//     with D = max(max(yPred), max(yTrue)) + 1, as the reference does while
//     D <= FullMatrixLabels. Beyond that the labels are renumbered densely
//     (in increasing order) over the union of the true and predicted labels,
//     so a label of 10^9 costs nothing: the labels of 0..D-1 that occur
//     nowhere only add all-zero rows and columns, which leaves NMI, ARI (up
//     to rounding) and,
//     when no sample is flagged base, F1 unchanged; only where a predicted
//     cluster agrees with no remaining class can the tie-breaking pick
//     another partner (see TestDenseLabelsMatchFullMatrix);
//  2. the assignment is LinearSumAssignment(w.max() − w), the maximum
//     agreement one-to-one map from the predicted clusters to the true
//     classes (ties broken as documented on LinearSumAssignment);
//  3. the novel classes are the true classes of the samples flagged novel
//     (isBase[i] == false); EVERY sample whose true class is a novel class
//     is kept, including samples of that class flagged base, and their
//     predictions are mapped (in input order; no metric depends on it);
//  4. F1 = micro-F1 (accuracy), NMI and ARI are computed on
//     (true novel, mapped novel).
//
// isBase may be nil, meaning every sample is novel. Labels must be
// non-negative; they need not start at 0 or be contiguous. With no novel
// samples every metric is scored on empty input: NMI = 1, ARI = 1, F1 = 0
// (the sklearn values on empty arrays, and MacroF1 = 0).
func ClusterScores(yTrue, yPred []int, isBase []bool) (Scores, error) {
	return clusterScores(yTrue, yPred, isBase, FullMatrixLabels)
}

// FullMatrixLabels is the largest label range D that ClusterScores scores
// with the reference's full D×D matrix (a 1024×1024 assignment takes about
// 0.1 s); larger labels are renumbered densely.
const FullMatrixLabels = 1024

func clusterScores(yTrue, yPred []int, isBase []bool, fullLimit int) (Scores, error) {
	if len(yTrue) != len(yPred) {
		return Scores{}, fmt.Errorf("metrics: %d true labels but %d predictions", len(yTrue), len(yPred))
	}
	if isBase != nil && len(isBase) != len(yTrue) {
		return Scores{}, fmt.Errorf("metrics: %d is_base flags for %d samples", len(isBase), len(yTrue))
	}
	if len(yTrue) == 0 {
		return Scores{}, fmt.Errorf("metrics: no samples")
	}
	for i := range yTrue {
		if yTrue[i] < 0 || yPred[i] < 0 {
			return Scores{}, fmt.Errorf("metrics: sample %d has a negative label (true %d, pred %d)", i, yTrue[i], yPred[i])
		}
	}
	var labels []int
	if d := max(slices.Max(yPred), slices.Max(yTrue)) + 1; d <= fullLimit {
		labels = make([]int, d)
		for i := range labels {
			labels[i] = i
		}
	} else {
		labels = slices.Concat(yTrue, yPred)
		slices.Sort(labels)
		labels = slices.Compact(labels)
	}
	id := func(l int) int {
		i, _ := slices.BinarySearch(labels, l)
		return i
	}
	d := len(labels)
	w := make([][]float64, d)
	for i := range w {
		w[i] = make([]float64, d)
	}
	for i := range yTrue {
		w[id(yPred[i])][id(yTrue[i])]++
	}
	wMax := 0.0
	for _, row := range w {
		wMax = max(wMax, slices.Max(row))
	}
	for _, row := range w {
		for j, v := range row {
			row[j] = wMax - v
		}
	}
	rows, cols, err := LinearSumAssignment(w)
	if err != nil {
		return Scores{}, err
	}
	assign := make(map[int]int, d)
	for k, r := range rows {
		assign[labels[r]] = labels[cols[k]]
	}
	var s Scores
	s.Assignment = map[int]int{}
	for _, p := range yPred {
		s.Assignment[p] = assign[p]
	}
	novel := map[int]bool{}
	for i, t := range yTrue {
		if isBase == nil || !isBase[i] {
			novel[t] = true
		}
	}
	for i, t := range yTrue {
		if !novel[t] {
			continue
		}
		s.TrueNovel = append(s.TrueNovel, t)
		s.MappedPred = append(s.MappedPred, assign[yPred[i]])
	}
	s.NumNovel = len(s.TrueNovel)
	s.NMI = NMI(s.TrueNovel, s.MappedPred)
	s.ARI = ARI(s.TrueNovel, s.MappedPred)
	s.F1 = MicroF1(s.TrueNovel, s.MappedPred)
	s.MacroF1 = MacroF1(s.TrueNovel, s.MappedPred)
	return s, nil
}

// NormalClassPrecisionRecall returns the precision and recall of the
// "normal" class of Table VIII. In the reference the normal class is the
// first novel cluster (the first anomaly-type folder in sorted order), so
// normalClass is that class's index in true-label space (L, the number of
// base classes, in the reference's numbering); predictions are the
// Hungarian-mapped novel predictions of s.
func NormalClassPrecisionRecall(s Scores, normalClass int) (precision, recall float64) {
	return ClassPrecisionRecall(s.TrueNovel, s.MappedPred, normalClass)
}
