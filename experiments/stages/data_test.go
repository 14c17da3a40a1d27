package stages

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/synth"
	"github.com/anomalyncd/ancd/experiments"
)

// smokeBenchmark generates the smoke profile's synthetic benchmark
// (synth seed 3) into a temporary folder and returns it.
func smokeBenchmark(t *testing.T) string {
	t.Helper()
	gen := t.TempDir()
	prof, err := synth.LoadProfile("smoke")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Generate(context.Background(), prof, 3, gen, 2); err != nil {
		t.Fatal(err)
	}
	return gen
}

// TestDataStageTwoRealDatasets: experiment.dataset.mtd_root adds the MTD
// folder beside the MVTec AD one; base_root is taken from disk.
func TestDataStageTwoRealDatasets(t *testing.T) {
	gen := smokeBenchmark(t)
	cfg, err := experiments.Loader{}.LoadExperiment("", "experiment.profile=smoke",
		"experiment.dataset.kind=mvtec", "experiment.dataset.root="+filepath.Join(gen, "mvtec"),
		"experiment.dataset.mtd_root="+filepath.Join(gen, "mtd"), "experiment.dataset.base_root="+filepath.Join(gen, "aebad"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := dataStage(1)(context.Background(), experiments.Job{Config: cfg, Out: out, Log: io.Discard}); err != nil {
		t.Fatal(err)
	}
	ds, err := ReadDatasets(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ds.Datasets {
		names = append(names, d.Name+":"+strings.Join(d.Categories, "+"))
	}
	if got := strings.Join(names, " "); got != "mvtec:cable+wood mtd:mtd" {
		t.Errorf("datasets %s", got)
	}
	if ds.Base != filepath.Join(gen, "aebad") || len(ds.BaseClasses) == 0 {
		t.Errorf("base %s classes %v", ds.Base, ds.BaseClasses)
	}
	if _, err := (experiments.Loader{}).LoadExperiment("", "experiment.dataset.kind=mtd", "experiment.dataset.root=/x", "experiment.dataset.mtd_root=/y"); err == nil ||
		!strings.Contains(err.Error(), "experiment.dataset.mtd_root") {
		t.Errorf("mtd_root with kind mtd: %v", err)
	}
}
