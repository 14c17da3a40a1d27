package metrics

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"
)

// goldenFile is produced by testdata/gen_golden.py with scikit-learn 1.2.1
// and scipy 1.10.1 (the values the reference code would compute).
type goldenFile struct {
	Generator string `json:"generator"`
	Cluster   []struct {
		YTrue      []int   `json:"y_true"`
		YPred      []int   `json:"y_pred"`
		IsBase     []bool  `json:"is_base"`
		Assignment []int   `json:"assignment"`
		NMI        float64 `json:"nmi"`
		ARI        float64 `json:"ari"`
		F1         float64 `json:"f1"`
		MacroF1    float64 `json:"macro_f1"`
	} `json:"cluster"`
	LSA []struct {
		Cost [][]float64 `json:"cost"`
		Rows []int       `json:"rows"`
		Cols []int       `json:"cols"`
	} `json:"lsa"`
}

func loadGolden(t *testing.T) goldenFile {
	t.Helper()
	data, err := os.ReadFile("testdata/sklearn_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g goldenFile
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cluster) == 0 || len(g.LSA) == 0 {
		t.Fatal("empty golden file")
	}
	return g
}

func TestClusterScoresMatchSklearn(t *testing.T) {
	g := loadGolden(t)
	for i, c := range g.Cluster {
		s, err := ClusterScores(c.YTrue, c.YPred, c.IsBase)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		for _, m := range []struct {
			name      string
			got, want float64
		}{{"nmi", s.NMI, c.NMI}, {"ari", s.ARI, c.ARI}, {"f1", s.F1, c.F1}, {"macro_f1", s.MacroF1, c.MacroF1}} {
			if math.Abs(m.got-m.want) > 1e-12 {
				t.Errorf("case %d (%s): %s = %.17g, sklearn %.17g", i, g.Generator, m.name, m.got, m.want)
			}
		}
		for pred, class := range s.Assignment {
			if pred >= len(c.Assignment) || c.Assignment[pred] != class {
				t.Errorf("case %d: assignment %v, scipy %v", i, s.Assignment, c.Assignment)
				break
			}
		}
	}
}

func TestLinearSumAssignmentMatchesScipyOnTies(t *testing.T) {
	g := loadGolden(t)
	for i, c := range g.LSA {
		rows, cols, err := LinearSumAssignment(c.Cost)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !slices.Equal(rows, c.Rows) || !slices.Equal(cols, c.Cols) {
			t.Errorf("case %d %v: got rows %v cols %v, scipy rows %v cols %v", i, c.Cost, rows, cols, c.Rows, c.Cols)
		}
	}
}
