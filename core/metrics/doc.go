// Package metrics owns the clustering metrics of AnomalyNCD: the Hungarian
// (linear sum) assignment, the official split-cluster F1, NMI and ARI with
// scikit-learn 1.2 semantics, the precision/recall of the "normal" class
// (Table VIII) and the mean ± standard deviation over seeds used in the
// result tables.
//
// The behaviour follows reference-behaviour.md §10 exactly:
//
//   - D = max(max pred, max true) + 1 and a D×D agreement matrix
//     w[pred][true] is counted over ALL samples (base and novel);
//   - the assignment minimises w.max() - w, i.e. maximises agreement;
//   - only novel samples are kept, their predictions are mapped through the
//     assignment, and F1 is the micro-F1 (= accuracy) of the mapped novel
//     predictions;
//   - NMI (arithmetic mean, natural log) and ARI are computed on
//     (y_true_novel, mapped_pred_novel) with scikit-learn 1.2's special cases.
//
// Nothing here reads files except ReadLabelsCSV, which exists for the
// `ancd metrics` command.
package metrics
