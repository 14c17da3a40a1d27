package main

import (
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestWorkersLimitThreads: --workers 1 runs the study on one thread of
// compute (GOMAXPROCS 1 while it runs, the training kernels included), and
// the process setting is restored afterwards.
func TestWorkersLimitThreads(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a smoke sweep")
	}
	before := runtime.GOMAXPROCS(0)
	if before < 2 {
		t.Skip("needs 2 CPUs to tell")
	}
	done := make(chan error, 1)
	go func() {
		_, err := runAncdErr("run", "tables/table7.yaml", "experiment.profile=smoke", "--workers", "1", "--store", filepath.Join(t.TempDir(), "s"))
		done <- err
	}()
	seen := map[int]bool{}
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		case <-time.After(time.Millisecond):
			seen[runtime.GOMAXPROCS(0)] = true
		}
	}
	if !seen[1] || len(seen) != 1 && !(len(seen) == 2 && seen[before]) {
		t.Fatalf("GOMAXPROCS during the --workers 1 run: %v, want 1", seen)
	}
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Fatalf("GOMAXPROCS after the run: %d, want %d restored", got, before)
	}
}
