package experiments

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/anomalyncd/ancd/configs"
)

func TestBaseMatchesReference(t *testing.T) {
	cfg, err := Loader{}.LoadExperiment("", "experiment.profile=full")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"seed", cfg.Experiment.Seed, 3407},
		{"sample_rate", cfg.Binarize.SampleRate, 4},
		{"min_interval_len", cfg.Binarize.MinIntervalLen, 4},
		{"erode", cfg.Binarize.Erode, true},
		{"method", cfg.Binarize.Method, "mebin"},
		{"min_crop_size", cfg.Crop.MinCropSize, 0.1},
		{"max_merge_dist", cfg.Crop.MaxMergeDist, 0.01},
		{"anomaly_thred", cfg.Crop.AnomalyThred, 0.5},
		{"mask_layers", cfg.Model.MaskLayers, 9},
		{"mask_placement", cfg.Model.MaskPlacement, "cls"},
		{"n_head", cfg.Model.NHead, 4},
		{"dim", cfg.Model.Dim, 768},
		{"epochs", cfg.Train.Epochs, 50},
		{"batch", cfg.Train.BatchSize, 32},
		{"lr", cfg.Train.LR, 0.003},
		{"wd", cfg.Train.WeightDecay, 5e-5},
		{"memax", cfg.Train.MemaxWeight, 4.0},
		{"sup", cfg.Train.SupWeight, 0.3},
		{"strategy", cfg.Merge.Strategy, "area"},
		{"seeds", fmt.Sprint(cfg.Experiment.Seeds), "[3407 1 2]"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestProfilesAndLayering(t *testing.T) {
	tests := []struct {
		overrides []string
		check     func(Config) string
	}{
		{nil, func(c Config) string { return fmt.Sprint(c.Experiment.Profile, " ", c.Model.Dim, " ", c.Train.Epochs) }},
		{[]string{"experiment.profile=smoke"}, func(c Config) string { return fmt.Sprint(c.Model.Dim, c.Train.Epochs, c.Model.Depth) }},
		{[]string{"experiment.profile=smoke", "train.epochs=5", "model.mask_layers=3"}, func(c Config) string { return fmt.Sprint(c.Train.Epochs, c.Model.MaskLayers) }},
		{[]string{"data.formats=[png]"}, func(c Config) string { return fmt.Sprint(c.Data.Formats) }},
		{[]string{"binarize.theta=1"}, func(c Config) string { return fmt.Sprint(c.Binarize.Theta) }},
	}
	want := []string{"quick 48 6", "24 2 12", "5 3", "[png]", "1"}
	for i, tc := range tests {
		cfg, err := Loader{}.LoadExperiment("", tc.overrides...)
		if err != nil {
			t.Fatalf("%v: %v", tc.overrides, err)
		}
		if got := tc.check(cfg); got != want[i] {
			t.Errorf("%v: got %q want %q", tc.overrides, got, want[i])
		}
	}
}

// testFS is the embedded configs plus extra files.
func testFS(t *testing.T, extra map[string]string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, name := range []string{"base.yaml", "profiles/smoke.yaml", "profiles/quick.yaml", "profiles/full.yaml"} {
		data, err := configs.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: data}
	}
	for k, v := range extra {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

func TestBadConfigs(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		overrides []string
		want      []string // substrings of the error
	}{
		{"syntax", "binarize:\n  theta: [0.5\n", nil, []string{"exp.yaml", "YAML syntax"}},
		{"unknown key", "binarize:\n  thetaa: 0.5\n", nil, []string{"exp.yaml", `"binarize.thetaa"`, "theta", "sample_rate"}},
		{"unknown section", "trainng:\n  epochs: 5\n", nil, []string{"exp.yaml", `"trainng.epochs"`}},
		{"wrong type", "train:\n  epochs: many\n", nil, []string{"exp.yaml", "train.epochs"}},
		{"fractional int", "train:\n  epochs: 2.5\n", nil, []string{"exp.yaml", "epochs", "not an integer"}},
		{"string for bool", "train:\n  plr: 1\n", nil, []string{"exp.yaml", "plr"}},
		{"enum", "binarize:\n  method: median\n", nil, []string{"exp.yaml", "binarize.method", "mebin, fixed, otsu, mask"}},
		{"range", "binarize:\n  theta: 1.5\n", nil, []string{"exp.yaml", "binarize.theta", "(0, 1]"}},
		{"pretrain crop scale", "pretrain:\n  crop_min_scale: 1.5\n", nil, []string{"exp.yaml", "pretrain.crop_min_scale", "[0, 1]"}},
		{"pretrain prototypes", "pretrain:\n  prototypes: -1\n", nil, []string{"exp.yaml", "pretrain.prototypes", "[0, 65536]"}},
		{"pretrain ema_teacher without prototypes", "pretrain:\n  prototypes: 0\n  ema_teacher: 0.99\n", nil, []string{"exp.yaml", "pretrain.ema_teacher", "pretrain.prototypes > 0"}},
		{"pretrain ema_teacher 1", "pretrain:\n  prototypes: 8\n  ema_teacher: 1\n", nil, []string{"exp.yaml", "pretrain.ema_teacher", "[0, 1)"}},
		{"train momentum 1", "train:\n  momentum: 1\n", nil, []string{"exp.yaml", "train.momentum", "[0, 1)"}},
		{"train ema_teacher negative", "train:\n  ema_teacher: -0.5\n", nil, []string{"exp.yaml", "train.ema_teacher", "[0, 1)"}},
		{"detect musc_cells", "detect:\n  musc_cells: -1\n", nil, []string{"exp.yaml", "detect.musc_cells", "[0, 256]"}},
		{"detect smooth", "detect:\n  smooth: -1\n", nil, []string{"exp.yaml", "detect.smooth", "[0, 64]"}},
		{"relation", "model:\n  mask_layers: 13\n", nil, []string{"exp.yaml", "model.mask_layers", "[0, 12]"}},
		{"bad profile", "experiment:\n  profile: huge\n", nil, []string{"experiment.profile", "smoke, quick, full"}},
		{"override unknown", "", []string{"training.epochs=5"}, []string{"override training.epochs=5", "unknown key"}},
		{"override range", "", []string{"model.mask_layers=20"}, []string{"override model.mask_layers=20", "model.mask_layers"}},
		{"override type", "", []string{"train.epochs=abc"}, []string{"override train.epochs=abc"}},
		{"override syntax", "", []string{"train.epochs"}, []string{"key.path=value"}},
		{"dataset root", "experiment:\n  dataset:\n    kind: mvtec\n", nil, []string{"experiment.dataset.root", "kind is mvtec"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := Loader{FS: testFS(t, map[string]string{"exp.yaml": tc.file})}
			path := "exp.yaml"
			if tc.file == "" {
				path = ""
			}
			_, err := l.LoadExperiment(path, tc.overrides...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseOverride(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"a.b=3", "a.b=3 int"},
		{"a.b=0.5", "a.b=0.5 float64"},
		{"a.b=true", "a.b=true bool"},
		{"a.b=mebin", "a.b=mebin string"},
		{"a.b=[0,1]", "a.b=[0,1] []interface {}"},
		{" a.b = x=y", "a.b=x=y string"},
	}
	for _, tc := range tests {
		o, err := ParseOverride(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%s %T", o, o.Value); got != tc.want {
			t.Errorf("%q: got %q want %q", tc.in, got, tc.want)
		}
	}
}

func ExampleLoader_LoadExperiment() {
	cfg, err := Loader{}.LoadExperiment("", "experiment.profile=smoke", "model.mask_layers=3")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Model.MaskLayers, cfg.Model.Depth, cfg.Binarize.Method)
	_, err = Loader{}.LoadExperiment("", "binarize.method=median")
	fmt.Println(err)
	// Output:
	// 3 12 mebin
	// override binarize.method=median: binarize.method = "median": want one of mebin, fixed, otsu, mask
}
