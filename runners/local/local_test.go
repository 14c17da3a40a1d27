package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/runners"
)

// fakeExec records runs in memory.
type fakeExec struct {
	mu       sync.Mutex
	done     map[string]bool
	order    []string
	env      map[string][]string
	fail     map[string]error // permanent failures
	flaky    map[string]int   // transient failures before success
	attempts map[string]int
	delay    time.Duration
	running  atomic.Int64
	peak     atomic.Int64
}

func newFake() *fakeExec {
	return &fakeExec{done: map[string]bool{}, env: map[string][]string{}, fail: map[string]error{}, flaky: map[string]int{}, attempts: map[string]int{}}
}

func (f *fakeExec) Done(k string) bool        { f.mu.Lock(); defer f.mu.Unlock(); return f.done[k] }
func (f *fakeExec) Command(k string) []string { return []string{"run", k} }
func (f *fakeExec) Exec(ctx context.Context, k string, log io.Writer) error {
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts[k]++
	f.env[k] = runners.EnvFrom(ctx)
	if err := f.fail[k]; err != nil {
		fmt.Fprintln(log, "failing on purpose")
		return err
	}
	if f.flaky[k] > 0 {
		f.flaky[k]--
		return runners.Transient(errors.New("device lost"))
	}
	f.order = append(f.order, k)
	f.done[k] = true
	return nil
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// diamond: a -> b, a -> c, (b, c) -> d; e independent.
func diamond() runners.Plan {
	return runners.Plan{Tasks: []runners.Task{
		{Key: "d", Name: "D", Stage: "s2", Deps: []string{"b", "c"}},
		{Key: "b", Name: "B", Stage: "s1", Deps: []string{"a"}},
		{Key: "c", Name: "C", Stage: "s1", Deps: []string{"a"}},
		{Key: "a", Name: "A", Stage: "s0"},
		{Key: "e", Name: "E", Stage: "s0"},
	}}
}

func TestDependencyOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		f := newFake()
		f.delay = time.Millisecond
		r := &Runner{Workers: workers, Logger: quiet()}
		rep, err := r.Run(context.Background(), diamond(), f)
		if err != nil || rep.Err() != nil {
			t.Fatal(err, rep.Err())
		}
		pos := map[string]int{}
		for i, k := range f.order {
			pos[k] = i
		}
		if len(pos) != 5 || pos["a"] > pos["b"] || pos["a"] > pos["c"] || pos["b"] > pos["d"] || pos["c"] > pos["d"] {
			t.Errorf("workers %d: order %v", workers, f.order)
		}
		if got := f.peak.Load(); got > int64(workers) {
			t.Errorf("workers %d: %d tasks ran at once", workers, got)
		}
		// outcomes are in plan order
		if rep.Outcomes[0].Key != "d" || rep.Outcomes[3].Key != "a" {
			t.Errorf("outcomes not in plan order")
		}
	}
}

func TestFailureIsolation(t *testing.T) {
	f := newFake()
	f.fail["b"] = errors.New("bad input")
	logDir := t.TempDir()
	r := &Runner{Workers: 2, Logger: quiet(), LogDir: logDir}
	rep, err := r.Run(context.Background(), diamond(), f)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]runners.Outcome{}
	for _, o := range rep.Outcomes {
		byKey[o.Key] = o
	}
	var skipped *SkippedError
	if !errors.As(byKey["d"].Err, &skipped) || skipped.Dep != "b" {
		t.Errorf("d: %v, want skipped because of b", byKey["d"].Err)
	}
	if byKey["b"].Err == nil || !strings.HasSuffix(byKey["b"].LogPath, "s1/b.log") {
		t.Errorf("b: %+v", byKey["b"])
	}
	for _, k := range []string{"a", "c", "e"} {
		if byKey[k].Err != nil || !f.Done(k) {
			t.Errorf("independent task %s: %v", k, byKey[k].Err)
		}
	}
	if _, _, failed := rep.Counts(); failed != 2 {
		t.Errorf("failed %d, want 2 (b failed, d skipped)", failed)
	}
	if err := rep.Err(); err == nil || !strings.Contains(err.Error(), "2 task(s) failed") {
		t.Errorf("report error %v", err)
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		retries, flaky int
		wantErr        bool
		attempts       int
	}{
		{0, 1, true, 1},
		{2, 2, false, 3},
		{2, 5, true, 3},
	}
	for _, tc := range tests {
		f := newFake()
		f.flaky["a"] = tc.flaky
		r := &Runner{Workers: 1, Retries: tc.retries, Logger: quiet()}
		rep, _ := r.Run(context.Background(), runners.Plan{Tasks: []runners.Task{{Key: "a"}}}, f)
		o := rep.Outcomes[0]
		if (o.Err != nil) != tc.wantErr || o.Attempts != tc.attempts {
			t.Errorf("retries %d flaky %d: err %v attempts %d", tc.retries, tc.flaky, o.Err, o.Attempts)
		}
	}
	// permanent errors are not retried
	f := newFake()
	f.fail["a"] = errors.New("bug")
	rep, _ := (&Runner{Workers: 1, Retries: 3, Logger: quiet()}).Run(context.Background(), runners.Plan{Tasks: []runners.Task{{Key: "a"}}}, f)
	if rep.Outcomes[0].Attempts != 1 {
		t.Errorf("permanent failure retried %d times", rep.Outcomes[0].Attempts)
	}
}

