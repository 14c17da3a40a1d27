package experiments

import (
	"fmt"
	"sort"
	"strings"

	"github.com/anomalyncd/ancd/core/metrics"
	"github.com/anomalyncd/ancd/results"
)

// Stat is the mean and sample standard deviation of one metric over the
// seeds of a group (metrics.MeanStd).
type Stat struct {
	Name   string
	Mean   float64
	Std    float64
	Values []float64 // per seed, in seed order of the sweep
}

// Group is one sweep setting (a point label) with its replicates.
type Group struct {
	Label   string
	Seeds   []int
	Metrics []Stat // sorted by name
}

// Aggregate reads the metrics (name -> number) of each point's entry of
// stage with read, which is given the entry's folder (e.g.
// stages.ReadSummary, the reader beside the writer), and averages
// replicates that share a label. Groups are in order of first appearance.
// A missing entry is an error naming it.
func Aggregate(s *Study, store *results.Store, stage string, read func(dir string) (map[string]float64, error)) ([]Group, error) {
	var groups []Group
	at := map[string]int{}
	values := map[string]map[string][]float64{}
	for i, p := range s.Points {
		m, err := read(store.Dir(stage, s.PointKeys[i][stage]))
		if err != nil {
			return nil, fmt.Errorf("point %q seed %d: %w", p.Label, p.Seed, err)
		}
		gi, ok := at[p.Label]
		if !ok {
			gi = len(groups)
			at[p.Label] = gi
			groups = append(groups, Group{Label: p.Label})
			values[p.Label] = map[string][]float64{}
		}
		groups[gi].Seeds = append(groups[gi].Seeds, p.Seed)
		for name, v := range m {
			values[p.Label][name] = append(values[p.Label][name], v)
		}
	}
	for gi := range groups {
		vals := values[groups[gi].Label]
		names := make([]string, 0, len(vals))
		for n := range vals {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if len(vals[n]) != len(groups[gi].Seeds) {
				return nil, fmt.Errorf("group %q: metric %s present for %d of %d seeds", groups[gi].Label, n, len(vals[n]), len(groups[gi].Seeds))
			}
			mean, std := metrics.MeanStd(vals[n])
			groups[gi].Metrics = append(groups[gi].Metrics, Stat{Name: n, Mean: mean, Std: std, Values: vals[n]})
		}
	}
	return groups, nil
}

// FormatGroups renders groups as a tab-separated table: label, seeds, then
// "mean ± std" per metric with 4 decimals. The output is deterministic.
func FormatGroups(groups []Group) string {
	nameSet := map[string]bool{}
	for _, g := range groups {
		for _, m := range g.Metrics {
			nameSet[m.Name] = true
		}
	}
	var names []string
	for n := range nameSet {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("setting\tseeds")
	for _, n := range names {
		b.WriteString("\t" + n)
	}
	b.WriteString("\n")
	for _, g := range groups {
		b.WriteString(g.Label + "\t" + fmt.Sprint(len(g.Seeds)))
		for _, n := range names {
			cell := "-"
			for _, m := range g.Metrics {
				if m.Name == n {
					cell = metrics.FormatStat(m.Mean, m.Std, 4)
				}
			}
			b.WriteString("\t" + cell)
		}
		b.WriteString("\n")
	}
	return b.String()
}
