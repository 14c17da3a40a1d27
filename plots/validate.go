package plots

import (
	"fmt"
	"image"
	"math"
)

func inputErr(figure, field, format string, a ...any) error {
	return &InputError{Figure: figure, Field: field, Problem: fmt.Sprintf(format, a...)}
}

// checkFinite reports the first NaN or infinite value of xs.
func checkFinite(figure, field string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return inputErr(figure, fmt.Sprintf("%s[%d]", field, i), "value %v is not finite", x)
		}
	}
	return nil
}

// checkProbabilities reports the first value of xs outside [0, 1].
func checkProbabilities(figure, field string, xs []float64) error {
	for i, x := range xs {
		if !(x >= 0 && x <= 1) {
			return inputErr(figure, fmt.Sprintf("%s[%d]", field, i), "probability %v is outside [0, 1]", x)
		}
	}
	return nil
}

// checkLen reports len(xs) != want; wantWhat says where want comes from.
func checkLen[T any](figure, field string, xs []T, want int, wantWhat string) error {
	if len(xs) != want {
		return inputErr(figure, field, "length %d, want %d (%s)", len(xs), want, wantWhat)
	}
	return nil
}

// checkImage reports a nil or empty image.
func checkImage(figure, field string, img image.Image, isNil bool) error {
	if isNil {
		return inputErr(figure, field, "image is nil")
	}
	if img.Bounds().Empty() {
		return inputErr(figure, field, "image is empty (bounds %v)", img.Bounds())
	}
	return nil
}
