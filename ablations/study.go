package ablations

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/results"
)

// Study is every sweep of the tables (and figures) planned as one study, so
// that stages shared between tables run once.
type Study struct {
	*experiments.Study
	// Sweeps are the sweep files in planning order.
	Sweeps []string
	// points[sweep][label] are the study's point indices of that sweep
	// point, one per seed, in seed order.
	points map[string]map[string][]int
}

// FigureSweeps are the sweeps that only figures use.
func FigureSweeps() []string { return []string{"tables/fig7.yaml"} }

// PlanStudy expands the sweeps of tables (plus extra sweeps) with the
// overrides and plans them together.
func PlanStudy(loader experiments.Loader, tables []Table, extra []string, overrides []experiments.Override) (*Study, error) {
	return PlanStudyWith(loader, tables, extra, overrides, nil)
}

// PlanStudyWith is PlanStudy with external maps added to the detector axes
// of Tables I, VI and X (ext nil: none; pass the tables of TablesWith(ext)).
func PlanStudyWith(loader experiments.Loader, tables []Table, extra []string, overrides []experiments.Override, ext *External) (*Study, error) {
	s := &Study{points: map[string]map[string][]int{}}
	seen := map[string]bool{}
	for _, t := range tables {
		if !seen[t.Sweep] {
			seen[t.Sweep] = true
			s.Sweeps = append(s.Sweeps, t.Sweep)
		}
	}
	for _, sw := range extra {
		if !seen[sw] {
			seen[sw] = true
			s.Sweeps = append(s.Sweeps, sw)
		}
	}
	var all []experiments.Point
	for _, path := range s.Sweeps {
		sw, err := loader.LoadSweep(path)
		if err != nil {
			return nil, err
		}
		if ext != nil && slices.Contains(externalSweeps, path) {
			if err := ext.addExternal(sw); err != nil {
				return nil, err
			}
		}
		pts, err := loader.Expand(sw, overrides)
		if err != nil {
			return nil, err
		}
		byLabel := map[string][]int{}
		for _, p := range pts {
			byLabel[p.Label] = append(byLabel[p.Label], len(all))
			p.Index = len(all)
			all = append(all, p)
		}
		s.points[path] = byLabel
	}
	st, err := experiments.PlanStudy(experiments.DefaultPipeline(), all)
	if err != nil {
		return nil, err
	}
	s.Study = st
	return s, nil
}

// ConfigHash is a short hash of every point's resolved config.
func (s *Study) ConfigHash() string {
	h := sha256.New()
	for _, p := range s.Points {
		b, _ := json.Marshal(p.Config)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Seeds returns the seeds of one sweep point (every point of a profile
// shares the seed list).
func (s *Study) Seeds() []int {
	if len(s.Sweeps) == 0 {
		return nil
	}
	sw := s.Sweeps[0]
	labels := s.Labels(sw)
	if len(labels) == 0 {
		return nil
	}
	var seeds []int
	for _, i := range s.points[sw][labels[0]] {
		seeds = append(seeds, s.Points[i].Seed)
	}
	return seeds
}

// Summaries returns the summaries ("<dataset>.<metric>" -> value) that a
// stage ("" = evaluate) wrote for a sweep point, one per seed
// (stages.ReadSummary).
func (s *Study) Summaries(store *results.Store, sweep, label, stage string) ([]map[string]float64, error) {
	if stage == "" {
		stage = experiments.StageEvaluate
	}
	idx, ok := s.points[sweep][label]
	if !ok {
		return nil, fmt.Errorf("sweep %s has no point %q", sweep, label)
	}
	var out []map[string]float64
	for _, i := range idx {
		key, ok := s.PointKeys[i][stage]
		if !ok {
			return nil, fmt.Errorf("point %q has no %s stage", label, stage)
		}
		m, err := stages.ReadSummary(store.Dir(stage, key))
		if err != nil {
			return nil, fmt.Errorf("point %q seed %d: %w", label, s.Points[i].Seed, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Keys returns the stage keys of a sweep point's replicates.
func (s *Study) Keys(sweep, label string) ([]map[string]string, error) {
	idx, ok := s.points[sweep][label]
	if !ok {
		return nil, fmt.Errorf("sweep %s has no point %q", sweep, label)
	}
	var out []map[string]string
	for _, i := range idx {
		out = append(out, s.PointKeys[i])
	}
	return out, nil
}

// Labels returns the point labels of a sweep in expansion order.
func (s *Study) Labels(sweep string) []string {
	var labels []string
	seen := map[string]bool{}
	for _, p := range s.Points {
		if _, ok := s.points[sweep][p.Label]; ok && !seen[p.Label] && contains(s.points[sweep][p.Label], p.Index) {
			seen[p.Label] = true
			labels = append(labels, p.Label)
		}
	}
	return labels
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Config returns the resolved config of a sweep point's first replicate.
func (s *Study) Config(sweep, label string) (experiments.Config, error) {
	idx, ok := s.points[sweep][label]
	if !ok || len(idx) == 0 {
		return experiments.Config{}, fmt.Errorf("sweep %s has no point %q", sweep, label)
	}
	return s.Points[idx[0]].Config, nil
}

// Datasets reads the data entry of the study's first point: which datasets
// (and base set) the study ran on.
func (s *Study) Datasets(store *results.Store) (stages.Datasets, error) {
	var ds stages.Datasets
	if len(s.PointKeys) == 0 {
		return ds, fmt.Errorf("the study has no points")
	}
	path := filepath.Join(store.Dir(experiments.StageData, s.PointKeys[0][experiments.StageData]), stages.DatasetsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return ds, err
	}
	if err := json.Unmarshal(b, &ds); err != nil {
		return ds, fmt.Errorf("%s: %w", path, err)
	}
	return ds, nil
}

// DescribeDatasets is RESULTS.md's dataset line for real data: each
// dataset's layout, folder name and categories, and the base set.
func DescribeDatasets(ds stages.Datasets) string {
	var parts []string
	for _, d := range ds.Datasets {
		parts = append(parts, fmt.Sprintf("%s layout, folder `%s` (%d categories: %s)", datasetTitle(d.Name, false),
			filepath.Base(d.Root), len(d.Categories), strings.Join(d.Categories, ", ")))
	}
	base := "the synthetic AeBAD-S-like set"
	if filepath.IsAbs(ds.Base) {
		base = "folder `" + filepath.Base(ds.Base) + "`"
	}
	parts = append(parts, "labelled base set: "+base)
	return strings.Join(parts, "; ")
}

// Replicate is one seed of a sweep point: its seed, resolved config and
// stage keys.
type Replicate struct {
	Seed   int
	Config experiments.Config
	Keys   map[string]string
}

// Replicates returns the replicates of a sweep point in seed order.
func (s *Study) Replicates(sweep, label string) ([]Replicate, error) {
	idx, ok := s.points[sweep][label]
	if !ok {
		return nil, fmt.Errorf("sweep %s has no point %q", sweep, label)
	}
	var out []Replicate
	for _, i := range idx {
		out = append(out, Replicate{Seed: s.Points[i].Seed, Config: s.Points[i].Config, Keys: s.PointKeys[i]})
	}
	return out, nil
}

// DefaultConfig returns the resolved config of the default configuration
// (MuSc + AnomalyNCD, Table II's first row).
func (s *Study) DefaultConfig() (experiments.Config, error) {
	return s.Config(sweepDefault, pointDefault)
}
