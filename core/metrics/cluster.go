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
	// Assignment maps each predicted cluster 0..D-1 to its matched true
	// class (Assignment[pred] = true).
	Assignment []int `json:"assignment"`
	// NumNovel is the number of novel (non-base) samples scored.
	NumNovel int `json:"num_novel"`
	// MappedPred are the novel samples' predictions mapped through
	// Assignment, in input order; TrueNovel are their true labels.
	MappedPred []int `json:"-"`
	TrueNovel  []int `json:"-"`
}

// ClusterScores computes NMI, ARI and the official F1 exactly as the
// reference's split_cluster_acc / log_accs_from_preds do:
//
//  1. D = max(max(yPred), max(yTrue)) + 1 and w[pred][true] counts ALL
//     samples, base and novel;
//  2. the assignment is LinearSumAssignment(w.max() − w), the maximum
//     agreement one-to-one map from the D predicted clusters to the D true
//     classes (ties broken as documented on LinearSumAssignment);
//  3. only the novel samples (isBase[i] == false) are kept and their
//     predictions mapped;
//  4. F1 = micro-F1 (accuracy), NMI and ARI are computed on
//     (true novel, mapped novel).
//
// isBase may be nil, meaning every sample is novel. Labels must be
// non-negative (they index the D×D matrix); they need not start at 0 or be
// contiguous. With no novel samples every metric is scored on empty input:
// NMI = 1, ARI = 1, F1 = 0 (the sklearn values on empty arrays, and
// MacroF1 = 0).
func ClusterScores(yTrue, yPred []int, isBase []bool) (Scores, error) {
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
	d := max(slices.Max(yPred), slices.Max(yTrue)) + 1
	w := make([][]float64, d)
	for i := range w {
		w[i] = make([]float64, d)
	}
	for i := range yTrue {
		w[yPred[i]][yTrue[i]]++
	}
	wMax := 0.0
	for _, row := range w {
		wMax = max(wMax, slices.Max(row))
	}
	cost := make([][]float64, d)
	for i, row := range w {
		cost[i] = make([]float64, d)
		for j, v := range row {
			cost[i][j] = wMax - v
		}
	}
	rows, cols, err := LinearSumAssignment(cost)
	if err != nil {
		return Scores{}, err
	}
	assign := make([]int, d)
	for k, r := range rows {
		assign[r] = cols[k]
	}
	var s Scores
	s.Assignment = assign
	for i := range yTrue {
		if isBase != nil && isBase[i] {
			continue
		}
		s.TrueNovel = append(s.TrueNovel, yTrue[i])
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
