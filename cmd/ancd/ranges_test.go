package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutOfRangeValuesAreErrors: each out-of-range flag value is an error
// naming the flag and the value, before any work is done.
func TestOutOfRangeValuesAreErrors(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(notes, []byte("# Notes\n\nno tables here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"detect", "--data", dir, "--method", "gt-noisy", "--noise", "3", "--out", out}, "--noise 3"},
		{[]string{"detect", "--data", dir, "--method", "gt-noisy", "--noise", "-0.1", "--out", out}, "--noise -0.1"},
		{[]string{"detect", "--data", dir, "--workers", "-3", "--out", out}, "--workers -3"},
		{[]string{"detect", "--data", dir, "--method", "musc", "--musc-cells", "-1", "--out", out}, "--musc-cells -1"},
		{[]string{"detect", "--data", dir, "--method", "musc", "--smooth", "65", "--out", out}, "--smooth 65"},
		{[]string{"results", "diff", "--tol", "-1", "../../RESULTS.md", "../../RESULTS.md"}, "--tol -1"},
		{[]string{"results", "diff", "../../RESULTS.md", notes}, notes + " has no RESULTS tables"},
		{[]string{"results", "diff", notes, "../../RESULTS.md"}, notes + " has no RESULTS tables"},
		{[]string{"binarize", "--maps", dir, "--sample-rate", "0", "--out", out}, "--sample-rate 0"},
		{[]string{"binarize", "--maps", dir, "--sample-rate", "256", "--out", out}, "--sample-rate 256"},
		{[]string{"binarize", "--maps", dir, "--workers", "-3", "--out", out}, "--workers -3"},
		{[]string{"synth", "--workers", "-3", "--out", out}, "--workers -3"},
		{[]string{"run", "tables/table7.yaml", "experiment.profile=smoke", "--workers", "-3", "--store", filepath.Join(dir, "s")}, "--workers -3"},
		{[]string{"ablations", "--profile", "smoke", "--workers", "-3", "--store", filepath.Join(dir, "s")}, "--workers -3"},
		{[]string{"train", "--items", notes, "--workers", "-3", "--out", out}, "--workers -3"},
	}
	for _, c := range cases {
		outText, err := runAncdErr(c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ancd %s: err = %v, want it to contain %q\n%s", strings.Join(c.args, " "), err, c.want, outText)
		}
		if strings.Count(outText, "removed") > 0 {
			t.Errorf("ancd %s printed a diff:\n%s", strings.Join(c.args, " "), outText)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused command created %s", out)
	}
}

// TestSlurmMissingIsSaid: with no Slurm on PATH, every --runner slurm
// command says Slurm was not found and how to get it, instead of reporting
// "0 pending" or advising a rerun.
func TestSlurmMissingIsSaid(t *testing.T) {
	store := t.TempDir()
	t.Setenv("PATH", t.TempDir())
	sweep := []string{"tables/table7.yaml", "experiment.profile=smoke", "--store", store, "--runner", "slurm"}
	for _, prefix := range [][]string{{"run"}, {"status", "run"}, {"collect", "run"}} {
		args := append(append([]string{}, prefix...), sweep...)
		if prefix[0] == "run" {
			args = append(args, "--submit")
		}
		out, err := runAncdErr(args...)
		if err == nil || !strings.Contains(err.Error(), "Slurm client programs were not found") ||
			!strings.Contains(err.Error(), "apt-get install slurm-client") || !strings.Contains(err.Error(), "PATH") {
			t.Errorf("ancd %s: err = %v\n%s", strings.Join(args, " "), err, out)
		}
		if strings.Contains(out, "pending") || strings.Contains(out, "rerun") {
			t.Errorf("ancd %s printed %q", strings.Join(args, " "), out)
		}
	}
}
