package ablations

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// fakeUnits gives a row 2 seeds x 6 MVTec-like categories and 1 MTD-like
// category: base value plus a deterministic jitter of at most ±jitter
// (seeded by the row so that rows differ), FPR/FNR = 1 - value.
func fakeUnits(base, jitter float64, row string) []CategoryValue {
	var out []CategoryValue
	h := testSeed(row)
	for _, seed := range []int{3407, 1} {
		for _, d := range []struct {
			name string
			cats []string
		}{{"mvtec", []string{"fabric", "wood", "tile", "metal_nut", "capsule", "cable"}}, {"mtd", []string{"mtd"}}} {
			for _, c := range d.cats {
				h = h*6364136223846793005 + 1442695040888963407
				j := jitter * (2*float64(h>>11)/float64(1<<53) - 1)
				v := base + j
				vals := map[string]float64{}
				for _, k := range []string{"nmi", "ari", "f1", "precision", "recall"} {
					vals[k] = v
				}
				vals["fpr"], vals["fnr"] = 1-v, 1-v
				out = append(out, CategoryValue{Seed: seed, Dataset: d.name, Category: c, Values: vals})
			}
		}
	}
	return out
}

// fakeCategories fills r's units from base values per sweep point.
func fakeCategories(values map[string]float64, jitter float64) func(string, string, string) ([]CategoryValue, error) {
	return func(point, stage, prefix string) ([]CategoryValue, error) {
		v, ok := values[point]
		if !ok {
			return nil, fmt.Errorf("no point %q", point)
		}
		return fakeUnits(v, jitter, point+stage+prefix), nil
	}
}

func tableByID(id string) Table {
	for _, t := range Tables() {
		if t.ID == id {
			return t
		}
	}
	panic("no table " + id)
}

func filledTable(t *testing.T, id string, values map[string]float64, jitter float64) TableResult {
	t.Helper()
	tb := tableByID(id)
	r, err := Fill(tb, fakeSummaries(values))
	if err != nil {
		t.Fatal(err)
	}
	if err := FillCategories(&r, fakeCategories(values, jitter)); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestJudgeClaim(t *testing.T) {
	four := map[string]float64{"(a) w/o mask-guided attention": 0.4, "(b) mask on all tokens": 0.3, "(c) mask on patch tokens": 0.35, "(d) mask on [CLS] token": 0.5}
	with := func(k string, v float64) map[string]float64 {
		m := map[string]float64{}
		for a, b := range four {
			m[a] = b
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name    string
		values  map[string]float64
		jitter  float64
		verdict Verdict
		loser   string // the deciding comparison's loser
		n       int
		method  string
	}{
		{"clear win", four, 0.02, Agrees, "(a) w/o mask-guided attention", 12, "bootstrap"},
		{"one loser better", with("(b) mask on all tokens", 0.6), 0.02, Disagrees, "(b) mask on all tokens", 12, "bootstrap"},
		{"within noise", with("(a) w/o mask-guided attention", 0.5), 0.1, Inconclusive, "(a) w/o mask-guided attention", 12, "bootstrap"},
		// no jitter: every seed gives the same values, one pair per category
		{"identical rows", with("(c) mask on patch tokens", 0.5), 0, Inconclusive, "(c) mask on patch tokens", 6, "sign test"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := filledTable(t, "IV", tc.values, tc.jitter)
			cr, err := JudgeClaim(r, 1, r.Table.Claims[0])
			if err != nil {
				t.Fatal(err)
			}
			if cr.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s: %s", cr.Verdict, tc.verdict, cr.Line(true))
			}
			dec := cr.Metrics[0].Deciding
			if dec.Loser != tc.loser || dec.N != tc.n || string(dec.Method) != tc.method {
				t.Errorf("deciding %s n=%d %s; want %s n=%d %s", dec.Loser, dec.N, dec.Method, tc.loser, tc.n, tc.method)
			}
			if !(dec.Lo <= dec.Mean && dec.Mean <= dec.Hi) {
				t.Errorf("interval [%v, %v] misses the mean %v", dec.Lo, dec.Hi, dec.Mean)
			}
			again, _ := JudgeClaim(r, 1, r.Table.Claims[0])
			if again.Line(true) != cr.Line(true) {
				t.Errorf("judging twice differs:\n%s\n%s", cr.Line(true), again.Line(true))
			}
		})
	}
}

