package slurm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/anomalyncd/ancd/runners"
)

// Run submits plan and waits for it: round after round it submits every task
// that is not done and still has retries left (a task whose dependency gave up
// is not submitted), polls squeue every PollInterval until no job of the round
// is queued or running, and cancels arrays that Slurm holds with
// DependencyNeverSatisfied, which are resubmitted in the next round if the
// failed dependency is retried. Jobs of an earlier submission of the same
// plan that are still active are waited for first. When ctx ends, Run
// returns without cancelling anything: the jobs keep running and a later Run
// or Collect picks them up.
func (r *Runner) Run(ctx context.Context, plan runners.Plan, exec runners.Executor) (runners.Report, error) {
	if err := r.Options.validate(); err != nil {
		return runners.Report{}, err
	}
	order, err := runners.Validate(plan, exec.Done)
	if err != nil {
		return runners.Report{}, err
	}
	dir := r.Dir(plan)
	rec, err := readRecord(dir)
	if err != nil {
		return runners.Report{}, err
	}
	from := rec.lastRound() + 1
	if ids := rec.jobIDs(); len(ids) > 0 {
		queued, err := r.client().squeue(ctx, ids)
		if err != nil {
			return runners.Report{}, err
		}
		if active := activeJobs(queued); len(active) > 0 {
			r.progress("slurm: waiting for jobs %s of an earlier submission", strings.Join(active, ","))
			for _, a := range rec.Arrays {
				for _, id := range active {
					if a.JobID == id {
						from = min(from, a.Round)
					}
				}
			}
			if err := r.wait(ctx, active); err != nil {
				return r.partial(plan, exec, from, err)
			}
		}
	}
	for {
		h, err := readHistory(dir, rec)
		if err != nil {
			return runners.Report{}, err
		}
		todo := map[string]bool{}
		gaveUp := map[string]bool{}
		for _, t := range order {
			switch {
			case exec.Done(t.Key):
			case h.tries(t.Key, from) > r.Options.Retries:
				gaveUp[t.Key] = true
			case anyOf(t.Deps, gaveUp):
				gaveUp[t.Key] = true
			default:
				todo[t.Key] = true
			}
		}
		if len(todo) == 0 {
			break
		}
		arrays, err := r.submitRound(ctx, dir, &rec, PlanHash(plan), order, todo, exec)
		if err != nil {
			// wait for what was submitted, so that nothing finished is lost
			var ids []string
			for _, a := range arrays {
				ids = append(ids, a.JobID)
			}
			if werr := r.wait(ctx, ids); werr != nil {
				err = fmt.Errorf("%w; then waiting for the arrays already submitted: %v", err, werr)
			}
			return r.partial(plan, exec, from, err)
		}
		var ids []string
		for _, a := range arrays {
			ids = append(ids, a.JobID)
		}
		if err := r.wait(ctx, ids); err != nil {
			return r.partial(plan, exec, from, err)
		}
	}
	return r.collect(plan, exec, from)
}

// partial returns the report of what is known so far together with err.
func (r *Runner) partial(plan runners.Plan, exec runners.Executor, from int, err error) (runners.Report, error) {
	report, cerr := r.collect(plan, exec, from)
	if cerr != nil {
		return report, fmt.Errorf("%w (and collecting the report: %v)", err, cerr)
	}
	return report, err
}

// maxSqueueFailures is how many squeue failures in a row wait tolerates (the
// controller can be briefly unresponsive on a busy cluster).
const maxSqueueFailures = 5

// wait polls squeue until none of the jobs has a task queued or running,
// cancelling jobs held with DependencyNeverSatisfied.
func (r *Runner) wait(ctx context.Context, ids []string) error {
	ids = sortedUnique(ids)
	c := r.client()
	cancelled := map[string]bool{}
	failures := 0
	for {
		queued, err := c.squeue(ctx, ids)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			if failures >= maxSqueueFailures {
				return err
			}
		} else {
			failures = 0
			var never []string
			active := false
			for _, q := range queued {
				switch {
				case q.neverSatisfied():
					if !cancelled[q.JobID] {
						never = append(never, q.JobID)
					}
				case q.active() && !cancelled[q.JobID]:
					active = true
				}
			}
			if never = sortedUnique(never); len(never) > 0 {
				r.progress("slurm: cancelling jobs %s: a dependency failed (DependencyNeverSatisfied)", strings.Join(never, ","))
				if err := c.scancel(ctx, never); err != nil {
					return err
				}
				for _, id := range never {
					cancelled[id] = true
				}
			}
			if !active {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.Options.pollInterval()):
		}
	}
}

func anyOf(keys []string, set map[string]bool) bool {
	for _, k := range keys {
		if set[k] {
			return true
		}
	}
	return false
}
