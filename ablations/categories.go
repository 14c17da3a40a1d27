package ablations

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/results"
)

// CategoryValue is one row's result on one category of one dataset for one
// seed: the unit that paired tests compare and the appendix lists.
type CategoryValue struct {
	Seed     int
	Dataset  string
	Category string
	// Values are metric -> value ("nmi", "ari", "f1", ...); undefined
	// values are left out.
	Values map[string]float64
}

// FillCategories adds the per-category values of every row of r (one list
// per row, in the order values returns them). values returns, for a row's
// sweep point, stage ("" = evaluate) and baseline prefix, the values of
// every seed and category.
func FillCategories(r *TableResult, values func(point, stage, prefix string) ([]CategoryValue, error)) error {
	r.Units = make([][]CategoryValue, len(r.Table.Rows))
	for i, rw := range r.Table.Rows {
		v, err := values(rw.Point, rw.Stage, rw.Prefix)
		if err != nil {
			return fmt.Errorf("table %s, row %q: %w", r.Table.ID, rw.Label, err)
		}
		r.Units[i] = v
	}
	return nil
}

// RowUnits returns the per-category values of a row label.
func (r TableResult) RowUnits(row string) []CategoryValue {
	for i, rw := range r.Table.Rows {
		if rw.Label == row && i < len(r.Units) {
			return r.Units[i]
		}
	}
	return nil
}

// baselineCategory is one category of a baseline entry's baseline.json.
type baselineCategory struct {
	Category string             `json:"category"`
	Scores   map[string]float64 `json:"scores"` // "<baseline>.<metric>"
}

// CategoryValues reads the per-category metrics of a sweep point's
// replicates (seed order): from the evaluate entry's metrics.json, or with
// stage "baseline" from the baseline entry's baseline.json (the values of
// the baseline called prefix).
func (s *Study) CategoryValues(store *results.Store, sweep, label, stage, prefix string) ([]CategoryValue, error) {
	if stage == "" {
		stage = experiments.StageEvaluate
	}
	idx, ok := s.points[sweep][label]
	if !ok {
		return nil, fmt.Errorf("sweep %s has no point %q", sweep, label)
	}
	var out []CategoryValue
	for _, i := range idx {
		seed := s.Points[i].Seed
		key, ok := s.PointKeys[i][stage]
		if !ok {
			return nil, fmt.Errorf("point %q has no %s stage", label, stage)
		}
		dir := store.Dir(stage, key)
		if stage != experiments.StageBaseline {
			m, err := stages.ReadMetrics(dir)
			if err != nil {
				return nil, fmt.Errorf("point %q seed %d: %w", label, seed, err)
			}
			for _, d := range m.Datasets {
				for _, c := range d.Categories {
					out = append(out, CategoryValue{Seed: seed, Dataset: d.Name, Category: c.Category, Values: definedValues(map[string]float64{
						"nmi": c.NMI, "ari": c.ARI, "f1": c.F1, "precision": c.Precision, "recall": c.Recall,
						"fpr": c.FPR, "fnr": c.FNR, "aupro": float64(c.AUPRO)})})
				}
			}
			continue
		}
		path := filepath.Join(dir, "baseline.json")
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("point %q seed %d: %w", label, seed, err)
		}
		var details map[string][]baselineCategory
		if err := json.Unmarshal(b, &details); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, d := range slices.Sorted(maps.Keys(details)) {
			for _, c := range details[d] {
				vals := map[string]float64{}
				for _, m := range []string{"nmi", "ari", "f1"} {
					if v, ok := c.Scores[prefix+"."+m]; ok {
						vals[m] = v
					}
				}
				out = append(out, CategoryValue{Seed: seed, Dataset: d, Category: c.Category, Values: definedValues(vals)})
			}
		}
	}
	return out, nil
}

// definedValues drops NaN values.
func definedValues(m map[string]float64) map[string]float64 {
	for k, v := range m {
		if math.IsNaN(v) {
			delete(m, k)
		}
	}
	return m
}
