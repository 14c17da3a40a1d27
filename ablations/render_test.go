package ablations

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/experiments"
)

func TestNewStat(t *testing.T) {
	tests := []struct {
		in        []float64
		mean, std float64
		text      string
	}{
		{[]float64{0.5}, 0.5, 0, "0.500 ± 0.000"},
		{[]float64{0.4, 0.6}, 0.5, math.Sqrt(0.02), "0.500 ± 0.141"},
		{[]float64{math.NaN(), 0.3}, 0.3, 0, "0.300 ± 0.000"},
		{nil, math.NaN(), 0, "n/a"},
	}
	for _, tc := range tests {
		s := NewStat(tc.in)
		if !(math.IsNaN(tc.mean) && math.IsNaN(s.Mean)) && math.Abs(s.Mean-tc.mean) > 1e-12 || math.Abs(s.Std-tc.std) > 1e-12 {
			t.Errorf("%v: mean %v std %v", tc.in, s.Mean, s.Std)
		}
		if s.Format() != tc.text {
			t.Errorf("%v: %q want %q", tc.in, s.Format(), tc.text)
		}
	}
}

// fakeSummaries gives every point a value per metric derived from its label,
// so that claims can be checked.
func fakeSummaries(values map[string]float64) func(string, string) ([]map[string]float64, error) {
	return func(point, _ string) ([]map[string]float64, error) {
		v, ok := values[point]
		if !ok {
			return nil, fmt.Errorf("no point %q", point)
		}
		m := map[string]float64{}
		for _, d := range []string{"mvtec", "mtd"} {
			for _, k := range []string{"nmi", "ari", "f1", "aupro", "precision", "recall"} {
				m[d+"."+k] = v
			}
			m[d+".fpr"], m[d+".fnr"] = 1-v, 1-v
		}
		return []map[string]float64{m, m}, nil
	}
}

func TestRenderClaimsAndPaperNumbers(t *testing.T) {
	var four Table
	for _, tb := range Tables() {
		if tb.ID == "IV" {
			four = tb
		}
	}
	tests := []struct {
		name    string
		values  map[string]float64
		verdict string
	}{
		{"cls best", map[string]float64{"(a) w/o mask-guided attention": 0.4, "(b) mask on all tokens": 0.3, "(c) mask on patch tokens": 0.35, "(d) mask on [CLS] token": 0.5}, "**agrees** — NMI +0.100 ["},
		{"none best", map[string]float64{"(a) w/o mask-guided attention": 0.6, "(b) mask on all tokens": 0.3, "(c) mask on patch tokens": 0.35, "(d) mask on [CLS] token": 0.5}, "**disagrees** — NMI -0.100 ["},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Fill(four, fakeSummaries(tc.values))
			if err != nil {
				t.Fatal(err)
			}
			if err := FillCategories(&r, fakeCategories(tc.values, 0)); err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			h := Header{Profile: "smoke", Dataset: "synthetic", Seeds: []int{1, 2}, CodeVersion: "abc", ConfigHash: "h"}
			if err := Render(&a, h, []TableResult{r}); err != nil {
				t.Fatal(err)
			}
			Render(&b, h, []TableResult{r})
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Fatal("render is not deterministic")
			}
			text := a.String()
			if !strings.Contains(text, tc.verdict) {
				t.Errorf("want verdict %q in\n%s", tc.verdict, text)
			}
			if !strings.Contains(text, "0.500 ± 0.000 (0.613)") && tc.name == "cls best" {
				t.Errorf("want our number beside the paper's 0.613:\n%s", text)
			}
			if _, err := ParseCells("R.md", strings.NewReader(text)); err != nil {
				t.Errorf("rendered results do not parse: %v", err)
			}
		})
	}
}

func TestFillNamesMissingPoint(t *testing.T) {
	_, err := Fill(Tables()[3], fakeSummaries(map[string]float64{}))
	if err == nil || !strings.Contains(err.Error(), "table IV") {
		t.Fatalf("want error naming the table, got %v", err)
	}
}

func TestPlanStudySharesStagesAcrossTables(t *testing.T) {
	ov, _ := experiments.ParseOverride("experiment.profile=smoke")
	s, err := PlanStudy(experiments.Loader{}, Tables(), FigureSweeps(), []experiments.Override{ov})
	if err != nil {
		t.Fatal(err)
	}
	if s.Saved() <= 0 {
		t.Fatalf("no sharing: %d tasks for %d executions", len(s.Tasks), s.Executions())
	}
	counts := map[string]int{}
	for _, tk := range s.Tasks {
		counts[tk.Stage]++
	}
	// one synthetic dataset and one pretrained backbone serve every table
	if counts["data"] != 1 || counts["pretrain"] != 1 {
		t.Fatalf("stage counts %v", counts)
	}
	// every table row resolves to a point of its sweep
	for _, tb := range Tables() {
		for _, r := range tb.Rows {
			if _, err := s.Keys(tb.Sweep, r.Point); err != nil {
				t.Errorf("table %s row %q: %v", tb.ID, r.Label, err)
			}
		}
	}
}

// TestRenderAllTablesParses renders every table with the same fake values and
// checks that results diff can key every cell (no duplicate row labels).
func TestRenderAllTablesParses(t *testing.T) {
	var filled []TableResult
	for _, tb := range Tables() {
		values := map[string]float64{}
		for i, r := range tb.Rows {
			values[r.Point] = 0.1 * float64(i+1)
		}
		r, err := Fill(tb, fakeSummaries(values))
		if err != nil {
			t.Fatal(err)
		}
		if err := FillCategories(&r, fakeCategories(values, 0.01)); err != nil {
			t.Fatal(err)
		}
		filled = append(filled, r)
	}
	var out bytes.Buffer
	if err := Render(&out, Header{Profile: "smoke", Dataset: "synthetic"}, filled); err != nil {
		t.Fatal(err)
	}
	cells, err := ParseCells("RESULTS.md", &out)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) < 200 {
		t.Fatalf("only %d cells parsed", len(cells))
	}
}
