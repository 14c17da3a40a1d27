// Package merge owns the region merging of AnomalyNCD (paper §III-D,
// reference-behaviour.md §9): it turns the classifier's per-crop logits
// into one prediction per image, with the three strategies of Table VII
// (average, anomaly-score weighted, area weighted) and the multi-label read
// out used for images with combined anomalies (Fig. 11).
//
// Numerics follow the reference, which works in float32 (torch tensors):
// the per-crop softmax, the area weights and the weighted sum are stored as
// float32. exp and sqrt are evaluated in float64 and rounded to float32, so
// a result may differ from torch's vectorised expf in the last float32 bit.
package merge
