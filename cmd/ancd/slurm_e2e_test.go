package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners/slurm/slurmtest"
)

// buildAncd builds the ancd binary into a temporary folder.
func buildAncd(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build ancd: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ancd")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// ancdProcess runs the binary and returns its standard output; it fails the
// test when the command fails.
func ancdProcess(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ancd %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), tailOf(stderr.String(), 4000))
	}
	return stdout.String()
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// entries returns the sorted keys of a stage's entries in a store.
func entries(t *testing.T, store, stage string) []string {
	t.Helper()
	list, err := os.ReadDir(filepath.Join(store, stage))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range list {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			keys = append(keys, e.Name())
		}
	}
	slices.Sort(keys)
	return keys
}

// TestSlurmMatchesLocal runs a small real sweep (Table VII, smoke profile)
// once with the local runner and once submitted to a real single-node Slurm
// (ancd run --submit, ancd status until nothing is queued, ancd collect), and
// checks that the evaluate outputs are byte-identical, as is every entry's
// manifest. It needs root (it starts slurmctld and slurmd); with CI=true it
// must run, elsewhere it skips when it cannot or in -short mode.
func TestSlurmMatchesLocal(t *testing.T) {
	slurmtest.SkipShort(t)
	start := time.Now()
	slurmtest.StartCluster(t, 1001) // sets SLURM_CONF for the ancd processes
	t.Logf("cluster up after %s", time.Since(start).Round(time.Millisecond))
	bin := buildAncd(t)
	t.Logf("ancd built after %s", time.Since(start).Round(time.Millisecond))

	dir := t.TempDir()
	localStore := filepath.Join(dir, "local")
	slurmStore := filepath.Join(dir, "slurm")
	sweep := []string{"tables/table7.yaml", "experiment.profile=smoke"}
	args := func(prefix []string, store string, flags ...string) []string {
		a := append(append([]string{}, prefix...), sweep...)
		return append(append(a, "--store", store), flags...)
	}

	localStart := time.Now()
	ancdProcess(t, bin, args([]string{"run"}, localStore, "--runner", "local", "--workers", "2")...)
	t.Logf("local run took %s", time.Since(localStart).Round(time.Millisecond))
	status := ancdProcess(t, bin, args([]string{"status", "run"}, localStore)...)
	if !strings.Contains(status, "13 of 13 task(s) done in the store") {
		t.Errorf("local status after the run:\n%s", status)
	}

	slurmStart := time.Now()
	out := ancdProcess(t, bin, args([]string{"run"}, slurmStore, "--runner", "slurm", "--submit")...)
	if !strings.Contains(out, "submitted 13 task(s) as ") || !strings.Contains(out, "follow with: ancd status run") {
		t.Fatalf("submit output:\n%s", out)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		status = ancdProcess(t, bin, args([]string{"status", "run"}, slurmStore, "--runner", "slurm")...)
		if strings.Contains(status, "; 0 pending or running") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Slurm jobs still active after 2 minutes:\n%s", status)
		}
		time.Sleep(time.Second)
	}
	t.Logf("Slurm run took %s; status:\n%s", time.Since(slurmStart).Round(time.Millisecond), status)
	if !strings.Contains(status, "13 of 13 task(s) done in the store") {
		t.Fatalf("Slurm status after the jobs left the queue:\n%s", status)
	}
	out = ancdProcess(t, bin, args([]string{"collect", "run"}, slurmStore, "--runner", "slurm")...)
	if !strings.Contains(out, "collected 13 task(s): ran 13, from cache 0, failed or not run 0") {
		t.Errorf("collect output:\n%s", out)
	}
	out = ancdProcess(t, bin, args([]string{"run"}, slurmStore, "--runner", "slurm", "--submit")...)
	if !strings.Contains(out, "nothing to submit") {
		t.Errorf("second submit on a complete store:\n%s", out)
	}

	evals := entries(t, localStore, "evaluate")
	if len(evals) != 3 || !slices.Equal(evals, entries(t, slurmStore, "evaluate")) {
		t.Fatalf("evaluate entries differ or are not 3: local %v, slurm %v", evals, entries(t, slurmStore, "evaluate"))
	}
	for _, key := range evals {
		for _, name := range []string{"summary.json", "metrics.json"} {
			a, errA := os.ReadFile(filepath.Join(localStore, "evaluate", key, name))
			b, errB := os.ReadFile(filepath.Join(slurmStore, "evaluate", key, name))
			if errA != nil || errB != nil || !bytes.Equal(a, b) {
				t.Errorf("evaluate/%s/%s differs between the local and the Slurm run (%v, %v):\n%s\n---\n%s", key[:12], name, errA, errB, a, b)
			}
		}
	}
	// Every entry's manifest lists the sha256 of each of its files: every
	// file of every stage must be the same on both runners (entries hold no
	// timings and no store paths).
	local, errA := results.Open(localStore)
	onSlurm, errB := results.Open(slurmStore)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	for _, stage := range []string{"data", "detect", "binarize", "crop", "pretrain", "train", "infer"} {
		keys := entries(t, localStore, stage)
		if !slices.Equal(keys, entries(t, slurmStore, stage)) {
			t.Errorf("%s entries differ: local %v, slurm %v", stage, keys, entries(t, slurmStore, stage))
			continue
		}
		for _, key := range keys {
			ma, errA := local.ReadManifest(stage, key)
			mb, errB := onSlurm.ReadManifest(stage, key)
			if errA != nil || errB != nil {
				t.Errorf("%s/%s: %v, %v", stage, key[:12], errA, errB)
				continue
			}
			if d := manifestDiff(ma, mb); d != "" {
				t.Errorf("%s/%s: files differ between the local and the Slurm run: %s", stage, key[:12], d)
			}
		}
	}
	t.Logf("identity test wall time %s", time.Since(start).Round(time.Millisecond))
}

