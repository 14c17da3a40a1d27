package experiments

import (
	"strings"
	"testing"
)

// TestDepartures: base.yaml alone is the reference (no departures from
// itself); the quick profile departs in the model size and schedules, and
// every listed key really differs.
func TestDepartures(t *testing.T) {
	l := Loader{}
	ref, err := l.Reference()
	if err != nil {
		t.Fatal(err)
	}
	if ref.Model.ImageSize != 224 || ref.Model.Stem != "pixels" || ref.Train.HeadInit != "random" {
		t.Fatalf("reference model %+v, train head_init %q", ref.Model, ref.Train.HeadInit)
	}
	none, err := Departures(ref, ref)
	if err != nil || len(none) != 0 {
		t.Fatalf("reference departs from itself: %v %v", none, err)
	}
	quick, err := l.LoadExperiment("", "experiment.profile=quick")
	if err != nil {
		t.Fatal(err)
	}
	deps, err := Departures(quick, ref)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]Departure{}
	for _, d := range deps {
		if strings.HasPrefix(d.Key, "experiment.") || strings.HasPrefix(d.Key, "data.") {
			t.Errorf("benchmark key %s listed", d.Key)
		}
		if d.Value == d.Reference {
			t.Errorf("%s listed with equal values %s", d.Key, d.Value)
		}
		found[d.Key] = d
	}
	if d, ok := found["model.image_size"]; !ok || d.Reference != "224" || d.String() != "`model.image_size`: "+d.Value+" (reference: 224)" {
		t.Errorf("model.image_size departure %+v", d)
	}
	// a key left out of the JSON at its zero value (omitempty) is compared
	// as that zero value, on either side
	if d, ok := found["pretrain.prototypes"]; !ok || d.String() != "`pretrain.prototypes`: 16 (reference: 0)" {
		t.Errorf("pretrain.prototypes departure %+v (found %v)", d, ok)
	}
	back, err := Departures(ref, quick)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range back {
		if d.Key == "pretrain.prototypes" && d.String() != "`pretrain.prototypes`: 0 (reference: 16)" {
			t.Errorf("reversed: %s", d)
		}
	}
	if len(back) != len(deps) {
		t.Errorf("%d departures one way, %d the other", len(deps), len(back))
	}
	for i := 1; i < len(deps); i++ {
		if deps[i-1].Key >= deps[i].Key {
			t.Errorf("not sorted: %s before %s", deps[i-1].Key, deps[i].Key)
		}
	}
}
