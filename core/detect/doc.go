// Package detect owns the project's built-in anomaly detectors and the
// writing of their anomaly maps.
//
// A Detector turns the images of one product category into one float32
// anomaly map per test image, at image resolution (Map). Methods:
//
//   - patchcore: memory bank of the patch features (core/features) of the
//     normal training images, standardised per dimension and aggregated over
//     3x3 cell neighbourhoods, subsampled by greedy k-center coreset selection
//     (seeded random first centre, CoresetRatio of the patches); a test patch
//     scores its Euclidean distance to the nearest memory patch.
//   - padim: per grid position Gaussian (mean, covariance + Epsilon*I) of
//     the standardised training features; a test patch scores its
//     Mahalanobis distance. All images must share one size.
//   - musc: zero-shot, no training images: for every test patch and every
//     OTHER test image of the category the smallest patch distance to that
//     image is taken, and the patch scores the mean of the smallest Fraction
//     (30%) of those values; computed at two aggregation scales (1x1 and 3x3
//     cell neighbourhoods) and averaged. Cells are 8 px of the working image
//     unless MuScParams.Features.Cells sizes them to the image.
//   - gt: the ground-truth masks as maps (1 inside, 0 outside), the upper
//     bound of the paper's Table X.
//   - gt-noisy: the ground truth degraded in a seeded, controlled way
//     (region dilation/erosion, dropped regions, spurious blobs, blur,
//     additive noise) to emulate a detector of chosen quality (GTNoisyAtLevel).
//
// Feature-based maps are built on the patch grid, upsampled bilinearly to
// the working image size, smoothed with a Gaussian of Smooth px (4, as
// PatchCore) and resized to the image size. The image score of a map is its
// maximum.
//
// Set normalisation (Normalize): all test maps of one category, including
// the good and combined folders, are mapped to uint8 with one range:
// lo = the minimum and hi = the maximum over every pixel of every map, and
// u = floor((v - lo) / (hi - lo) * 255 + 0.5) computed in float64, clamped to
// 0..255; when hi == lo every pixel is 0. Maps are written as 8-bit gray PNGs
// at <out>/<category>/<defect type>/<stem>.png, stem being the image file name
// without its extension.
//
// Parallelism is over images with fixed contiguous partitions (and over
// fixed point chunks inside the coreset search); every value is computed by
// a fixed sequence of float operations that does not depend on the worker
// count, so outputs are byte-identical for any Workers. All randomness comes
// from math/rand/v2 PCG sources seeded with (category seed, item index).
package detect
