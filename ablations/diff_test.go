package ablations

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

const oldMD = `# Results
## Table IV
| Mask | NMI | F1 |
|---|---|---|
| cls | 0.500 ± 0.010 (0.613) | 0.700 |
| none | 0.400 | 0.600 |
## Table V
| L_m | NMI |
|---|---|
| 1 | 0.3 |
`

func TestCompare(t *testing.T) {
	tests := []struct {
		name    string
		new     string
		changed []string
		added   int
		removed int
		tol     float64
		exceeds bool
	}{
		{"identical", oldMD, nil, 0, 0, 0, false},
		{"one number moved", strings.Replace(oldMD, "| none | 0.400 |", "| none | 0.450 |", 1), []string{"Table IV / none / NMI"}, 0, 0, 0.01, true},
		{"within tolerance", strings.Replace(oldMD, "| none | 0.400 |", "| none | 0.405 |", 1), []string{"Table IV / none / NMI"}, 0, 0, 0.01, false},
		{"row added", oldMD + "| 3 | 0.4 |\n", nil, 1, 0, 1, true},
		{"row removed", strings.Replace(oldMD, "| 1 | 0.3 |\n", "", 1), nil, 0, 1, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ParseCells("old.md", strings.NewReader(oldMD))
			if err != nil {
				t.Fatal(err)
			}
			n, err := ParseCells("new.md", strings.NewReader(tc.new))
			if err != nil {
				t.Fatal(err)
			}
			d := Compare(o, n)
			var got []string
			for _, c := range d.Changed {
				got = append(got, c.Cell.String())
			}
			if strings.Join(got, ";") != strings.Join(tc.changed, ";") {
				t.Fatalf("changed %v want %v", got, tc.changed)
			}
			if len(d.Added) != tc.added || len(d.Removed) != tc.removed {
				t.Fatalf("added %d removed %d", len(d.Added), len(d.Removed))
			}
			if d.Exceeds(tc.tol) != tc.exceeds {
				t.Fatalf("exceeds(%v) = %v", tc.tol, !tc.exceeds)
			}
			var buf bytes.Buffer
			d.Write(&buf)
			if buf.Len() == 0 {
				t.Fatal("empty report")
			}
		})
	}
}

func TestLeadingNumberDelta(t *testing.T) {
	o, _ := ParseCells("a", strings.NewReader(oldMD))
	n, _ := ParseCells("b", strings.NewReader(strings.Replace(oldMD, "0.500 ± 0.010 (0.613)", "0.520 ± 0.020 (0.613)", 1)))
	d := Compare(o, n)
	if len(d.Changed) != 1 || math.Abs(d.Changed[0].Delta-0.02) > 1e-12 {
		t.Fatalf("%+v", d.Changed)
	}
}

func TestRaggedRowNamesLine(t *testing.T) {
	_, err := ParseCells("r.md", strings.NewReader("## T\n| a | b |\n|---|---|\n| x | 1 | 2 |\n"))
	if err == nil || !strings.Contains(err.Error(), "r.md:4") {
		t.Fatalf("want error naming r.md:4, got %v", err)
	}
}
