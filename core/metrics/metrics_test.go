package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestHandComputedScores(t *testing.T) {
	ln2, ln6 := math.Log(2), math.Log(6)
	tests := []struct {
		name          string
		yTrue, yPred  []int
		isBase        []bool
		nmi, ari, f1  float64
		wantAssignLen int
	}{
		// Identical partitions: NMI = ARI = F1 = 1.
		{"identical", []int{0, 0, 1, 1}, []int{1, 1, 0, 0}, nil, 1, 1, 1, 2},
		// Independent partitions: MI = 0 so NMI = 0; pair counts tp=0, fp=fn=tn=4
		// give ARI = 2(0·4−4·4)/((0+4)(4+4)+(0+4)(4+4)) = −32/64 = −0.5; best map hits 2 of 4.
		{"independent", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, nil, 0, -0.5, 0.5, 2},
		// sklearn's docs example: MI = (2/3)ln2, H(true) = ln2, H(pred) = ln3,
		// NMI = (4/3)ln2/ln6; pairs tp=4, fp=2, fn=8, tn=16 → ARI = 96/396 = 8/33.
		// Hungarian maps pred0→0, pred2→1, so 4 of 6 agree.
		{"split", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, nil, 4.0 / 3 * ln2 / ln6, 8.0 / 33, 4.0 / 6, 3},
		// One class, one cluster: sklearn's special case NMI = ARI = 1.
		{"single cluster", []int{3, 3, 3}, []int{0, 0, 0}, nil, 1, 1, 1, 1},
		// One class, two clusters: MI = 0 → NMI = 0; tp=2, fp=0, fn=4 → ARI = 0.
		{"one class two clusters", []int{0, 0, 0}, []int{0, 0, 1}, nil, 0, 0, 2.0 / 3, 2},
		// Every sample is base: metrics of empty input (sklearn: NMI 1, ARI 1; F1 0).
		{"all base", []int{0, 1}, []int{0, 1}, []bool{true, true}, 1, 1, 0, 2},
		// More clusters than classes; labels not starting at 0 (the reference's D = 7).
		{"more clusters", []int{5, 5, 6, 6}, []int{0, 1, 2, 3}, nil, 2 * ln2 / (ln2 + 2*ln2), 0, 0.5, 4},
		// Base samples vote in the assignment but are not scored: the base
		// samples force pred 1 → class 0, so the novel pred-1 samples
		// (true class 2) are mapped wrong.
		{"base steers assignment", []int{0, 0, 0, 2, 2}, []int{1, 1, 1, 1, 1}, []bool{true, true, true, false, false}, 1, 1, 0, 1},
		// §10 step 4: class 1 has base-flagged (samples 2, 3) and
		// novel-flagged (4, 5) samples, so it is a novel class and all four
		// of its samples are scored, with class 2's two; class 0 (all base)
		// is not. w[pred][true] over all samples: pred 0 → {0: 2}, pred 1 →
		// {1: 2}, pred 2 → {1: 2, 2: 2}; the unique best map is the identity
		// (agreement 6; 1→2, 2→1 gives 4). Kept: true 1 1 1 1 2 2, mapped
		// pred 2 2 1 1 2 2 → F1 = 4/6. Contingency true×pred: (1,1)=2,
		// (1,2)=2, (2,2)=2, sizes true {4, 2}, pred {2, 4}:
		// MI = (2·ln 1.5 + ln 0.75)/3 = ln(1.6875)/3, both entropies
		// H = −(2/3 ln 2/3 + 1/3 ln 1/3), so NMI = MI/H; pair sums
		// Σ C(n_ij,2) = 3, Σ C(a,2) = Σ C(b,2) = 7, C(6,2) = 15 → ARI =
		// (3 − 49/15)/(7 − 49/15) = −1/14. Scoring only the novel-flagged
		// samples (4..7) would give F1 = NMI = ARI = 1.
		{"novel class with base-flagged samples", []int{0, 0, 1, 1, 1, 1, 2, 2}, []int{0, 0, 2, 2, 1, 1, 2, 2},
			[]bool{true, true, true, true, false, false, false, false},
			math.Log(1.6875) / 3 / -(2.0/3*math.Log(2.0/3) + 1.0/3*math.Log(1.0/3)), -1.0 / 14, 4.0 / 6, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ClusterScores(tc.yTrue, tc.yPred, tc.isBase)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(s.NMI-tc.nmi) > 1e-12 || math.Abs(s.ARI-tc.ari) > 1e-12 || math.Abs(s.F1-tc.f1) > 1e-12 {
				t.Errorf("got NMI %.15g ARI %.15g F1 %.15g, want %.15g %.15g %.15g", s.NMI, s.ARI, s.F1, tc.nmi, tc.ari, tc.f1)
			}
			if len(s.Assignment) != tc.wantAssignLen {
				t.Errorf("assignment %v, want %d predicted labels", s.Assignment, tc.wantAssignLen)
			}
			seen := map[int]bool{}
			for _, class := range s.Assignment {
				if seen[class] {
					t.Fatalf("assignment %v is not one-to-one", s.Assignment)
				}
				seen[class] = true
			}
		})
	}
}

