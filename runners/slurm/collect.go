package slurm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/anomalyncd/ancd/runners"
)

// Collect reads what became of every task of plan from the run folder: the
// exit status file and log of each task's latest submission. It does not ask
// Slurm anything, so tasks still queued or running are reported as failed
// with an error saying no exit status exists yet; use Status first when jobs
// may be active. Attempts counts every submission recorded for the plan that
// ran (not those blocked by a failed dependency). A task never submitted whose
// output is done is Cached.
func (r *Runner) Collect(ctx context.Context, plan runners.Plan, exec runners.Executor) (runners.Report, error) {
	return r.collect(plan, exec, 0)
}

// collect builds the report; tasks whose latest submission is older than
// round from and whose output is done count as Cached.
func (r *Runner) collect(plan runners.Plan, exec runners.Executor, from int) (runners.Report, error) {
	order, err := runners.Validate(plan, exec.Done)
	if err != nil {
		return runners.Report{}, err
	}
	dir := r.Dir(plan)
	rec, err := readRecord(dir)
	if err != nil {
		return runners.Report{}, err
	}
	h, err := readHistory(dir, rec)
	if err != nil {
		return runners.Report{}, err
	}
	outcomes := map[string]runners.Outcome{}
	for _, t := range order {
		o := runners.Outcome{Key: t.Key, Name: t.Name, Attempts: h.tries(t.Key, 0)}
		last, submitted := h.last(t.Key)
		if submitted {
			o.LogPath = logFile(dir, last.Array.JobID, last.Index)
			o.Duration = time.Duration(last.Seconds) * time.Second
		}
		done := exec.Done(t.Key)
		switch {
		case done && (!submitted || last.Array.Round < from):
			o.Cached = true
			o.LogPath, o.Duration = "", 0
		case done:
		case !submitted || last.Blocked:
			o.Err = fmt.Errorf("not run: never submitted")
			if submitted {
				o.Err = fmt.Errorf("not run: an array it waited for (job %s) had a task that did not succeed", strings.Join(last.Array.After, ","))
			}
			for _, d := range t.Deps {
				if dep, ok := outcomes[d]; ok && dep.Err != nil {
					o.Err = fmt.Errorf("not run: dependency %s did not succeed", d)
					break
				}
			}
		case last.Finished && last.Code != 0:
			o.Err = fmt.Errorf("exit status %d (log %s)", last.Code, o.LogPath)
		case last.Finished:
			o.Err = fmt.Errorf("exited 0 but its output is not done in the store (log %s)", o.LogPath)
		default:
			o.Err = fmt.Errorf("no exit status: still queued or running, or cancelled, timed out or killed (job %s_%d, log %s)", last.Array.JobID, last.Index, o.LogPath)
		}
		outcomes[t.Key] = o
	}
	report := runners.Report{Outcomes: make([]runners.Outcome, 0, len(plan.Tasks))}
	for _, t := range plan.Tasks {
		report.Outcomes = append(report.Outcomes, outcomes[t.Key])
	}
	return report, nil
}
