package ablations

import (
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/anomalyncd/ancd/core/pairtest"
)

// Verdict is what our runs say about one of the paper's claims.
type Verdict string

const (
	// Agrees: every interval lies on the claimed side of 0.
	Agrees Verdict = "agrees"
	// Disagrees: some interval lies entirely on the other side of 0.
	Disagrees Verdict = "disagrees"
	// Inconclusive: no interval on the wrong side, but not all on the
	// claimed side (an interval contains 0, or there are too few pairs for
	// one).
	Inconclusive Verdict = "inconclusive"
	// NoPairs: the compared rows share no (seed, category) with values.
	NoPairs Verdict = "no pairs"
)

// TestOptions are the options of every claim's paired test: 95 %
// intervals; a percentile bootstrap of the mean (10,000 resamples) from 10
// pairs on, the exact sign-test interval of the median below.
func TestOptions() pairtest.Options { return pairtest.DefaultOptions() }

// Comparison is the paired test of one winner row against one loser row on
// one metric. Differences are oriented so that positive means the claim
// holds (winner minus loser, or loser minus winner for FPR/FNR).
type Comparison struct {
	Metric        string
	Winner, Loser string
	pairtest.Result
	// SeedInvariant: both rows have the same value for every seed on each
	// category (e.g. FPR/FNR, which depend on the maps only), so each
	// category is one pair, not one per seed.
	SeedInvariant bool
	Verdict       Verdict
}

// MetricVerdict combines the comparisons of one metric: the winner must
// beat every loser.
type MetricVerdict struct {
	Metric  string
	Verdict Verdict
	// Deciding is the comparison the verdict rests on: the weakest (lowest
	// interval) one, or for Disagrees the worst one below 0.
	Deciding    Comparison
	Comparisons []Comparison
}

// ClaimResult is one claim judged on paired differences.
type ClaimResult struct {
	Table   string
	Index   int // 1-based, within the table
	Claim   Claim
	Verdict Verdict
	Metrics []MetricVerdict
}

// Pairs returns the largest number of pairs any comparison of the claim
// rests on.
func (c ClaimResult) Pairs() int {
	n := 0
	for _, m := range c.Metrics {
		for _, cmp := range m.Comparisons {
			n = max(n, cmp.N)
		}
	}
	return n
}

// JudgeClaim tests a claim on the per-category values of r (FillCategories):
// per metric, the winner row with the best mean is compared with every
// loser row on paired differences (same seed and category); the claim
// agrees when every metric does, disagrees when any metric does, else it
// is inconclusive.
func JudgeClaim(r TableResult, index int, c Claim) (ClaimResult, error) {
	res := ClaimResult{Table: r.Table.ID, Index: index, Claim: c}
	for _, m := range c.Metrics {
		winner := c.Winners[0]
		best := math.Inf(-1)
		for _, w := range c.Winners {
			s, _ := r.Lookup(w, c.Dataset, m)
			if v := orient(s.Mean, m); v > best {
				best, winner = v, w
			}
		}
		mv := MetricVerdict{Metric: m}
		for _, l := range c.Losers {
			d, inv := pairedDiffs(r.RowUnits(winner), r.RowUnits(l), c.Dataset, m)
			o := TestOptions()
			o.Seed = testSeed(r.Table.ID, c.Text, c.Dataset, m, winner, l)
			pr, err := pairtest.Test(d, o)
			if err != nil {
				return res, fmt.Errorf("table %s, claim %d, %s vs %s: %w", r.Table.ID, index, winner, l, err)
			}
			cmp := Comparison{Metric: m, Winner: winner, Loser: l, Result: pr, SeedInvariant: inv}
			switch {
			case pr.N == 0:
				cmp.Verdict = NoPairs
			case pr.Side() == pairtest.Above:
				cmp.Verdict = Agrees
			case pr.Side() == pairtest.Below:
				cmp.Verdict = Disagrees
			default:
				cmp.Verdict = Inconclusive
			}
			mv.Comparisons = append(mv.Comparisons, cmp)
		}
		mv.Verdict, mv.Deciding = combineComparisons(mv.Comparisons)
		res.Metrics = append(res.Metrics, mv)
	}
	var vs []Verdict
	for _, m := range res.Metrics {
		vs = append(vs, m.Verdict)
	}
	res.Verdict = combine(vs)
	return res, nil
}

// combineComparisons: Disagrees if any comparison disagrees (deciding: the
// lowest mean among those), else the combined verdict with the comparison
// of the lowest interval (then lowest mean) deciding.
func combineComparisons(cs []Comparison) (Verdict, Comparison) {
	var vs []Verdict
	for _, c := range cs {
		vs = append(vs, c.Verdict)
	}
	v := combine(vs)
	var dec Comparison
	found := false
	for _, c := range cs {
		if v == Disagrees && c.Verdict != Disagrees {
			continue
		}
		if v != NoPairs && c.N == 0 {
			continue
		}
		if !found || c.Lo < dec.Lo || (c.Lo == dec.Lo && c.Mean < dec.Mean) || (v == Disagrees && c.Mean < dec.Mean) {
			dec, found = c, true
		}
	}
	if !found && len(cs) > 0 {
		dec = cs[0]
	}
	return v, dec
}

