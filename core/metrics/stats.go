package metrics

import (
	"math"
	"strconv"
)

// MeanStd returns the mean and the SAMPLE standard deviation (ddof = 1) of
// vals, the convention of the result tables ("mean ± std over seeds"). The
// std of a single value is 0; both are 0 for no values.
func MeanStd(vals []float64) (mean, std float64) {
	n := len(vals)
	if n == 0 {
		return 0, 0
	}
	for _, v := range vals {
		mean += v
	}
	mean /= float64(n)
	if n == 1 {
		return mean, 0
	}
	ss := 0.0
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(n-1))
}

// PopulationStd is the population standard deviation (ddof = 0), given for
// comparison with numpy.std's default; the tables use MeanStd's sample std.
func PopulationStd(vals []float64) float64 {
	if len(vals) == 0 {
		return 0
	}
	mean, _ := MeanStd(vals)
	ss := 0.0
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss / float64(len(vals)))
}

// FormatMeanStd formats vals as "mean ± std" with the sample std and a
// fixed number of decimals, e.g. "0.613 ± 0.012". A single value prints
// with std 0 ("0.613 ± 0.000"); no values print "n/a".
func FormatMeanStd(vals []float64, decimals int) string {
	if len(vals) == 0 {
		return "n/a"
	}
	m, s := MeanStd(vals)
	return strconv.FormatFloat(m, 'f', decimals, 64) + " ± " + strconv.FormatFloat(s, 'f', decimals, 64)
}
