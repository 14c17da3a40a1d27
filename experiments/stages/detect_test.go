package stages

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/anomalyncd/ancd/experiments"
)

// TestDetectStagePassesGridAndSmoothing: detect.musc_cells and
// detect.smooth reach the detector (each changes the maps), and their
// zero values mean the detector's defaults (8-px cells, sigma 4).
func TestDetectStagePassesGridAndSmoothing(t *testing.T) {
	gen := smokeBenchmark(t)
	base := []string{"experiment.profile=smoke", "experiment.dataset.kind=mvtec",
		"experiment.dataset.root=" + filepath.Join(gen, "mvtec"), "detect.method=musc"}
	load := func(overrides ...string) experiments.Config {
		t.Helper()
		cfg, err := experiments.Loader{}.LoadExperiment("", append(append([]string{}, base...), overrides...)...)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	data := t.TempDir()
	if err := dataStage(1)(context.Background(), experiments.Job{Config: load(), Out: data, Log: io.Discard}); err != nil {
		t.Fatal(err)
	}
	run := func(overrides ...string) []byte {
		t.Helper()
		cfg := load(overrides...)
		out := t.TempDir()
		job := experiments.Job{Stage: experiments.StageDetect, Config: cfg, Out: out, Log: io.Discard,
			Inputs: map[string]string{experiments.StageData: data}}
		if err := detectStage(1)(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		// every map of one category, concatenated in a fixed order
		var all []byte
		err := filepath.WalkDir(filepath.Join(out, "mvtec", "cable"), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			all = append(all, b...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 {
			t.Fatal("no maps written")
		}
		return all
	}
	def := run()
	tests := []struct {
		name      string
		overrides []string
		same      bool
	}{
		{"explicit defaults", []string{"detect.smooth=4"}, true},
		{"8-px cells sized to the 64-px images", []string{"detect.musc_cells=8"}, true},
		{"finer grid", []string{"detect.musc_cells=16"}, false},
		{"less smoothing", []string{"detect.smooth=2"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bytes.Equal(run(tc.overrides...), def); got != tc.same {
				t.Errorf("maps equal to the defaults' = %v, want %v", got, tc.same)
			}
		})
	}
}
