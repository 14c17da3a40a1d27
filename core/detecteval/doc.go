// Package detecteval owns the anomaly-detection metrics of the project:
// image AUROC, pixel AUROC, AUPRO (MVTec definition) and the per-image region
// detection rates of the paper's Table III. It works on plain float32 maps
// and boolean masks and knows nothing about files or detectors.
//
// Definitions (all exact, no threshold sampling):
//
//   - AUROC is the rank statistic (Mann-Whitney U): scores are sorted, tied
//     scores share their average rank, and
//     AUROC = (sum of positive ranks - P(P+1)/2) / (P N).
//     It is undefined (error, NaN) without both classes.
//   - Image AUROC: image score = maximum of the map; positive = the mask has
//     at least one foreground pixel.
//   - Pixel AUROC: every pixel of every image; positive = mask foreground.
//   - AUPRO: GT regions are the 8-connected components of each mask. For a
//     threshold t a pixel is predicted anomalous when score >= t. FPR = false
//     positive pixels / all normal pixels (over all images); PRO = mean over
//     all regions of all images of (predicted pixels of the region / region
//     size). Sweeping t over every distinct score from high to low gives the
//     exact step curve; tied pixels enter together. The curve starts at
//     (0, 0) and ends at (1, 1); it is integrated with the trapezoid rule
//     over FPR in [0, MaxFPR] (0.3), with the PRO at MaxFPR linearly
//     interpolated between the two surrounding curve points, and divided by
//     MaxFPR. It is undefined without normal pixels or without regions.
//   - Region detection (Table III): predicted and GT regions are the
//     8-connected components of binary masks; a region counts as detected
//     when the IoU of its bounding box (inclusive pixel boxes) with the box of
//     some region on the other side is strictly greater than 0.1. Per image
//     FPR = unmatched predicted / predicted and FNR = unmatched GT / GT. The
//     0/0 cases are defined as 0: an image without predicted regions has no
//     false positives (FPR 0), an image without GT regions has nothing to miss
//     (FNR 0). Rates are averaged over the images given.
package detecteval
