package pairtest

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestBinomCDF(t *testing.T) {
	cases := []struct {
		k, n int
		want float64
	}{
		{-1, 5, 0},
		{0, 6, 1.0 / 64},
		{1, 10, 11.0 / 1024},
		{2, 10, 56.0 / 1024},
		{5, 10, 638.0 / 1024},
		{10, 10, 1},
	}
	for _, tc := range cases {
		if got := binomCDF(tc.k, tc.n); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("binomCDF(%d, %d) = %v, want %v", tc.k, tc.n, got, tc.want)
		}
	}
}

func TestSignTestInterval(t *testing.T) {
	seq := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i + 1)
		}
		return x
	}
	cases := []struct {
		n        int
		ok       bool
		lo, hi   float64
		coverage float64
	}{
		{1, false, 0, 0, 0},
		{5, false, 0, 0, 0},
		{6, true, 1, 6, 1 - 2.0/64},
		{10, true, 2, 9, 1 - 22.0/1024},
		{20, true, 6, 15, 0}, // P(B<=5)=0.0207 <= 0.025 < P(B<=6)=0.0577
	}
	for _, tc := range cases {
		lo, hi, cov, ok := SignTestInterval(seq(tc.n), 0.95)
		if ok != tc.ok {
			t.Fatalf("n=%d: ok = %v, want %v", tc.n, ok, tc.ok)
		}
		if !ok {
			if !math.IsInf(lo, -1) || !math.IsInf(hi, 1) {
				t.Errorf("n=%d: interval [%v, %v], want unbounded", tc.n, lo, hi)
			}
			continue
		}
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("n=%d: interval [%v, %v], want [%v, %v]", tc.n, lo, hi, tc.lo, tc.hi)
		}
		if cov < 0.95 || (tc.coverage != 0 && math.Abs(cov-tc.coverage) > 1e-12) {
			t.Errorf("n=%d: coverage %v, want %v (>= 0.95)", tc.n, cov, tc.coverage)
		}
	}
}

func TestSignTestP(t *testing.T) {
	cases := []struct {
		d    []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4, 5, 6}, 2.0 / 64},
		{[]float64{1, -2, 3, -4}, 1},
		{[]float64{0, 0, 0}, 1},
		{[]float64{-1, -1, -1, -1, -1, 0}, 2.0 / 32},
	}
	for _, tc := range cases {
		if got := SignTestP(tc.d); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("SignTestP(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestBootstrapMean(t *testing.T) {
	// constant differences: the interval is the point
	lo, hi := BootstrapMean([]float64{0.25, 0.25, 0.25}, 0.95, 1000, 7)
	if lo != 0.25 || hi != 0.25 {
		t.Errorf("constant differences: [%v, %v], want [0.25, 0.25]", lo, hi)
	}
	// a normal sample: close to the t interval, and deterministic per seed
	rng := rand.New(rand.NewPCG(1, 2))
	d := make([]float64, 60)
	for i := range d {
		d[i] = 0.5 + rng.NormFloat64()
	}
	m, s := mean(d), 0.0
	for _, v := range d {
		s += (v - m) * (v - m)
	}
	se := math.Sqrt(s/float64(len(d)-1)) / math.Sqrt(float64(len(d)))
	lo, hi = BootstrapMean(d, 0.95, 10000, 3407)
	if !(lo < m && m < hi) {
		t.Errorf("interval [%v, %v] does not contain the mean %v", lo, hi, m)
	}
	if w, want := hi-lo, 2*1.96*se; math.Abs(w-want) > 0.15*want {
		t.Errorf("interval width %v, want about %v", w, want)
	}
	lo2, hi2 := BootstrapMean(d, 0.95, 10000, 3407)
	if lo2 != lo || hi2 != hi {
		t.Errorf("same seed, different interval: [%v, %v] vs [%v, %v]", lo, hi, lo2, hi2)
	}
	lo3, hi3 := BootstrapMean(d, 0.95, 10000, 1)
	if lo3 == lo && hi3 == hi {
		t.Errorf("another seed gave the identical interval [%v, %v]", lo, hi)
	}
}

func TestTest(t *testing.T) {
	o := DefaultOptions()
	o.Seed = 11
	pos := []float64{0.1, 0.2, 0.15, 0.05, 0.12, 0.3, 0.08, 0.11, 0.2, 0.1, 0.09, 0.14}
	neg := make([]float64, len(pos))
	for i, v := range pos {
		neg[i] = -v
	}
	mixed := []float64{0.1, -0.2, 0.15, -0.05, 0.12, -0.3, 0.08, -0.11, 0.2, -0.1, 0.09, -0.14}
	cases := []struct {
		name    string
		d       []float64
		method  Method
		side    Verdict
		bounded bool
	}{
		{"no pairs", nil, SignTest, Across, false},
		{"few pairs, all positive", pos[:5], SignTest, Across, false},
		{"six pairs, all positive", pos[:6], SignTest, Above, true},
		{"six pairs, one zero", append([]float64{0}, pos[:5]...), SignTest, Across, true},
		{"twelve positive", pos, Bootstrap, Above, true},
		{"twelve negative", neg, Bootstrap, Below, true},
		{"twelve mixed", mixed, Bootstrap, Across, true},
		{"all zero", make([]float64, 12), Bootstrap, Across, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Test(tc.d, o)
			if err != nil {
				t.Fatal(err)
			}
			if r.N != len(tc.d) || r.Method != tc.method || r.Side() != tc.side || r.Bounded() != tc.bounded {
				t.Errorf("got n=%d %s side %s bounded %v [%v, %v]; want n=%d %s %s %v",
					r.N, r.Method, r.Side(), r.Bounded(), r.Lo, r.Hi, len(tc.d), tc.method, tc.side, tc.bounded)
			}
			if r.N > 0 && r.Bounded() && !(r.Lo <= r.Mean && r.Mean <= r.Hi) && tc.method == Bootstrap {
				t.Errorf("bootstrap interval [%v, %v] misses the mean %v", r.Lo, r.Hi, r.Mean)
			}
		})
	}
	for _, bad := range []struct {
		d     []float64
		level float64
	}{{[]float64{math.NaN()}, 0.95}, {[]float64{math.Inf(1)}, 0.95}, {[]float64{1}, 1}, {[]float64{1}, 0}} {
		o := DefaultOptions()
		o.Level = bad.level
		if _, err := Test(bad.d, o); err == nil {
			t.Errorf("Test(%v, level %v) gave no error", bad.d, bad.level)
		}
	}
}

func TestQuantile(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	for _, tc := range []struct{ q, want float64 }{{0, 1}, {0.5, 2.5}, {1, 4}, {1.0 / 3, 2}} {
		if got := quantile(x, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