func TestCachedTasksDoNotRun(t *testing.T) {
	f := newFake()
	f.done["a"], f.done["b"] = true, true
	rep, err := (&Runner{Workers: 2, Logger: quiet()}).Run(context.Background(), diamond(), f)
	if err != nil {
		t.Fatal(err)
	}
	ran, cached, failed := rep.Counts()
	if ran != 3 || cached != 2 || failed != 0 {
		t.Errorf("ran %d cached %d failed %d", ran, cached, failed)
	}
	if slices.Contains(f.order, "a") {
		t.Error("cached task ran")
	}
}

func TestDevices(t *testing.T) {
	f := newFake()
	f.delay = 5 * time.Millisecond
	plan := runners.Plan{}
	for i := range 6 {
		plan.Tasks = append(plan.Tasks, runners.Task{Key: fmt.Sprint("t", i)})
	}
	plan.Tasks = append(plan.Tasks, runners.Task{Key: "both", Slots: 2})
	r := &Runner{Devices: []string{"0", "1"}, Workers: 16, Logger: quiet()}
	if _, err := r.Run(context.Background(), plan, f); err != nil {
		t.Fatal(err)
	}
	if f.peak.Load() > 2 {
		t.Errorf("%d tasks at once on 2 devices", f.peak.Load())
	}
	for k, env := range f.env {
		want := []string{"CUDA_VISIBLE_DEVICES=0", "CUDA_VISIBLE_DEVICES=1"}
		if k == "both" {
			want = []string{"CUDA_VISIBLE_DEVICES=0,1"}
		}
		if len(env) != 1 || !slices.Contains(want, env[0]) {
			t.Errorf("%s: env %v", k, env)
		}
	}
}

func TestCancel(t *testing.T) {
	f := newFake()
	f.delay = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	rep, err := (&Runner{Workers: 2, Logger: quiet()}).Run(ctx, diamond(), f)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("cancel did not stop the run")
	}
	for _, o := range rep.Outcomes {
		if o.Err == nil {
			t.Errorf("%s finished despite cancel", o.Key)
		}
	}
}

func TestInvalidPlan(t *testing.T) {
	_, err := (&Runner{Logger: quiet()}).Run(context.Background(), runners.Plan{Tasks: []runners.Task{{Key: "a", Deps: []string{"zz"}}}}, newFake())
	if err == nil {
		t.Fatal("invalid plan accepted")
	}
}

func TestPanicIsolated(t *testing.T) {
	ex := &panicExec{newFake()}
	rep, err := (&Runner{Workers: 2, Logger: quiet()}).Run(context.Background(), diamond(), ex)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcomes[3].Err == nil || !strings.Contains(rep.Outcomes[3].Err.Error(), "panic") {
		t.Errorf("a: %v", rep.Outcomes[3].Err)
	}
	if rep.Outcomes[4].Err != nil {
		t.Errorf("e: %v", rep.Outcomes[4].Err)
	}
}

type panicExec struct{ *fakeExec }

func (p *panicExec) Exec(ctx context.Context, k string, log io.Writer) error {
	if k == "a" {
		panic("stage bug")
	}
	return p.fakeExec.Exec(ctx, k, log)
}
