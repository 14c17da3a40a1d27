package metrics

import (
	"math"
	"strconv"
)

// MeanStd returns the mean and the SAMPLE standard deviation (ddof = 1) of
// vals, the convention of the result tables ("mean ± std over seeds"). It is
// the one mean ± std of the project; the tables, the run summaries and the
// figures all call it, so the edge cases are decided here once:
//
//   - NaN values are missing values (an undefined metric of one seed) and
//     are left out;
//   - with no values left the mean is NaN and the std 0;
//   - the std of a single value is 0.
func MeanStd(vals []float64) (mean, std float64) {
	n := 0
	for _, v := range vals {
		if !math.IsNaN(v) {
			mean += v
			n++
		}
	}
	if n == 0 {
		return math.NaN(), 0
	}
	mean /= float64(n)
	if n == 1 {
		return mean, 0
	}
	return mean, math.Sqrt(sumSquares(vals, mean) / float64(n-1))
}

// sumSquares is the sum of squared deviations from mean of the non-NaN vals.
func sumSquares(vals []float64, mean float64) float64 {
	ss := 0.0
	for _, v := range vals {
		if !math.IsNaN(v) {
			ss += (v - mean) * (v - mean)
		}
	}
	return ss
}

// PopulationStd is the population standard deviation (ddof = 0) of the
// non-NaN vals (0 when there are none), given for comparison with
// numpy.std's default; the tables use MeanStd's sample std.
func PopulationStd(vals []float64) float64 {
	mean, _ := MeanStd(vals)
	if math.IsNaN(mean) {
		return 0
	}
	n := 0
	for _, v := range vals {
		if !math.IsNaN(v) {
			n++
		}
	}
	return math.Sqrt(sumSquares(vals, mean) / float64(n))
}

// FormatMeanStd formats vals as "mean ± std" with the sample std and a
// fixed number of decimals, e.g. "0.613 ± 0.012". A single value prints
// with std 0 ("0.613 ± 0.000"); no values (or only NaNs) print "n/a".
func FormatMeanStd(vals []float64, decimals int) string {
	m, s := MeanStd(vals)
	return FormatStat(m, s, decimals)
}

// FormatStat formats a mean and std from MeanStd as "mean ± std" with a
// fixed number of decimals, or "n/a" when the mean is NaN.
func FormatStat(mean, std float64, decimals int) string {
	if math.IsNaN(mean) {
		return "n/a"
	}
	return strconv.FormatFloat(mean, 'f', decimals, 64) + " ± " + strconv.FormatFloat(std, 'f', decimals, 64)
}
