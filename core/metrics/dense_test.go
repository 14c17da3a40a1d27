package metrics

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// fullMatrixScores is the reference's computation with its D×D matrix,
// D = max label + 1 (reference-behaviour.md §10), for comparison with the
// dense-label ClusterScores. It returns the assignment of every row.
func fullMatrixScores(t *testing.T, yTrue, yPred []int, isBase []bool) (Scores, []int) {
	t.Helper()
	d := max(slices.Max(yPred), slices.Max(yTrue)) + 1
	w := make([][]float64, d)
	for i := range w {
		w[i] = make([]float64, d)
	}
	for i := range yTrue {
		w[yPred[i]][yTrue[i]]++
	}
	wMax := 0.0
	for _, row := range w {
		wMax = max(wMax, slices.Max(row))
	}
	for _, row := range w {
		for j := range row {
			row[j] = wMax - row[j]
		}
	}
	rows, cols, err := LinearSumAssignment(w)
	if err != nil {
		t.Fatal(err)
	}
	assign := make([]int, d)
	for k, r := range rows {
		assign[r] = cols[k]
	}
	novel := map[int]bool{}
	for i, c := range yTrue {
		if isBase == nil || !isBase[i] {
			novel[c] = true
		}
	}
	var s Scores
	for i, c := range yTrue {
		if novel[c] {
			s.TrueNovel = append(s.TrueNovel, c)
			s.MappedPred = append(s.MappedPred, assign[yPred[i]])
		}
	}
	s.NMI, s.ARI = NMI(s.TrueNovel, s.MappedPred), ARI(s.TrueNovel, s.MappedPred)
	s.F1, s.MacroF1 = MicroF1(s.TrueNovel, s.MappedPred), MacroF1(s.TrueNovel, s.MappedPred)
	return s, assign
}

// TestDenseLabelsMatchFullMatrix: ClusterScores equals the reference's D×D
// computation (scores and the assignment of every label that occurs) on
// tie-heavy random cases with gaps in the labels, with and without base
// flags; the dense renumbering used beyond FullMatrixLabels gives the same
// NMI and ARI (up to rounding: the sums run in another order), and the same
// F1 when no sample is flagged base.
func TestDenseLabelsMatchFullMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for c := 0; c < 2000; c++ {
		n := 1 + rng.IntN(40)
		pool := rng.Perm(16)[:1+rng.IntN(6)] // labels with gaps, any order
		yTrue, yPred := make([]int, n), make([]int, n)
		var isBase []bool
		if c%2 == 1 {
			isBase = make([]bool, n)
		}
		for i := range yTrue {
			yTrue[i] = pool[rng.IntN(len(pool))]
			yPred[i] = pool[rng.IntN(len(pool))]
			if rng.IntN(3) == 0 {
				yPred[i] = rng.IntN(16)
			}
			if isBase != nil {
				isBase[i] = rng.IntN(3) == 0
			}
		}
		got, err := ClusterScores(yTrue, yPred, isBase)
		if err != nil {
			t.Fatal(err)
		}
		want, assign := fullMatrixScores(t, yTrue, yPred, isBase)
		dense, err := clusterScores(yTrue, yPred, isBase, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(dense.NMI-want.NMI) > 1e-12 || math.Abs(dense.ARI-want.ARI) > 1e-12 || (isBase == nil && dense.F1 != want.F1) {
			t.Fatalf("case %d (true %v pred %v base %v): dense labels %+v, full matrix %+v", c, yTrue, yPred, isBase, dense, want)
		}
		if got.F1 != want.F1 || got.NMI != want.NMI || got.ARI != want.ARI || got.MacroF1 != want.MacroF1 {
			t.Fatalf("case %d (true %v pred %v base %v): dense %+v, full matrix %+v", c, yTrue, yPred, isBase, got, want)
		}
		for p, class := range got.Assignment {
			if assign[p] != class {
				t.Fatalf("case %d (true %v pred %v): dense assignment %v, full %v", c, yTrue, yPred, got.Assignment, assign)
			}
		}
	}
}

// TestHugeLabelsAreCheap: a label of 10^9 costs what a label of 1 costs
// (the reference's D×D matrix would need 8·10^18 bytes).
func TestHugeLabelsAreCheap(t *testing.T) {
	yTrue := []int{0, 0, 1_000_000_000, 1_000_000_000, 20000}
	yPred := []int{1_000_000_000, 1_000_000_000, 3, 3, 20000}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	s, err := ClusterScores(yTrue, yPred, nil)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if s.F1 != 1 || math.Abs(s.NMI-1) > 1e-12 || s.Assignment[1_000_000_000] != 0 || s.Assignment[3] != 1_000_000_000 {
		t.Fatalf("scores %+v", s)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 300<<20 || elapsed > time.Second {
		t.Fatalf("label 10^9: %v and %d bytes allocated, want < 1 s and < 300 MB", elapsed, alloc)
	}
}
