package ablations

import (
	"fmt"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/experiments"
)

// External is a folder of precomputed anomaly maps (another detector's
// output) added to a study as one more detector: the detector axes of
// Tables I, VI and X get its rows beside the built-in detectors, whose rows
// (and the GT rows, which read the dataset's own ground_truth/ masks) stay
// as they are.
type External struct {
	// Name labels its rows ("External maps (Name)"): the folder's name or
	// the user's choice.
	Name string
	// Root is the maps folder (<root>/<category>/<type>/*.png, or one
	// sub-folder per dataset name when the study has several datasets).
	Root string
}

// externalSweeps are the sweeps whose detector axis gets the external maps.
var externalSweeps = []string{"tables/table1.yaml", "tables/table6.yaml", "tables/table10.yaml"}

// externalLabel is the point label of the external maps on a points axis
// whose labels do not name the detector (Table X).
const externalLabel = "external maps"

// rowName is the row label prefix of the external maps.
func (e *External) rowName() string { return "External maps (" + e.Name + ")" }

// addExternal appends the external maps to the sweep's detector axis: a copy
// of the values of its first non-ground-truth detector with detect.method
// maps. Labels that name that detector are rewritten; others become
// "external maps".
func (e *External) addExternal(sw *experiments.Sweep) error {
	for ai := range sw.Axes {
		ax := &sw.Axes[ai]
		var template string
		all := len(ax.Values) > 0
		for _, v := range ax.Values {
			m, ok := detectMethod(v.Overrides)
			if !ok {
				all = false
				break
			}
			if template == "" && m != "gt" && m != "gt-noisy" {
				template = m
			}
		}
		if !all || template == "" {
			continue
		}
		var added []experiments.AxisValue
		for _, v := range ax.Values {
			if m, _ := detectMethod(v.Overrides); m != template {
				continue
			}
			var ovs []experiments.Override
			for _, o := range v.Overrides {
				if o.Path == "detect.method" {
					o.Value = "maps"
				}
				ovs = append(ovs, o)
			}
			ovs = append(ovs, experiments.Override{Path: "detect.maps_root", Value: e.Root, Source: "--maps"})
			label := strings.Replace(v.Label, "detect.method="+template, "detect.method=maps", 1)
			if label == v.Label {
				label = externalLabel
			}
			added = append(added, experiments.AxisValue{Label: label, Overrides: ovs})
		}
		ax.Values = append(ax.Values, added...)
		return nil
	}
	return fmt.Errorf("%s: no detector axis for the external maps", sw.Source)
}

func detectMethod(ovs []experiments.Override) (string, bool) {
	for _, o := range ovs {
		if o.Path == "detect.method" {
			s, ok := o.Value.(string)
			return s, ok
		}
	}
	return "", false
}

// withExternal adds the external maps' rows (and claims) to Tables I, VI
// and X.
func (e *External) withExternal(tables []Table) []Table {
	name := e.rowName()
	for i := range tables {
		t := &tables[i]
		t.Rows = slices.Clone(t.Rows)
		t.Claims = slices.Clone(t.Claims)
		switch t.ID {
		case "I":
			t.Rows = append(t.Rows,
				Row{Label: name + " + AnomalyNCD", Point: "detect.method=maps"},
				Row{Label: "AC (Semi), " + name, Point: "detect.method=maps", Stage: "baseline", Prefix: "ac_semi"})
			for _, d := range []string{"mvtec", "mtd"} {
				t.Claims = append(t.Claims, Claim{Text: "AnomalyNCD beats Anomaly Clustering on the same maps (semi-supervised, external maps)", Dataset: d,
					Metrics: naf, Winners: []string{name + " + AnomalyNCD"}, Losers: []string{"AC (Semi), " + name}})
			}
		case "VI":
			t.Rows = append(t.Rows,
				Row{Label: name + " w/o crop", Point: "detect.method=maps crop.enabled=false"},
				Row{Label: name + " w crop", Point: "detect.method=maps crop.enabled=true"})
		case "X":
			t.Rows = append(t.Rows, Row{Label: "Ours, " + name, Point: externalLabel})
			for ci := range t.Claims {
				if strings.HasPrefix(t.Claims[ci].Text, "8.") {
					t.Claims[ci].Losers = append(slices.Clone(t.Claims[ci].Losers), "Ours, "+name)
				}
			}
		}
	}
	return tables
}
