package pairtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Method names how an interval was computed.
type Method string

const (
	// Bootstrap is the percentile bootstrap interval of the mean difference.
	Bootstrap Method = "bootstrap"
	// SignTest is the exact interval of the median difference from the
	// binomial distribution of the sign test (order statistics).
	SignTest Method = "sign test"
)

// Verdict says on which side of 0 an interval lies.
type Verdict string

const (
	// Above: the whole interval is above 0.
	Above Verdict = "above"
	// Below: the whole interval is below 0.
	Below Verdict = "below"
	// Across: the interval contains 0 (or there is no interval).
	Across Verdict = "across"
)

// Options set the level and the bootstrap.
type Options struct {
	// Level is the coverage of the interval, e.g. 0.95.
	Level float64
	// Resamples is the number of bootstrap resamples.
	Resamples int
	// MinBootstrap is the smallest number of pairs judged by the bootstrap;
	// fewer pairs get the sign-test interval.
	MinBootstrap int
	// Seed seeds the bootstrap's PCG source.
	Seed uint64
}

// DefaultOptions: 95 % intervals, 10,000 resamples, the bootstrap from 10
// pairs on.
func DefaultOptions() Options {
	return Options{Level: 0.95, Resamples: 10000, MinBootstrap: 10}
}

// Result is the interval of one set of paired differences.
type Result struct {
	N      int     // number of pairs
	Mean   float64 // mean difference
	Median float64 // median difference
	Method Method
	// Lo and Hi bound the interval; ±Inf when n is too small for any
	// interval of the requested level (sign test with n < 6 at 95 %).
	Lo, Hi float64
	// Coverage is the interval's exact coverage for the sign test (at least
	// Level), Level for the bootstrap.
	Coverage float64
}

// Bounded reports whether the interval is finite.
func (r Result) Bounded() bool { return !math.IsInf(r.Lo, 0) && !math.IsInf(r.Hi, 0) }

// Side says where the interval lies relative to 0. An interval that
// touches 0 is Across.
func (r Result) Side() Verdict {
	switch {
	case r.N > 0 && r.Lo > 0:
		return Above
	case r.N > 0 && r.Hi < 0:
		return Below
	}
	return Across
}

// Test computes the interval of the differences d (NaN values are an
// error; the caller drops unpaired values). With no pairs the result has
// N = 0 and an unbounded interval.
func Test(d []float64, o Options) (Result, error) {
	if o.Level <= 0 || o.Level >= 1 {
		return Result{}, fmt.Errorf("pairtest: level %v is not in (0, 1)", o.Level)
	}
	for i, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Result{}, fmt.Errorf("pairtest: difference %d is %v", i, v)
		}
	}
	r := Result{N: len(d), Lo: math.Inf(-1), Hi: math.Inf(1), Mean: math.NaN(), Median: math.NaN()}
	if len(d) == 0 {
		r.Method = SignTest
		return r, nil
	}
	sorted := slices.Clone(d)
	slices.Sort(sorted)
	r.Mean = mean(d)
	r.Median = quantile(sorted, 0.5)
	if len(d) >= o.MinBootstrap && o.Resamples > 0 {
		r.Method = Bootstrap
		r.Lo, r.Hi = BootstrapMean(d, o.Level, o.Resamples, o.Seed)
		r.Coverage = o.Level
		return r, nil
	}
	r.Method = SignTest
	lo, hi, cov, ok := SignTestInterval(sorted, o.Level)
	if ok {
		r.Lo, r.Hi, r.Coverage = lo, hi, cov
	}
	return r, nil
}

// BootstrapMean returns the percentile interval of the mean of d from
// resamples resamples with replacement, drawn from PCG(seed, len(d)).
func BootstrapMean(d []float64, level float64, resamples int, seed uint64) (lo, hi float64) {
	rng := rand.New(rand.NewPCG(seed, uint64(len(d))))
	means := make([]float64, resamples)
	n := len(d)
	for b := range means {
		var s float64
		for range n {
			s += d[rng.IntN(n)]
		}
		means[b] = s / float64(n)
	}
	slices.Sort(means)
	alpha := 1 - level
	return quantile(means, alpha/2), quantile(means, 1-alpha/2)
}

// SignTestInterval returns the exact distribution-free interval of the
// median of the sorted values x: [x_(k), x_(n+1-k)] for the largest k with
// P(B <= k-1) <= (1-level)/2, B ~ Binomial(n, 1/2), and its coverage
// 1 - 2 P(B <= k-1). ok is false when even k = 1 is too wide a tail, i.e.
// the sign test cannot reach the level with n pairs (n < 6 at 95 %).
func SignTestInterval(x []float64, level float64) (lo, hi, coverage float64, ok bool) {
	n := len(x)
	tail := (1 - level) / 2
	k := 0
	for j := 1; j <= (n+1)/2; j++ {
		if binomCDF(j-1, n) <= tail {
			k = j
		} else {
			break
		}
	}
	if k == 0 {
		return math.Inf(-1), math.Inf(1), 0, false
	}
	return x[k-1], x[n-k], 1 - 2*binomCDF(k-1, n), true
}

// SignTestP is the two-sided exact sign-test p-value of d against a median
// of 0; zero differences are dropped, as is usual.
func SignTestP(d []float64) float64 {
	pos, neg := 0, 0
	for _, v := range d {
		switch {
		case v > 0:
			pos++
		case v < 0:
			neg++
		}
	}
	n := pos + neg
	if n == 0 {
		return 1
	}
	return math.Min(1, 2*binomCDF(min(pos, neg), n))
}

// binomCDF is P(B <= k) for B ~ Binomial(n, 1/2), summed exactly in
// log space.
func binomCDF(k, n int) float64 {
	if k < 0 {
		return 0
	}
	if k >= n {
		return 1
	}
	var p float64
	for i := 0; i <= k; i++ {
		lg := lgammaInt(n+1) - lgammaInt(i+1) - lgammaInt(n-i+1) - float64(n)*math.Ln2
		p += math.Exp(lg)
	}
	return p
}

func lgammaInt(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

func mean(d []float64) float64 {
	var s float64
	for _, v := range d {
		s += v
	}
	return s / float64(len(d))
}

// quantile of sorted values by linear interpolation between order
// statistics (the "type 7" definition of R and NumPy).
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 1 {
		return sorted[0]
	}
	h := q * float64(n-1)
	i := int(math.Floor(h))
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}
