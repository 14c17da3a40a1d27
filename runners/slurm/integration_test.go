package slurm

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/runners"
	"github.com/anomalyncd/ancd/runners/slurm/slurmtest"
)

// TestRealSlurm runs a plan on a single-node Slurm that it starts itself
// (installing it with apt-get when missing and running as root). In CI
// (CI=true) it must run; elsewhere it skips when it cannot, and in -short mode.
func TestRealSlurm(t *testing.T) {
	slurmtest.SkipShort(t)
	start := time.Now()
	// MaxArraySize=3 makes the five-task synth stage split into two arrays.
	cluster := slurmtest.StartCluster(t, 3)
	t.Logf("cluster up after %s", time.Since(start).Round(time.Millisecond))

	plan := runners.Plan{Tasks: []runners.Task{
		{Key: "s0", Name: "synth 0", Stage: "synth"},
		{Key: "s1", Name: "synth 1", Stage: "synth"},
		{Key: "s2", Name: "synth 2", Stage: "synth"},
		{Key: "s3", Name: "synth 3 (fails once)", Stage: "synth"},
		{Key: "s4", Name: "synth 4", Stage: "synth"},
		{Key: "d01", Name: "detect 0+1", Stage: "detect", Deps: []string{"s0", "s1"}},
		{Key: "d34", Name: "detect 3+4", Stage: "detect", Deps: []string{"s3", "s4"}, Slots: 2},
		{Key: "m", Name: "merge", Stage: "merge", Deps: []string{"d01", "d34", "s2"}},
	}}
	out := t.TempDir()
	exec := executorFor(out, plan, map[string]int{"s3": 1})
	var progress bytes.Buffer
	r := New(t.TempDir(), Options{
		Retries:       1,
		MaxConcurrent: 2,
		PollInterval:  time.Second,
		Env:           []string{"SLURM_CONF=" + cluster.Conf},
	})
	r.Progress = &progress
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runStart := time.Now()
	report, err := r.Run(ctx, plan, exec)
	t.Logf("run took %s; progress:\n%s", time.Since(runStart).Round(time.Millisecond), progress.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Err(); err != nil {
		t.Fatal(err)
	}
	wantAttempts := map[string]int{"s3": 2}
	for _, o := range report.Outcomes {
		want := 1
		if n, ok := wantAttempts[o.Key]; ok {
			want = n
		}
		if o.Attempts != want || o.Cached {
			t.Errorf("%s: attempts %d cached %v, want %d and false", o.Key, o.Attempts, o.Cached, want)
		}
		log, err := os.ReadFile(o.LogPath)
		if err != nil || !strings.Contains(string(log), "wrote "+filepath.Join(out, o.Key)) {
			t.Errorf("%s: log %s: %v %q", o.Key, o.LogPath, err, log)
		}
	}
	got, err := os.ReadFile(filepath.Join(out, "m"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "m\nd01\ns0\ns1\nd34\ns3\ns4\ns2\n"; string(got) != want {
		t.Errorf("merge output %q, want %q", got, want)
	}
	rec, err := readRecord(r.Dir(plan))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Arrays[0].Stage != "synth" || len(rec.Arrays[0].Keys) != 3 || len(rec.Arrays[1].Keys) != 2 {
		t.Errorf("first round did not split synth into 3+2 tasks: %+v", rec.Arrays[:2])
	}
	if !strings.Contains(progress.String(), "DependencyNeverSatisfied") {
		t.Errorf("expected the blocked detect array to be cancelled; progress:\n%s", progress.String())
	}
	st, err := r.Status(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	if st.Active() || st.Count(StateSucceeded) != len(plan.Tasks) {
		t.Errorf("status after the run: %+v", st.Tasks)
	}
	// A second run finds everything done and submits nothing.
	report, err = r.Run(ctx, plan, exec)
	if err != nil {
		t.Fatal(err)
	}
	if _, cached, _ := report.Counts(); cached != len(plan.Tasks) {
		t.Errorf("second run: %d cached, want %d", cached, len(plan.Tasks))
	}
	t.Logf("integration test wall time %s", time.Since(start).Round(time.Millisecond))
}
