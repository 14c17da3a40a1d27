package ablations

import (
	"testing"

	"github.com/anomalyncd/ancd/experiments"
)

// TestExternalMapsAreOneMoreDetector: the external maps add rows to the
// detector axes of Tables I, VI and X, every row resolves to a point, and
// the built-in detector and GT rows keep their own detect.method.
func TestExternalMapsAreOneMoreDetector(t *testing.T) {
	ext := &External{Name: "mydet", Root: "/data/maps"}
	ov, _ := experiments.ParseOverride("experiment.profile=smoke")
	tables := TablesWith(ext)
	s, err := PlanStudyWith(experiments.Loader{}, tables, FigureSweeps(), []experiments.Override{ov}, ext)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := PlanStudy(experiments.Loader{}, Tables(), FigureSweeps(), []experiments.Override{ov})
	if err != nil {
		t.Fatal(err)
	}
	// Table I: +1 point, Table VI: +2, Table X: +1 (one seed each)
	if got := len(s.Points) - len(plain.Points); got != 4 {
		t.Errorf("%d extra points, want 4", got)
	}
	want := map[string]string{
		"PatchCore + AnomalyNCD":             "patchcore",
		"External maps (mydet) + AnomalyNCD": "maps",
		"Ours, GT masks":                     "gt",
		"Ours, MuSc masks":                   "musc",
		"Ours, External maps (mydet)":        "maps",
		"External maps (mydet) w crop":       "maps",
		"MuSc w crop":                        "musc",
	}
	seen := 0
	for _, tb := range tables {
		for _, r := range tb.Rows {
			cfg, err := s.Config(tb.Sweep, r.Point)
			if err != nil {
				t.Errorf("table %s row %q: %v", tb.ID, r.Label, err)
				continue
			}
			if m, ok := want[r.Label]; ok {
				seen++
				if cfg.Detect.Method != m {
					t.Errorf("row %q: detect.method %s, want %s", r.Label, cfg.Detect.Method, m)
				}
				if m == "maps" && cfg.Detect.MapsRoot != "/data/maps" {
					t.Errorf("row %q: maps_root %q", r.Label, cfg.Detect.MapsRoot)
				}
				if r.Label == "Ours, GT masks" && cfg.Binarize.Method != "mask" {
					t.Errorf("GT row binarizes with %s, want the masks themselves", cfg.Binarize.Method)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d rows", seen, len(want))
	}
}
