package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/anomalyncd/ancd/runners"
)

// Runner runs plans in this process. The zero Runner uses every CPU, no
// devices, no retries, no log files and slog.Default for progress lines.
type Runner struct {
	// Workers is the number of core slots; 0 means runtime.NumCPU().
	// Ignored when Devices is set.
	Workers int
	// Devices are device ids ("0", "1"); when set there is one slot per
	// device and a task holding devices gets CUDA_VISIBLE_DEVICES=<ids>.
	Devices []string
	// Retries is how many extra attempts a transiently failing task gets.
	Retries int
	// RetryDelay is the pause before a retry.
	RetryDelay time.Duration
	// LogDir keeps each task's log as <LogDir>/<stage>/<key>.log; empty
	// discards logs.
	LogDir string
	// Logger receives one line per finished task; nil means slog.Default().
	Logger *slog.Logger
	// Progress, when set, is told about every task (e.g. NewBars).
	Progress Progress
}

// SkippedError is the outcome of a task that did not run because a task it
// depends on failed or was skipped.
type SkippedError struct {
	Dep string // key of the failed dependency
}

func (e *SkippedError) Error() string { return "skipped: dependency " + e.Dep + " failed" }

var _ runners.Runner = (*Runner)(nil)

// Run executes the plan and returns one outcome per task in plan order. The
// error is non-nil only when the plan is invalid or ctx was cancelled; task
// failures are in the report (see Report.Err).
func (r *Runner) Run(ctx context.Context, plan runners.Plan, exec runners.Executor) (runners.Report, error) {
	order, err := runners.Validate(plan, exec.Done)
	if err != nil {
		return runners.Report{}, err
	}
	logger := r.Logger
	if logger == nil {
		logger = slog.Default()
	}
	slots := int64(r.Workers)
	if slots <= 0 {
		slots = int64(runtime.NumCPU())
	}
	devices := newDevicePool(r.Devices)
	if devices != nil {
		slots = int64(len(r.Devices))
	}
	sem := semaphore.NewWeighted(slots)

	index := make(map[string]int, len(order))
	for i, t := range order {
		index[t.Key] = i
	}
	outcomes := make([]runners.Outcome, len(order))
	finished := make([]chan struct{}, len(order))
	for i := range finished {
		finished[i] = make(chan struct{})
	}
	if r.Progress != nil {
		r.Progress.Begin(order)
	}

	var wg sync.WaitGroup
	for i, t := range order {
		wg.Go(func() {
			defer close(finished[i])
			o := runners.Outcome{Key: t.Key, Name: t.Name}
			defer func() {
				outcomes[i] = o
				if r.Progress != nil {
					r.Progress.Finished(t, o)
				}
				logOutcome(logger, t, o)
			}()
			for _, d := range t.Deps {
				j, inPlan := index[d]
				if !inPlan {
					continue
				}
				<-finished[j]
				if outcomes[j].Err != nil {
					o.Err = &SkippedError{Dep: d}
					return
				}
			}
			if err := ctx.Err(); err != nil {
				o.Err = err
				return
			}
			if exec.Done(t.Key) {
				o.Cached = true
				return
			}
			weight := min(max(t.Slots, 1), slots)
			if err := sem.Acquire(ctx, weight); err != nil {
				o.Err = err
				return
			}
			defer sem.Release(weight)
			taskCtx := ctx
			if devices != nil {
				ids := devices.take(int(weight))
				defer devices.give(ids)
				taskCtx = runners.WithEnv(ctx, "CUDA_VISIBLE_DEVICES="+strings.Join(ids, ","))
			}
			if r.Progress != nil {
				r.Progress.Started(t)
			}
			start := time.Now()
			o.LogPath, o.Attempts, o.Err = r.attempt(taskCtx, t, exec)
			o.Duration = time.Since(start)
		})
	}
	wg.Wait()
	if r.Progress != nil {
		r.Progress.End()
	}

	report := runners.Report{Outcomes: make([]runners.Outcome, len(plan.Tasks))}
	for i, t := range plan.Tasks {
		report.Outcomes[i] = outcomes[index[t.Key]]
	}
	return report, ctx.Err()
}

// attempt runs a task, retrying transient failures.
func (r *Runner) attempt(ctx context.Context, t runners.Task, exec runners.Executor) (logPath string, attempts int, err error) {
	log := io.Discard
	if r.LogDir != "" {
		logPath = filepath.Join(r.LogDir, t.Stage, t.Key+".log")
		if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
			return logPath, 0, fmt.Errorf("task log folder: %w", err)
		}
		f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return logPath, 0, fmt.Errorf("task log: %w", err)
		}
		defer f.Close()
		log = f
	}
	for attempts = 1; ; attempts++ {
		fmt.Fprintf(log, "=== %s attempt %d/%d %s\n", t.Name, attempts, r.Retries+1, strings.Join(runners.EnvFrom(ctx), " "))
		err = safeExec(ctx, exec, t.Key, log)
		if err == nil && !exec.Done(t.Key) {
			err = errors.New("task returned success but its output is not in the store")
		}
		if err == nil {
			return logPath, attempts, nil
		}
		fmt.Fprintf(log, "=== attempt %d failed: %v\n", attempts, err)
		if attempts > r.Retries || !runners.IsTransient(err) || ctx.Err() != nil {
			return logPath, attempts, err
		}
		select {
		case <-time.After(r.RetryDelay):
		case <-ctx.Done():
			return logPath, attempts, ctx.Err()
		}
	}
}

// safeExec turns a panicking stage into an error so that one bad task does
// not bring down the others.
func safeExec(ctx context.Context, exec runners.Executor, key string, log io.Writer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return exec.Exec(ctx, key, log)
}

func logOutcome(logger *slog.Logger, t runners.Task, o runners.Outcome) {
	var skipped *SkippedError
	switch {
	case o.Cached:
		logger.Debug("cached", "task", t.Name, "key", runners.ShortKey(t.Key))
	case errors.As(o.Err, &skipped):
		logger.Warn("skipped", "task", t.Name, "key", runners.ShortKey(t.Key), "failed_dependency", runners.ShortKey(skipped.Dep))
	case errors.Is(o.Err, context.Canceled):
		logger.Debug("cancelled", "task", t.Name, "key", runners.ShortKey(t.Key))
	case o.Err != nil:
		logger.Error("failed", "task", t.Name, "key", runners.ShortKey(t.Key), "attempts", o.Attempts, "log", o.LogPath, "err", o.Err)
	default:
		logger.Info("done", "task", t.Name, "key", runners.ShortKey(t.Key), "attempts", o.Attempts, "took", o.Duration.Round(time.Millisecond))
	}
}

// devicePool hands out device ids, lowest first.
type devicePool struct {
	mu   sync.Mutex
	free []string
	rank map[string]int
}

func newDevicePool(ids []string) *devicePool {
	if len(ids) == 0 {
		return nil
	}
	p := &devicePool{free: append([]string(nil), ids...), rank: map[string]int{}}
	for i, id := range ids {
		p.rank[id] = i
	}
	return p
}

// take removes n ids; the semaphore guarantees that they are free.
func (p *devicePool) take(n int) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	ids := append([]string(nil), p.free[:n]...)
	p.free = p.free[n:]
	return ids
}

func (p *devicePool) give(ids []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, ids...)
	sort.Slice(p.free, func(i, j int) bool { return p.rank[p.free[i]] < p.rank[p.free[j]] })
}
