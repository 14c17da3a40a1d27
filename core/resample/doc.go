// Package resample is the one bilinear resampling of the project: feature
// planes shrunk to the working size (core/features), patch scores
// upsampled to anomaly maps (core/detect) and attention grids drawn over
// crops (plots) all call Bilinear.
//
// The convention is pixel-centre alignment (OpenCV's INTER_LINEAR,
// PyTorch's align_corners=False): destination index d samples the source
// at c = (d+0.5)·scale − 0.5, where scale is source samples per destination
// sample, clamped to the outer samples at the borders. Between samples a
// and b at fraction f the value is a + f·(b−a), rows first, then columns,
// in the precision of the element type. Results do not depend on anything
// but the arguments.
package resample
