// Package plots draws the paper's figures from plain Go data.
//
// It owns the figure layer of the framework: every function takes values
// (counts, curves, embeddings, images, probabilities) that the caller has
// already read from the run store, validates them, and writes one figure as
// both PNG and SVG. Nothing here reads results, runs models or computes
// metrics; the lead wires these functions to the run store.
//
// The figures are:
//
//   - [MEBinFigure]: Fig. 3, connected regions vs normalised threshold with the
//     stable interval, next to the anomaly map and the resulting mask.
//   - [ThresholdFigure]: Fig. 7, a metric vs fixed threshold per detector with
//     MEBin as a dashed horizontal line.
//   - [TSNEFigure]: Fig. 8, 2-D embeddings coloured by true class.
//   - [TrainingCurves]: loss curves per epoch from a run's metrics log.
//   - [AttentionFigure]: Fig. 4/9/10, [CLS] attention maps over the image.
//   - [MultiLabelFigure]: Fig. 11, crop boxes, per-crop class probabilities and
//     the merged multi-label image probabilities.
//   - [ConfusionFigure]: per-category confusion matrices after Hungarian
//     mapping.
//
// For HTML reports, [TrainingGridSVG] (loss curves of several runs, one
// small panel each) returns an SVG document in memory whose fonts are named
// but not embedded, so that many fit in one page.
//
// Output: each function takes out, a path without extension (a trailing
// ".png" or ".svg" is stripped), and writes out+".png" (96 dpi) and
// out+".svg", each atomically. Drawing uses gonum.org/v1/plot only; the same
// data always gives the same bytes in both formats. The SVG embeds the
// Liberation Serif font it was laid out with (about 0.5 MB per file) and
// names Times New Roman, which has the same metrics, as the fallback for
// renderers that ignore embedded fonts.
//
// Invalid input (empty data, mismatched lengths, non-finite values) is
// reported as an *[InputError] naming the figure and the field.
package plots