func TestJudgeClaimFewPairsAndNoPairs(t *testing.T) {
	// Table IX's claim on MVTec has 12 pairs; a copy on MTD (1 category x 2
	// seeds) has 2: sign test, no 95 % interval, inconclusive.
	r := filledTable(t, "IX", map[string]float64{"w/o D^l": 0.2, "w D^l": 0.6}, 0.01)
	c := r.Table.Claims[0]
	c.Dataset = "mtd"
	cr, err := JudgeClaim(r, 1, c)
	if err != nil {
		t.Fatal(err)
	}
	dec := cr.Metrics[0].Deciding
	if cr.Verdict != Inconclusive || dec.N != 2 || dec.Method != "sign test" || dec.Bounded() {
		t.Errorf("got %s n=%d %s bounded=%v: %s", cr.Verdict, dec.N, dec.Method, dec.Bounded(), cr.Line(true))
	}
	if !strings.Contains(cr.Line(true), "(n = 2, sign test: too few pairs for a 95 % interval)") {
		t.Errorf("line does not say why: %s", cr.Line(true))
	}
	// no units at all: no pairs
	r.Units = nil
	cr, err = JudgeClaim(r, 1, r.Table.Claims[0])
	if err != nil {
		t.Fatal(err)
	}
	if cr.Verdict != NoPairs || !strings.Contains(cr.Line(true), "NMI no pairs") {
		t.Errorf("without units: %s", cr.Line(true))
	}
}

func TestJudgeClaimMultipleWinners(t *testing.T) {
	// Table V: L_m = 6 has the better mean of the two winners and is compared
	r := filledTable(t, "V", map[string]float64{"model.mask_layers=1": 0.1, "model.mask_layers=3": 0.5,
		"model.mask_layers=6": 0.45, "model.mask_layers=9": 0.3, "model.mask_layers=12": 0.2}, 0.01)
	cr, err := JudgeClaim(r, 1, r.Table.Claims[0])
	if err != nil {
		t.Fatal(err)
	}
	dec := cr.Metrics[0].Deciding
	if dec.Winner != "L_m = 6" || dec.Loser != "L_m = 12" || cr.Verdict != Agrees {
		t.Errorf("got %s: %s", cr.Verdict, cr.Line(true))
	}
	if !strings.Contains(cr.Line(true), "for L_m = 6 vs L_m = 12") {
		t.Errorf("line does not name the compared rows: %s", cr.Line(true))
	}
}

func TestPairedDiffs(t *testing.T) {
	u := func(seed int, cat string, v float64) CategoryValue {
		return CategoryValue{Seed: seed, Dataset: "mvtec", Category: cat, Values: map[string]float64{"nmi": v, "fpr": v}}
	}
	cases := []struct {
		name      string
		win, lose []CategoryValue
		metric    string
		want      []float64
		invariant bool
	}{
		{"paired by seed and category", []CategoryValue{u(1, "a", 0.5), u(2, "a", 0.7), u(1, "b", 0.2)},
			[]CategoryValue{u(2, "a", 0.4), u(1, "a", 0.1), u(1, "b", 0.3)}, "nmi", []float64{0.4, 0.3, -0.1}, false},
		{"unpaired units dropped", []CategoryValue{u(1, "a", 0.5), u(1, "c", 0.9)},
			[]CategoryValue{u(1, "a", 0.5), u(2, "c", 0.1)}, "nmi", []float64{0}, false},
		{"lower is better for FPR", []CategoryValue{u(1, "a", 0.2)}, []CategoryValue{u(1, "a", 0.5)}, "fpr", []float64{0.3}, false},
		{"seed-independent values count once", []CategoryValue{u(1, "a", 0.5), u(2, "a", 0.5), u(1, "b", 0.2), u(2, "b", 0.2)},
			[]CategoryValue{u(1, "a", 0.4), u(2, "a", 0.4), u(1, "b", 0.1), u(2, "b", 0.1)}, "nmi", []float64{0.1, 0.1}, true},
		{"one seed is not seed-independent", []CategoryValue{u(1, "a", 0.5), u(1, "b", 0.2)},
			[]CategoryValue{u(1, "a", 0.4), u(1, "b", 0.1)}, "nmi", []float64{0.1, 0.1}, false},
		{"other dataset ignored", []CategoryValue{{Seed: 1, Dataset: "mtd", Category: "a", Values: map[string]float64{"nmi": 1}}},
			[]CategoryValue{u(1, "a", 0.4)}, "nmi", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, inv := pairedDiffs(tc.win, tc.lose, "mvtec", tc.metric)
			if inv != tc.invariant || len(d) != len(tc.want) {
				t.Fatalf("got %v (invariant %v), want %v (%v)", d, inv, tc.want, tc.invariant)
			}
			for i := range d {
				if math.Abs(d[i]-tc.want[i]) > 1e-12 {
					t.Errorf("diff %d = %v, want %v", i, d[i], tc.want[i])
				}
			}
		})
	}
}

