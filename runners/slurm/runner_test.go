package slurm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/runners"
)

// diamond is a small plan: two roots, two tasks of a second stage, one join.
func diamond() runners.Plan {
	return runners.Plan{Tasks: []runners.Task{
		{Key: "join", Name: "join", Stage: "merge", Deps: []string{"x", "y"}},
		{Key: "a", Name: "a", Stage: "synth"},
		{Key: "b", Name: "b", Stage: "synth"},
		{Key: "x", Name: "x", Stage: "detect", Deps: []string{"a"}},
		{Key: "y", Name: "y", Stage: "detect", Deps: []string{"b"}},
	}}
}

func executorFor(out string, plan runners.Plan, fail map[string]int) shellExecutor {
	return shellExecutor{out: out, deps: depsOf(plan), fail: fail}
}

func TestRunWithFakeSlurm(t *testing.T) {
	type want struct {
		outcome  string // per task in plan order: "ok", "cached" or "err"
		attempts string // per task in plan order
		sbatch   int    // sbatch calls
		scancel  int    // scancel calls
		errText  string // in the failed outcomes' errors, if any
	}
	tests := []struct {
		name     string
		fail     map[string]int
		done     []string
		retries  int
		maxArray string
		want     want
	}{
		{"all succeed", nil, nil, 0, "", want{"ok ok ok ok ok", "1 1 1 1 1", 3, 0, ""}},
		{"split arrays", nil, nil, 0, "1", want{"ok ok ok ok ok", "1 1 1 1 1", 5, 0, ""}},
		{"cached tasks skipped", nil, []string{"a", "x"}, 0, "", want{"ok cached ok cached ok", "1 0 1 0 1", 3, 0, ""}},
		// a fails: the whole detect array waits on the whole synth array, so
		// y is blocked too; round 1 resubmits a, y (level 0) and x, join.
		{"retry a root", map[string]int{"a": 1}, nil, 1, "", want{"ok ok ok ok ok", "1 2 1 1 1", 7, 1, ""}},
		{"retry a middle task twice", map[string]int{"y": 2}, nil, 2, "", want{"ok ok ok ok ok", "1 1 1 1 3", 7, 2, ""}},
		{"out of retries", map[string]int{"b": 5}, nil, 1, "", want{"err ok err ok err", "0 1 2 1 0", 7, 2, "exit status 3"}},
		{"no retries", map[string]int{"x": 1}, nil, 0, "", want{"err ok ok err ok", "0 1 1 1 1", 3, 1, "dependency x did not succeed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFakeSlurm(t)
			fake.set(t, "maxarray", tc.maxArray)
			plan := diamond()
			out := t.TempDir()
			exec := executorFor(out, plan, tc.fail)
			for _, k := range tc.done {
				if err := os.WriteFile(filepath.Join(out, k), []byte(k+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := New(t.TempDir(), Options{Retries: tc.retries, PollInterval: time.Millisecond, Commands: fake.commands()})
			report, err := r.Run(context.Background(), plan, exec)
			if err != nil {
				t.Fatal(err)
			}
			var outcomes, attempts, errs []string
			for _, o := range report.Outcomes {
				switch {
				case o.Err != nil:
					outcomes = append(outcomes, "err")
					errs = append(errs, o.Err.Error())
				case o.Cached:
					outcomes = append(outcomes, "cached")
				default:
					outcomes = append(outcomes, "ok")
					if _, err := os.Stat(o.LogPath); err != nil {
						t.Errorf("%s: log: %v", o.Key, err)
					}
				}
				attempts = append(attempts, strconv.Itoa(o.Attempts))
			}
			if g := strings.Join(outcomes, " "); g != tc.want.outcome {
				t.Errorf("outcomes %q, want %q (errors %q)", g, tc.want.outcome, errs)
			}
			if g := strings.Join(attempts, " "); g != tc.want.attempts {
				t.Errorf("attempts %q, want %q", g, tc.want.attempts)
			}
			if tc.want.errText != "" && !strings.Contains(strings.Join(errs, "\n"), tc.want.errText) {
				t.Errorf("errors %q lack %q", errs, tc.want.errText)
			}
			if n := len(fake.calls(t, "sbatch")); n != tc.want.sbatch {
				t.Errorf("sbatch called %d times, want %d:\n%s", n, tc.want.sbatch, strings.Join(fake.calls(t, "sbatch"), "\n"))
			}
			if n := len(fake.calls(t, "scancel")); n != tc.want.scancel {
				t.Errorf("scancel called %d times, want %d", n, tc.want.scancel)
			}
			if tc.want.outcome == "ok ok ok ok ok" {
				data, err := os.ReadFile(filepath.Join(out, "join"))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := string(data), "join\nx\na\ny\nb\n"; got != want {
					t.Errorf("join output %q, want %q", got, want)
				}
			}
		})
	}
}

func TestRunDependencyWiring(t *testing.T) {
	fake := newFakeSlurm(t)
	plan := diamond()
	r := New(t.TempDir(), Options{Partition: "debug", ExtraArgs: []string{"--qos=low"}, MaxConcurrent: 2, PollInterval: time.Millisecond, Commands: fake.commands()})
	if _, err := r.Run(context.Background(), plan, executorFor(t.TempDir(), plan, nil)); err != nil {
		t.Fatal(err)
	}
	dir := r.Dir(plan)
	got := fake.calls(t, "sbatch")
	want := []string{
		"--parsable --qos=low " + filepath.Join(dir, "array-0.sh"),
		"--parsable --dependency=afterok:100 --qos=low " + filepath.Join(dir, "array-1.sh"),
		"--parsable --dependency=afterok:101 --qos=low " + filepath.Join(dir, "array-2.sh"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sbatch calls\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	list, err := os.ReadFile(filepath.Join(dir, "tasks-1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(list)), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "x\t") || !strings.HasPrefix(lines[1], "y\t") {
		t.Errorf("tasks-1.txt = %q, want lines for x then y", list)
	}
	script, err := os.ReadFile(filepath.Join(dir, "array-1.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"#SBATCH --array=0-1%2\n", "#SBATCH --partition=debug\n", "#SBATCH --job-name=ancd-detect\n"} {
		if !strings.Contains(string(script), w) {
			t.Errorf("array-1.sh lacks %q", w)
		}
	}
	rec, err := readRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Arrays) != 3 || rec.Arrays[2].JobID != "102" || strings.Join(rec.Arrays[2].After, ",") != "101" || rec.PlanHash != PlanHash(plan) {
		t.Errorf("record %+v", rec)
	}
}

func TestSubmissionError(t *testing.T) {
	fake := newFakeSlurm(t)
	fake.set(t, "fail-at", "2")
	plan := diamond()
	out := t.TempDir()
	exec := executorFor(out, plan, nil)
	r := New(t.TempDir(), Options{PollInterval: time.Millisecond, Commands: fake.commands()})
	report, err := r.Run(context.Background(), plan, exec)
	if err == nil {
		t.Fatal("want a submission error")
	}
	for _, w := range []string{"array-1.sh", "Batch job submission failed", "round 0, array 2 of 3"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	// the first array ran and is reported; nothing else was submitted
	if ran, _, failed := report.Counts(); ran != 2 || failed != 3 {
		t.Errorf("report counts ran=%d failed=%d, want 2 and 3", ran, failed)
	}
	rec, err := readRecord(r.Dir(plan))
	if err != nil || len(rec.Arrays) != 1 {
		t.Fatalf("record has %d arrays (%v), want 1", len(rec.Arrays), err)
	}
	// a second run submits only what is missing
	fake.set(t, "fail-at", "")
	report, err = r.Run(context.Background(), plan, exec)
	if err != nil || report.Err() != nil {
		t.Fatalf("second run: %v %v", err, report.Err())
	}
	if ran, cached, _ := report.Counts(); ran != 3 || cached != 2 {
		t.Errorf("second run ran=%d cached=%d, want 3 and 2", ran, cached)
	}
	if calls := fake.calls(t, "sbatch"); len(calls) != 4 || !strings.HasSuffix(calls[2], "array-1.sh") {
		t.Errorf("sbatch calls %q, want the failed call then array-1.sh and array-2.sh", calls)
	}
}

func TestSubmitStatusCollect(t *testing.T) {
	fake := newFakeSlurm(t)
	plan := diamond()
	out := t.TempDir()
	exec := executorFor(out, plan, map[string]int{"b": 1})
	r := New(t.TempDir(), Options{Commands: fake.commands()})
	ctx := context.Background()
	sub, err := r.Submit(ctx, plan, exec)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Arrays) != 3 || sub.Dir != r.Dir(plan) {
		t.Fatalf("submission %+v", sub)
	}
	st, err := r.Status(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]TaskState{}
	for _, ts := range st.Tasks {
		states[ts.Key] = ts.State
	}
	wantStates := map[string]TaskState{"a": StateSucceeded, "b": StateFailed, "x": StateBlocked, "y": StateBlocked, "join": StateBlocked}
	for k, w := range wantStates {
		if states[k] != w {
			t.Errorf("status of %s = %s, want %s", k, states[k], w)
		}
	}
	if st.Active() || st.Count(StateBlocked) != 3 {
		t.Errorf("Active=%v blocked=%d, want false and 3", st.Active(), st.Count(StateBlocked))
	}
	report, err := r.Collect(ctx, plan, exec)
	if err != nil {
		t.Fatal(err)
	}
	if ran, _, failed := report.Counts(); ran != 1 || failed != 4 {
		t.Errorf("collect ran=%d failed=%d, want 1 and 4", ran, failed)
	}
	if got := report.Outcomes[2].Err; got == nil || !strings.Contains(got.Error(), "exit status 3") {
		t.Errorf("b: %v, want exit status 3", got)
	}
	if got := report.Outcomes[3].Err; got == nil || !strings.Contains(got.Error(), "job 100") {
		t.Errorf("x: %v, want not run, naming job 100", got)
	}
	if got := report.Outcomes[4].Err; got == nil || !strings.Contains(got.Error(), "dependency b did not succeed") {
		t.Errorf("y: %v, want not run, naming b", got)
	}
	// Submitting again cancels the blocked arrays and resubmits the rest.
	sub, err = r.Submit(ctx, plan, exec)
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.calls(t, "scancel"); strings.Join(got, ";") != "101 102" {
		t.Errorf("scancel calls %q, want one for 101 102", got)
	}
	if len(sub.Arrays) != 4 {
		t.Errorf("second submission has %d arrays, want 4 (b, x, y, join)", len(sub.Arrays))
	}
	report, err = r.Collect(ctx, plan, exec)
	if err != nil || report.Err() != nil {
		t.Fatalf("after resubmission: %v %v", err, report.Err())
	}
	if got := report.Outcomes[2].Attempts; got != 2 {
		t.Errorf("b attempts %d, want 2", got)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	fake := newFakeSlurm(t)
	cmds := fake.commands()
	// a queue where job 100 never finishes; each poll is logged
	polls := filepath.Join(t.TempDir(), "polls")
	cmds.Squeue = filepath.Join(t.TempDir(), "squeue")
	script := "#!/bin/bash\necho poll >> " + shellQuote(polls) + "\necho '100|0|RUNNING|None'\n"
	if err := os.WriteFile(cmds.Squeue, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	plan := runners.Plan{Tasks: []runners.Task{{Key: "a", Name: "a", Stage: "s"}}}
	r := New(t.TempDir(), Options{PollInterval: 5 * time.Millisecond, Commands: cmds})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // cancel once Run has polled a few times
		for {
			if data, _ := os.ReadFile(polls); strings.Count(string(data), "poll") >= 3 {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	report, err := r.Run(ctx, plan, executorFor(t.TempDir(), plan, map[string]int{"a": 9}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if len(report.Outcomes) != 1 || report.Outcomes[0].Err == nil {
		t.Errorf("report %+v, want one failed outcome", report.Outcomes)
	}
	if n := len(fake.calls(t, "scancel")); n != 0 {
		t.Errorf("Run cancelled %d jobs on context end; it must leave them running", n)
	}
}

func TestMaxArraySizeFromScontrol(t *testing.T) {
	fake := newFakeSlurm(t)
	tests := []struct {
		value   string
		want    int
		wantErr string
	}{
		{"1001", 1001, ""},
		{"5", 5, ""},
		{"zero", 0, "not a positive number"},
	}
	for _, tc := range tests {
		fake.set(t, "maxarray", tc.value)
		got, err := client{cmds: fake.commands()}.maxArraySize(context.Background())
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("MaxArraySize %q: want error %q, got %v", tc.value, tc.wantErr, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("MaxArraySize %q: got %d %v, want %d", tc.value, got, err, tc.want)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{{Retries: -1}, {MaxConcurrent: -2}, {MaxArraySize: -3}} {
		r := New(t.TempDir(), o)
		if _, err := r.Run(context.Background(), runners.Plan{}, shellExecutor{}); err == nil {
			t.Errorf("options %+v: want an error", o)
		}
	}
}