// manifestDiff names the files whose size or sha256 differ between two
// manifests, or that only one lists; "" when they agree.
func manifestDiff(a, b results.Manifest) string {
	sums := map[string]results.FileSum{}
	for _, f := range a.Files {
		sums[f.Path] = f
	}
	var diff []string
	for _, f := range b.Files {
		g, ok := sums[f.Path]
		switch {
		case !ok:
			diff = append(diff, f.Path+" (only in the second)")
		case g != f:
			diff = append(diff, f.Path)
		}
		delete(sums, f.Path)
	}
	for path := range sums {
		diff = append(diff, path+" (only in the first)")
	}
	slices.Sort(diff)
	return strings.Join(diff, ", ")
}

// runAncdErr runs the CLI in process and returns its output and error.
func runAncdErr(args ...string) (string, error) {
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// TestStatusAndCollectCommands checks the study commands that need no
// cluster: flag checks, and status and collect on an empty store.
func TestStatusAndCollectCommands(t *testing.T) {
	store := t.TempDir()
	sweep := []string{"tables/table7.yaml", "experiment.profile=smoke", "--store", store}
	with := func(prefix []string, flags ...string) []string {
		return append(append(append([]string{}, prefix...), sweep...), flags...)
	}
	cases := []struct {
		name    string
		args    []string
		wantOut string // in the output
		wantErr string // in the error; "" = success
	}{
		{"status rejects --workers", with([]string{"status", "run"}, "--workers", "2"), "", "flag --workers does not apply to ancd status"},
		{"collect rejects --task", with([]string{"collect", "run"}, "--task", "abc"), "", "flag --task does not apply to ancd collect"},
		{"status ablations rejects --results", []string{"status", "ablations", "--profile", "smoke", "--store", store, "--results", "R.md"}, "", "flag --results does not apply"},
		{"submit needs slurm", with([]string{"run"}, "--submit"), "", "--submit needs --runner slurm"},
		{"status of an empty store", with([]string{"status", "run"}), "0 of 13 task(s) done in the store", ""},
		{"status table", with([]string{"status", "run"}), "baseline  1      0     1\ntotal     13     0     13\n", ""},
		{"collect of an empty store", with([]string{"collect", "run"}), "collected 13 task(s): ran 0, from cache 0, failed or not run 13", "the study is not complete: 13 task(s) failed"},
		{"status: unknown runner", with([]string{"status", "run"}, "--runner", "pbs"), "", `--runner "pbs": want local or slurm`},
		{"collect: unknown runner", with([]string{"collect", "run"}, "--runner", "pbs"), "", `--runner "pbs": want local or slurm`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := runAncdErr(c.args...)
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("unexpected error %v\n%s", err, out)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("error %v, want one containing %q\n%s", err, c.wantErr, out)
			}
			if !strings.Contains(out, c.wantOut) {
				t.Errorf("output lacks %q:\n%s", c.wantOut, out)
			}
		})
	}
}