func TestCombine(t *testing.T) {
	cases := []struct {
		in   []Verdict
		want Verdict
	}{
		{nil, NoPairs},
		{[]Verdict{NoPairs, NoPairs}, NoPairs},
		{[]Verdict{Agrees, Agrees}, Agrees},
		{[]Verdict{Agrees, Inconclusive}, Inconclusive},
		{[]Verdict{Agrees, NoPairs}, Inconclusive},
		{[]Verdict{Agrees, Disagrees, Inconclusive}, Disagrees},
	}
	for _, tc := range cases {
		if got := combine(tc.in); got != tc.want {
			t.Errorf("combine(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestRenderAppendix(t *testing.T) {
	values := map[string]float64{"AnomalyNCD": 0.4, "NCD baseline": 0.2}
	r := filledTable(t, "II", values, 0.05)
	var b bytes.Buffer
	if err := Render(&b, Header{Profile: "quick", Dataset: "synthetic", Seeds: []int{3407, 1}}, []TableResult{r}); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"## Appendix — per-category results", "### Per category — MVTec AD-like NMI",
		"### Per category — MTD-like F1", "| capsule, seed 1 ", "| capsule, mean ", "| mtd, seed 3407 ",
		"a verdict rests on at most 12 pairs on MVTec AD-like and 2 pairs on MTD-like"} {
		if !strings.Contains(text, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
	cells, err := ParseCells("RESULTS.md", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	// the appendix's value of one unit is the unit's value
	units := r.RowUnits("MuSc + AnomalyNCD")
	var want float64
	for _, u := range units {
		if u.Dataset == "mvtec" && u.Category == "wood" && u.Seed == 1 {
			want = u.Values["ari"]
		}
	}
	got := cells[CellRef{Section: "Per category — MVTec AD-like ARI", Row: "wood, seed 1", Column: "MuSc + AnomalyNCD"}]
	if got != fmt.Sprintf("%.3f", want) {
		t.Errorf("appendix cell %q, want %.3f", got, want)
	}
}

// TestVerdictIndependentOfIndex: the intervals must not depend on the
// index a claim is judged with (JudgeTableClaims numbers them from 1).
func TestVerdictIndependentOfIndex(t *testing.T) {
	r := filledTable(t, "IV", map[string]float64{"(a) w/o mask-guided attention": 0.45, "(b) mask on all tokens": 0.3,
		"(c) mask on patch tokens": 0.35, "(d) mask on [CLS] token": 0.5}, 0.08)
	a, err := JudgeClaim(r, 0, r.Table.Claims[0])
	if err != nil {
		t.Fatal(err)
	}
	all := JudgeTableClaims(r, true)
	if err := all[0].Err; err != nil {
		t.Fatal(err)
	}
	if a.Line(true) != all[0].Result.Line(true) || all[0].Result.Index != 1 {
		t.Errorf("index changes the verdict:\n%s\n%s", a.Line(true), all[0].Result.Line(true))
	}
	if got := all[0].Line; got != a.Line(true) {
		t.Errorf("claimVerdict %q, want %q", got, a.Line(true))
	}
}
