package slurm

import (
	"bytes"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/runners"
)

// TestSummarize checks the per-stage counts and the problem lines of
// ancd status --runner slurm for every task state.
func TestSummarize(t *testing.T) {
	task := func(key, stage string) runners.Task {
		return runners.Task{Key: key, Name: stage + " " + key, Stage: stage}
	}
	stages := []string{"data", "detect", "train", "evaluate"}
	plan := runners.Plan{Tasks: []runners.Task{
		task("d-cached", "data"), task("d-missing", "data"),
		task("t-failed", "train"), task("t-lost", "train"),
		task("e-blocked", "evaluate"), task("e-pending", "evaluate"), task("e-running", "evaluate"), task("e-ok", "evaluate"),
	}}
	st := Status{Tasks: []TaskStatus{
		{Key: "t-failed", JobID: "7", Index: 0, State: StateFailed, ExitCode: 2, LogPath: "logs/7_0.out"},
		{Key: "t-lost", JobID: "7", Index: 1, State: StateLost, Reason: "TIMEOUT", LogPath: "logs/7_1.out"},
		{Key: "e-blocked", JobID: "8", Index: 0, State: StateBlocked},
		{Key: "e-pending", JobID: "9", Index: 0, State: StatePending},
		{Key: "e-running", JobID: "9", Index: 1, State: StateRunning},
		{Key: "e-ok", JobID: "9", Index: 2, State: StateSucceeded},
	}}
	done := map[string]bool{"d-cached": true, "e-ok": true}
	sum := Summarize(plan, stages, st, func(key string) bool { return done[key] })
	var buf bytes.Buffer
	if err := sum.Tally.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `stage     tasks  cached  unsubmitted  pending  running  blocked  succeeded  failed  lost
data      2      1       1            0        0        0        0          0       0
train     2      0       0            0        0        0        0          1       1
evaluate  4      0       0            1        1        1        1          0       0
total     8      1       1            1        1        1        1          1       1
`
	if buf.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", buf.String(), want)
	}
	wantProblems := []string{
		"failed (exit 2): train t-failed (t-failed), log logs/7_0.out",
		"lost (TIMEOUT): train t-lost (t-lost), job 7_1, log logs/7_1.out",
	}
	if !slices.Equal(sum.Problems, wantProblems) {
		t.Errorf("problems %q, want %q", sum.Problems, wantProblems)
	}
	if sum.Done != 2 || sum.Active != 2 {
		t.Errorf("done %d active %d, want 2 and 2", sum.Done, sum.Active)
	}
}
