// Package mebin owns the binarization of anomaly maps: MEBin (Main Element
// Binarization, the paper's default) and the Table III alternatives, a fixed
// threshold and Otsu's method.
//
// The default behaviour reproduces the authors' reference code bit for bit
// (shared/docs/reference-behaviour.md §1):
//
//   - One search range per set of maps (SearchRange): Min is the smallest
//     per-map maximum, Max the largest per-map maximum.
//   - Each map is normalised in float64 as (a-Min)/(Max-Min)*255, divided
//     first, with 0 below Min (Normalize). A set of one map (Min == Max) gives
//     the reference's 0/0: NaN at the peak pixels, which never pass a
//     threshold, so the mask is empty and the result is (255, 0).
//   - Thresholds t = 255, 255-s, ..., >0 (s = SampleRate, 64 values for s=4);
//     a pixel is foreground when norm > t (strict). Every mask is eroded with
//     the hard-coded 6x6 kernel at anchor (3,3): a pixel survives only if rows
//     y-3..y+2 and columns x-3..x+2 are all foreground, pixels outside the
//     image counting as foreground. The 8-connected components are counted.
//   - The stable interval: a maximal run of equal non-zero counts holding at
//     least MinIntervalLen thresholds. The estimated anomaly number is the
//     count whose longest run is longest (tie: the count whose first
//     qualifying run came first); among the runs of that count the longest
//     wins (tie: the last). The chosen t is the run's last (lowest) threshold,
//     mapped back to the raw scale as int(t*(Max-Min)/255 + Min) (integer
//     product, float64 divide, truncation). No interval gives (255, 0).
//   - The final mask is the eroded raw map > raw threshold.
//
// Two readings of the reference page are fixed here: a run qualifies when it
// holds at least MinIntervalLen thresholds (end-start+1 >= 4), and Counts
// holds the 64 sweep counts only, without the spurious trailing 1 that the
// reference appends after choosing the threshold.
//
// Every Result states its threshold on the raw 8-bit scale, and for every
// method the mask is erode(raw > Threshold) (erosion unless Params.NoErode),
// so masks from the three methods are directly comparable.
//
// The implementation is fast: erosion of a threshold mask equals thresholding
// the window-minimum of the raw map (a separable 6-wide sliding minimum over
// the map as one flat array, PMINUB on amd64), and the component counts of all
// sweep thresholds come from a single union-find pass over spans (horizontal
// runs of pixels that first survive erosion at the same sweep index),
// activated in increasing order of that index. The package tests compare it
// with a straightforward per-threshold erode-and-label implementation on many
// random maps; BenchmarkMEBinSpeedup times both in one run. The amd64 SSE2
// kernels (bytes_amd64.s) have portable Go twins selected by the purego
// build tag or any other architecture.
package mebin