func TestClusterScoresErrors(t *testing.T) {
	tests := []struct {
		name         string
		yTrue, yPred []int
		isBase       []bool
		wantSub      string
	}{
		{"length", []int{0, 1}, []int{0}, nil, "predictions"},
		{"base length", []int{0, 1}, []int{0, 1}, []bool{true}, "is_base"},
		{"empty", nil, nil, nil, "no samples"},
		{"negative", []int{0, -1}, []int{0, 1}, nil, "negative"},
	}
	for _, tc := range tests {
		_, err := ClusterScores(tc.yTrue, tc.yPred, tc.isBase)
		if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
			t.Errorf("%s: err %v, want one containing %q", tc.name, err, tc.wantSub)
		}
	}
}

// bruteForceMin returns the minimum assignment cost over all injective maps
// from the smaller side to the larger one.
func bruteForceMin(cost [][]float64) float64 {
	nr, nc := len(cost), len(cost[0])
	at := func(i, j int) float64 { return cost[i][j] }
	if nr > nc {
		nr, nc = nc, nr
		at = func(i, j int) float64 { return cost[j][i] }
	}
	best := math.Inf(1)
	used := make([]bool, nc)
	var rec func(i int, sum float64)
	rec = func(i int, sum float64) {
		if i == nr {
			best = min(best, sum)
			return
		}
		for j := 0; j < nc; j++ {
			if !used[j] {
				used[j] = true
				rec(i+1, sum+at(i, j))
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func TestLinearSumAssignmentBruteForce(t *testing.T) {
	for seed := uint64(0); seed < 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		nr, nc := 1+rng.IntN(6), 1+rng.IntN(6)
		cost := make([][]float64, nr)
		for i := range cost {
			cost[i] = make([]float64, nc)
			for j := range cost[i] {
				if seed%2 == 0 {
					cost[i][j] = float64(rng.IntN(4)) // many ties
				} else {
					cost[i][j] = rng.NormFloat64() * 10
				}
			}
		}
		rows, cols, err := LinearSumAssignment(cost)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != min(nr, nc) || !slices.IsSorted(rows) {
			t.Fatalf("seed %d: rows %v for %dx%d", seed, rows, nr, nc)
		}
		seen := map[int]bool{}
		sum := 0.0
		for k := range rows {
			if seen[cols[k]] {
				t.Fatalf("seed %d: column %d used twice", seed, cols[k])
			}
			seen[cols[k]] = true
			sum += cost[rows[k]][cols[k]]
		}
		if want := bruteForceMin(cost); math.Abs(sum-want) > 1e-9 {
			t.Errorf("seed %d: cost %v, brute force %v (%v)", seed, sum, want, cost)
		}
	}
}

func TestLinearSumAssignmentEdgeCases(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name    string
		cost    [][]float64
		rows    []int
		cols    []int
		wantErr bool
	}{
		{"empty", nil, []int{}, []int{}, false},
		{"forbidden pairs", [][]float64{{inf, 1}, {2, inf}}, []int{0, 1}, []int{1, 0}, false},
		{"infeasible", [][]float64{{inf, inf}, {1, 2}}, nil, nil, true},
		{"nan", [][]float64{{math.NaN()}}, nil, nil, true},
		{"ragged", [][]float64{{1, 2}, {1}}, nil, nil, true},
		{"tall", [][]float64{{5}, {1}, {3}}, []int{1}, []int{0}, false},
	}
	for _, tc := range tests {
		rows, cols, err := LinearSumAssignment(tc.cost)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err %v", tc.name, err)
			continue
		}
		if !tc.wantErr && (!slices.Equal(rows, tc.rows) || !slices.Equal(cols, tc.cols)) {
			t.Errorf("%s: got %v %v, want %v %v", tc.name, rows, cols, tc.rows, tc.cols)
		}
	}
}

func TestNormalClassPrecisionRecall(t *testing.T) {
	// Normal class is 4 (first novel class after 4 base classes).
	yTrue := []int{4, 4, 4, 5, 5, 6}
	yPred := []int{0, 0, 1, 0, 1, 2}
	s, err := ClusterScores(yTrue, yPred, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Hungarian: pred0→4 (2 hits), pred1→5 (1), pred2→6 (1).
	// Mapped: [4 4 5 4 5 6]; class 4 predicted 3×, 2 correct; 3 true.
	p, r := NormalClassPrecisionRecall(s, 4)
	if math.Abs(p-2.0/3) > 1e-15 || math.Abs(r-2.0/3) > 1e-15 {
		t.Errorf("precision %v recall %v, want 2/3 2/3", p, r)
	}
	if p, r := ClassPrecisionRecall([]int{1}, []int{0}, 7); p != 0 || r != 0 {
		t.Errorf("absent class: %v %v, want 0 0", p, r)
	}
}

func TestMeanStd(t *testing.T) {
	tests := []struct {
		vals      []float64
		mean, std float64
		formatted string
	}{
		{nil, math.NaN(), 0, "n/a"},
		{[]float64{math.NaN()}, math.NaN(), 0, "n/a"},
		{[]float64{0.613}, 0.613, 0, "0.613 ± 0.000"},
		{[]float64{math.NaN(), 0.613}, 0.613, 0, "0.613 ± 0.000"},
		{[]float64{0.59, math.NaN(), 0.61}, 0.6, math.Sqrt(0.0002), "0.600 ± 0.014"},
		// mean 0.6, deviations ±0.01 → sample var 0.0002/1 → std 0.0141421.
		{[]float64{0.59, 0.61}, 0.6, math.Sqrt(0.0002), "0.600 ± 0.014"},
		{[]float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0 / 3), "2.500 ± 1.291"},
	}
	for _, tc := range tests {
		m, s := MeanStd(tc.vals)
		sameMean := math.IsNaN(m) && math.IsNaN(tc.mean) || math.Abs(m-tc.mean) <= 1e-12
		if !sameMean || math.Abs(s-tc.std) > 1e-12 {
			t.Errorf("%v: mean %v std %v, want %v %v", tc.vals, m, s, tc.mean, tc.std)
		}
		if got := FormatMeanStd(tc.vals, 3); got != tc.formatted {
			t.Errorf("%v: formatted %q, want %q", tc.vals, got, tc.formatted)
		}
	}
	if got := PopulationStd([]float64{1, 2, math.NaN(), 3, 4}); math.Abs(got-math.Sqrt(1.25)) > 1e-15 {
		t.Errorf("population std %v", got)
	}
	if got := PopulationStd(nil); got != 0 {
		t.Errorf("population std of nothing %v, want 0", got)
	}
}

func TestParseLabelsCSV(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
		n                 int
		base              bool
	}{
		{"two columns", "y_true,y_pred\n0,1\n1,0\n", "", 2, false},
		{"three columns", "y_true,y_pred,is_base\n0,1,1\n\n1,0,0\n", "", 2, true},
		{"bad header", "a,b\n0,1\n", "x.csv:1: bad header", 0, false},
		{"ragged", "y_true,y_pred\n0,1\n1\n", "x.csv:3: 1 fields", 0, false},
		{"non integer", "y_true,y_pred\n0,1.5\n", "x.csv:2: y_pred \"1.5\"", 0, false},
		{"bad base", "y_true,y_pred,is_base\n0,1,2\n", "x.csv:2: is_base", 0, false},
		{"no rows", "y_true,y_pred\n", "no data rows", 0, false},
		{"empty", "", "empty file", 0, false},
		{"quoted, spaces, BOM and blank lines", "\ufeff y_true , y_pred\n\n  \n\"0\", 1\r\n1 ,\"0\"\n", "", 2, false},
		{"bad quote", "y_true,y_pred\n0,\"1\n", "x.csv", 0, false},
	}
	for _, tc := range tests {
		tab, err := parseLabelsCSV(strings.NewReader(tc.in), "x.csv")
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || len(tab.YTrue) != tc.n || (tab.IsBase != nil) != tc.base {
			t.Errorf("%s: %+v, %v", tc.name, tab, err)
		}
	}
}

func ExampleClusterScores() {
	yTrue := []int{4, 4, 5, 5, 6, 6}
	yPred := []int{2, 2, 0, 0, 1, 0}
	s, err := ClusterScores(yTrue, yPred, nil)
	if err != nil {
		panic(err)
	}
	// sklearn 1.2.1 gives NMI 0.7396673768007592, ARI 0.4444444444444444.
	fmt.Printf("NMI %.3f ARI %.3f F1 %.3f map %v\n", s.NMI, s.ARI, s.F1, s.Assignment)
	fmt.Println(FormatMeanStd([]float64{0.601, 0.613, 0.625}, 3))
	// Output:
	// NMI 0.740 ARI 0.444 F1 0.833 map map[0:5 1:6 2:4]
	// 0.613 ± 0.012
}

func BenchmarkLinearSumAssignment1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cost := make([][]float64, 1000)
	for i := range cost {
		cost[i] = make([]float64, 1000)
		for j := range cost[i] {
			cost[i][j] = rng.Float64()
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := LinearSumAssignment(cost); err != nil {
			b.Fatal(err)
		}
	}
}
