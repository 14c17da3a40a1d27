package experiments

import (
	"testing"
)

func TestStageKeys(t *testing.T) {
	base, err := Loader{}.LoadExperiment("", "experiment.profile=smoke")
	if err != nil {
		t.Fatal(err)
	}
	pipe := DefaultPipeline()
	keysOf := func(c Config) map[string]string {
		keys := map[string]string{}
		for _, st := range pipe {
			k, err := st.Key(c, keys)
			if err != nil {
				t.Fatal(err)
			}
			keys[st.Name] = k
		}
		return keys
	}
	ref := keysOf(base)
	tests := []struct {
		name    string
		edit    func(*Config)
		changed []string // stages whose key must change; all others must not
	}{
		{"nothing", func(c *Config) {}, nil},
		{"name is not in any key", func(c *Config) { c.Experiment.Name = "other" }, nil},
		{"seed", func(c *Config) { c.Experiment.Seed = 1 }, []string{"train", "infer", "evaluate", "baseline"}},
		{"merge only", func(c *Config) { c.Merge.Strategy = "average" }, []string{"infer", "evaluate"}},
		{"mask layers", func(c *Config) { c.Model.MaskLayers = 3 }, []string{"train", "infer", "evaluate"}},
		{"model dim", func(c *Config) { c.Model.Dim = 48 }, []string{"pretrain", "train", "infer", "evaluate"}},
		{"binarize", func(c *Config) { c.Binarize.Method = "otsu" }, []string{"binarize", "crop", "train", "infer", "evaluate"}},
		{"plr threshold", func(c *Config) { c.Crop.AnomalyThred = 0.4 }, []string{"train", "infer", "evaluate"}},
		{"detector", func(c *Config) { c.Detect.Method = "patchcore" }, []string{"detect", "binarize", "crop", "train", "infer", "evaluate", "baseline"}},
		{"eval", func(c *Config) { c.Eval.Metrics = []string{"nmi"} }, []string{"evaluate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			c.Eval.Metrics = append([]string(nil), base.Eval.Metrics...)
			tc.edit(&c)
			got := keysOf(c)
			want := map[string]bool{}
			for _, s := range tc.changed {
				want[s] = true
			}
			for _, st := range pipe {
				if (got[st.Name] != ref[st.Name]) != want[st.Name] {
					t.Errorf("stage %s: changed=%v, want %v", st.Name, got[st.Name] != ref[st.Name], want[st.Name])
				}
			}
		})
	}
	// the version enters the key
	st := pipe[0]
	k1, _ := st.Key(base, nil)
	st.Version = "2"
	if k2, _ := st.Key(base, nil); k1 == k2 {
		t.Error("version does not change the key")
	}
}

func TestPipelineValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Pipeline
		ok   bool
	}{
		{"default", DefaultPipeline(), true},
		{"unknown read", Pipeline{{Name: "a", Version: "1", Reads: []string{"model.nope"}}}, false},
		{"late input", Pipeline{{Name: "a", Version: "1", Inputs: []string{"b"}}, {Name: "b", Version: "1"}}, false},
		{"no version", Pipeline{{Name: "a"}}, false},
		{"dup", Pipeline{{Name: "a", Version: "1"}, {Name: "a", Version: "1"}}, false},
	}
	for _, tc := range tests {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: err %v", tc.name, err)
		}
	}
}