// combine: NoPairs when every part has no pairs; Disagrees when any part
// disagrees; Agrees when every part agrees; else Inconclusive.
func combine(vs []Verdict) Verdict {
	if len(vs) == 0 {
		return NoPairs
	}
	all := func(v Verdict) bool {
		for _, x := range vs {
			if x != v {
				return false
			}
		}
		return true
	}
	switch {
	case all(NoPairs):
		return NoPairs
	case all(Agrees):
		return Agrees
	}
	for _, x := range vs {
		if x == Disagrees {
			return Disagrees
		}
	}
	return Inconclusive
}

// pairedDiffs returns the oriented differences winner - loser on a
// dataset and metric for every (seed, category) both rows have, in the
// winner's order. When both rows have identical values across seeds for
// every category (the metric does not depend on the seed), each category
// counts once.
func pairedDiffs(win, lose []CategoryValue, dataset, metric string) ([]float64, bool) {
	type unit struct {
		seed int
		cat  string
	}
	loser := map[unit]float64{}
	for _, u := range lose {
		if v, ok := u.Values[metric]; ok && u.Dataset == dataset {
			loser[unit{u.Seed, u.Category}] = v
		}
	}
	type pair struct {
		seed int
		cat  string
		w, l float64
	}
	var pairs []pair
	for _, u := range win {
		w, ok := u.Values[metric]
		if !ok || u.Dataset != dataset {
			continue
		}
		l, ok := loser[unit{u.Seed, u.Category}]
		if !ok {
			continue
		}
		pairs = append(pairs, pair{u.Seed, u.Category, w, l})
	}
	// seed-invariant: every category's pairs are equal across >1 seeds
	first := map[string]pair{}
	seeds := map[int]bool{}
	invariant := true
	for _, p := range pairs {
		seeds[p.seed] = true
		if f, ok := first[p.cat]; !ok {
			first[p.cat] = p
		} else if f.w != p.w || f.l != p.l {
			invariant = false
		}
	}
	invariant = invariant && len(seeds) > 1
	var d []float64
	seen := map[string]bool{}
	for _, p := range pairs {
		if invariant {
			if seen[p.cat] {
				continue
			}
			seen[p.cat] = true
		}
		d = append(d, orient(p.w, metric)-orient(p.l, metric))
	}
	return d, invariant
}

// testSeed seeds a comparison's bootstrap from what it compares, so that
// every interval is independent of the others and of their order.
func testSeed(parts ...any) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		fmt.Fprintf(h, "%v\x00", p)
	}
	return h.Sum64()
}

// signed prints a number with its sign at Decimals.
func signed(v float64) string {
	if math.IsInf(v, 1) {
		return "+∞"
	}
	if math.IsInf(v, -1) {
		return "−∞"
	}
	s := fmt.Sprintf("%+.*f", Decimals, v)
	if s == fmt.Sprintf("-%.*f", Decimals, 0.0) {
		s = fmt.Sprintf("+%.*f", Decimals, 0.0) // no "-0.000"
	}
	return s
}

// FormatInterval prints a comparison's interval: "[-0.004, +0.021]", or
// "" without one (no pairs, or too few for the level).
func (c Comparison) FormatInterval() string {
	if c.N == 0 || !c.Bounded() {
		return ""
	}
	return "[" + signed(c.Lo) + ", " + signed(c.Hi) + "]"
}

// Describe prints one metric's deciding comparison, e.g. "NMI +0.010
// [-0.004, +0.021] vs (c) mask on patch tokens", followed by basis() unless
// withBasis is false.
func (m MetricVerdict) Describe(multiWinner, multiLoser, withBasis bool) string {
	c := m.Deciding
	if c.N == 0 {
		return MetricName(m.Metric) + " no pairs"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", MetricName(m.Metric), signed(c.Mean))
	if iv := c.FormatInterval(); iv != "" {
		b.WriteString(" " + iv)
	}
	if c.Method == pairtest.SignTest && c.Bounded() {
		fmt.Fprintf(&b, " (median %s)", signed(c.Median))
	}
	switch {
	case multiWinner:
		fmt.Fprintf(&b, " for %s vs %s", c.Winner, c.Loser)
	case multiLoser:
		fmt.Fprintf(&b, " vs %s", c.Loser)
	}
	if withBasis {
		b.WriteString(" " + c.basis())
	}
	return b.String()
}

// basis says what an interval rests on: "(n = 12, bootstrap)".
func (c Comparison) basis() string {
	var b strings.Builder
	fmt.Fprintf(&b, "(n = %d, %s", c.N, c.Method)
	if c.N > 0 && !c.Bounded() {
		fmt.Fprintf(&b, ": too few pairs for a %g %% interval", 100*TestOptions().Level)
	}
	if c.SeedInvariant {
		b.WriteString("; seed-independent, one pair per category")
	}
	b.WriteString(")")
	return b.String()
}

// Line is a claim's verdict as one line of RESULTS.md.
func (c ClaimResult) Line(synthetic bool) string {
	// one basis for the whole line when every deciding comparison shares it
	common := ""
	for i, m := range c.Metrics {
		if m.Deciding.N == 0 {
			common = ""
			break
		}
		b := m.Deciding.basis()
		if i > 0 && b != common {
			common = ""
			break
		}
		common = b
	}
	var parts []string
	for _, m := range c.Metrics {
		parts = append(parts, m.Describe(len(c.Claim.Winners) > 1, len(c.Claim.Losers) > 1, common == ""))
	}
	line := fmt.Sprintf("%s (%s): **%s** — %s", c.Claim.Text, datasetTitle(c.Claim.Dataset, synthetic), c.Verdict, strings.Join(parts, "; "))
	if common != "" {
		line += " " + common
	}
	return line
}
