package runners

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Task is one unit of work: one stage of one configuration.
type Task struct {
	// Key is the content key of the task's output in the run store. It is
	// unique within a plan.
	Key string
	// Name is a short human label, e.g. "train mvtec/capsule lm=9 seed=3407".
	Name string
	// Stage names the pipeline stage ("synth", "detect", "binarize", ...).
	Stage string
	// Deps are the keys of tasks whose outputs this task reads. A task runs
	// only after all of them are done.
	Deps []string
	// Slots is how many worker slots (cores or devices) the task occupies
	// while it runs; zero means one.
	Slots int64
}

// ShortKey returns the first 12 characters of a task key, as plan listings,
// logs and status reports show it (the whole key when it is shorter).
func ShortKey(key string) string {
	if len(key) > 12 {
		return key[:12]
	}
	return key
}

// Plan is a set of tasks. Every key in a Deps list must be the key of a task
// in the plan or already done in the store.
type Plan struct {
	Tasks []Task
}

// Executor is the bridge between a runner and the stages.
type Executor interface {
	// Done reports whether the output of key is complete in the store.
	Done(key string) bool
	// Exec runs the task in this process, writing its log to log. It must
	// write its output atomically so that Done becomes true only on success.
	Exec(ctx context.Context, key string, log io.Writer) error
	// Command returns the argv that runs the task in a fresh process on a
	// machine that shares the store's filesystem (used by batch schedulers).
	Command(key string) []string
}

// Outcome is what happened to one task.
type Outcome struct {
	Key      string
	Name     string
	Cached   bool // output already existed; nothing ran
	Err      error
	Attempts int
	Duration time.Duration
	LogPath  string // where the task's log was kept, if anywhere
}

// Report summarises a run. Outcomes are in plan order.
type Report struct {
	Outcomes []Outcome
}

// Counts returns how many tasks ran, came from cache and failed.
func (r Report) Counts() (ran, cached, failed int) {
	for _, o := range r.Outcomes {
		switch {
		case o.Err != nil:
			failed++
		case o.Cached:
			cached++
		default:
			ran++
		}
	}
	return
}

// Err returns an error listing the failed tasks, or nil.
func (r Report) Err() error {
	var n int
	var first Outcome
	for _, o := range r.Outcomes {
		if o.Err != nil {
			if n == 0 {
				first = o
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d task(s) failed; first: %s (%s): %v", n, first.Name, first.Key, first.Err)
}

// Runner executes a plan.
type Runner interface {
	Run(ctx context.Context, plan Plan, exec Executor) (Report, error)
}

// Validate checks that keys are unique and that dependencies form a DAG whose
// edges point at tasks in the plan or at keys done in the store. It returns
// the tasks in a deterministic topological order (plan order among ready tasks).
func Validate(plan Plan, done func(key string) bool) ([]Task, error) {
	index := make(map[string]int, len(plan.Tasks))
	for i, t := range plan.Tasks {
		if t.Key == "" {
			return nil, fmt.Errorf("task %d (%s) has an empty key", i, t.Name)
		}
		if _, dup := index[t.Key]; dup {
			return nil, fmt.Errorf("duplicate task key %s (%s)", t.Key, t.Name)
		}
		index[t.Key] = i
	}
	indeg := make([]int, len(plan.Tasks))
	children := make([][]int, len(plan.Tasks))
	for i, t := range plan.Tasks {
		for _, d := range t.Deps {
			j, ok := index[d]
			if !ok {
				if done != nil && done(d) {
					continue
				}
				return nil, fmt.Errorf("task %s (%s) depends on %s, which is neither in the plan nor done", t.Key, t.Name, d)
			}
			indeg[i]++
			children[j] = append(children[j], i)
		}
	}
	var order []Task
	ready := []int{}
	for i := range plan.Tasks {
		if indeg[i] == 0 {
			ready = append(ready, i)
		}
	}
	for len(ready) > 0 {
		// smallest plan index first, for a deterministic order
		best := 0
		for k := range ready {
			if ready[k] < ready[best] {
				best = k
			}
		}
		i := ready[best]
		ready = append(ready[:best], ready[best+1:]...)
		order = append(order, plan.Tasks[i])
		for _, c := range children[i] {
			indeg[c]--
			if indeg[c] == 0 {
				ready = append(ready, c)
			}
		}
	}
	if len(order) != len(plan.Tasks) {
		return nil, fmt.Errorf("task dependencies contain a cycle")
	}
	return order, nil
}
