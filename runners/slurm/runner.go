package slurm

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/anomalyncd/ancd/internal/atomicfile"
	"github.com/anomalyncd/ancd/runners"
)

// Runner submits plans to Slurm as job arrays. Store is the run store root on
// the shared filesystem: the scripts, task lists, logs, exit statuses and the
// submission record of a plan live in <Store>/slurm/<plan-hash>/. Progress, if
// not nil, receives one line per submission and per cancelled array.
type Runner struct {
	Store    string
	Options  Options
	Progress io.Writer
}

var _ runners.Runner = (*Runner)(nil)

// New returns a Runner for the store at store.
func New(store string, opts Options) *Runner {
	return &Runner{Store: store, Options: opts}
}

// Dir returns the run folder of plan, as an absolute path so that the
// scripts work from any working folder on the compute nodes.
func (r *Runner) Dir(plan runners.Plan) string {
	dir := filepath.Join(r.Store, "slurm", PlanHash(plan))
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

func (r *Runner) client() client {
	return client{cmds: r.Options.Commands, env: r.Options.Env}
}

func (r *Runner) progress(format string, args ...any) {
	if r.Progress != nil {
		fmt.Fprintf(r.Progress, format+"\n", args...)
	}
}

// Submission is what one Submit call sent to Slurm.
type Submission struct {
	// Dir is the plan's run folder.
	Dir string
	// Arrays are the job arrays submitted, in submission order; empty when
	// every task was already done.
	Arrays []ArrayRecord
}

// Submit sends every task of plan that is not done as job arrays and
// returns without waiting. Arrays of an earlier submission of the same plan
// that Slurm holds with DependencyNeverSatisfied are cancelled first; it
// refuses when other jobs of that submission are still queued or running. Follow up with Status and
// Collect; calling Submit again later resubmits what failed or never ran.
func (r *Runner) Submit(ctx context.Context, plan runners.Plan, exec runners.Executor) (Submission, error) {
	if err := r.Options.validate(); err != nil {
		return Submission{}, err
	}
	order, err := runners.Validate(plan, exec.Done)
	if err != nil {
		return Submission{}, err
	}
	dir := r.Dir(plan)
	rec, err := readRecord(dir)
	if err != nil {
		return Submission{}, err
	}
	c := r.client()
	queued, err := c.squeue(ctx, rec.jobIDs())
	if err != nil {
		return Submission{}, err
	}
	if never := neverSatisfiedJobs(queued); len(never) > 0 {
		r.progress("slurm: cancelling jobs %s of the earlier submission: a dependency failed (DependencyNeverSatisfied)", strings.Join(never, ","))
		if err := c.scancel(ctx, never); err != nil {
			return Submission{}, err
		}
		cancelled := map[string]bool{}
		for _, id := range never {
			cancelled[id] = true
		}
		var rest []queuedTask
		for _, q := range queued {
			if !cancelled[q.JobID] {
				rest = append(rest, q)
			}
		}
		queued = rest
	}
	if ids := activeJobs(queued); len(ids) > 0 {
		return Submission{Dir: dir}, fmt.Errorf("plan %s already has active Slurm jobs %s: wait for them or scancel them first", dir, strings.Join(ids, ","))
	}
	todo := map[string]bool{}
	for _, t := range order {
		if !exec.Done(t.Key) {
			todo[t.Key] = true
		}
	}
	arrays, err := r.submitRound(ctx, dir, &rec, PlanHash(plan), order, todo, exec)
	return Submission{Dir: dir, Arrays: arrays}, err
}

// submitRound writes and submits the arrays for the tasks in todo as a new
// round, recording each job id as soon as sbatch returns it.
func (r *Runner) submitRound(ctx context.Context, dir string, rec *Record, hash string, order []runners.Task, todo map[string]bool, exec runners.Executor) ([]ArrayRecord, error) {
	if len(todo) == 0 {
		return nil, nil
	}
	c := r.client()
	maxSize := r.Options.MaxArraySize
	if maxSize == 0 {
		n, err := c.maxArraySize(ctx)
		if err != nil {
			r.progress("slurm: %v; assuming MaxArraySize=%d", err, defaultMaxArraySize)
			n = defaultMaxArraySize
		}
		maxSize = n
	}
	specs := groupArrays(order, todo, maxSize)
	for _, sub := range []string{logsDir, exitDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("create run folder: %w", err)
		}
	}
	rec.PlanHash = hash
	round := rec.lastRound() + 1
	var submitted []ArrayRecord
	for i, spec := range specs {
		n := len(rec.Arrays)
		var list strings.Builder
		for _, key := range spec.Keys {
			line, err := taskLine(key, exec.Command(key))
			if err != nil {
				return submitted, err
			}
			list.WriteString(line)
			list.WriteByte('\n')
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, taskListName(n)), []byte(list.String())); err != nil {
			return submitted, err
		}
		script := filepath.Join(dir, scriptName(n))
		if err := atomicfile.WriteFile(script, []byte(arrayScript(dir, n, spec, r.Options))); err != nil {
			return submitted, err
		}
		var after []string
		for _, j := range spec.After {
			after = append(after, submitted[j].JobID)
		}
		after = sortedUnique(after)
		id, err := c.sbatch(ctx, script, after, r.Options.ExtraArgs)
		if err != nil {
			return submitted, fmt.Errorf("round %d, array %d of %d (stage %s): %w", round, i+1, len(specs), spec.Stage, err)
		}
		a := ArrayRecord{Number: n, Round: round, JobID: id, Stage: spec.Stage, Level: spec.Level, Slots: spec.Slots, Keys: spec.Keys, After: after}
		rec.Arrays = append(rec.Arrays, a)
		submitted = append(submitted, a)
		if err := writeRecord(dir, *rec); err != nil {
			return submitted, err
		}
		r.progress("slurm: round %d: %s (stage %s, level %d, %d task(s)) submitted as job %s", round, scriptName(n), spec.Stage, spec.Level, len(spec.Keys), id)
	}
	return submitted, nil
}

// activeJobs returns the ids of the jobs with a task still queued or running.
func activeJobs(queued []queuedTask) []string {
	var ids []string
	for _, q := range queued {
		if q.active() {
			ids = append(ids, q.JobID)
		}
	}
	return sortedUnique(ids)
}

// neverSatisfiedJobs returns the ids of the jobs held because a dependency
// failed.
func neverSatisfiedJobs(queued []queuedTask) []string {
	var ids []string
	for _, q := range queued {
		if q.neverSatisfied() {
			ids = append(ids, q.JobID)
		}
	}
	return sortedUnique(ids)
}
