package slurm

import (
	"context"
	"fmt"

	"github.com/anomalyncd/ancd/runners"
)

// TaskState is where one submitted task stands.
type TaskState string

// The states Status reports.
const (
	// StatePending: queued, waiting for resources, a concurrency slot or a
	// dependency that may still succeed.
	StatePending TaskState = "pending"
	// StateRunning: started and not yet finished.
	StateRunning TaskState = "running"
	// StateBlocked: a dependency failed, so Slurm will never start it
	// (DependencyNeverSatisfied).
	StateBlocked TaskState = "blocked"
	// StateSucceeded: the wrapper wrote exit status 0.
	StateSucceeded TaskState = "succeeded"
	// StateFailed: the wrapper wrote a non-zero exit status.
	StateFailed TaskState = "failed"
	// StateLost: no longer queued, yet no exit status was written: it was
	// cancelled, timed out, ran out of memory or its node failed.
	StateLost TaskState = "lost"
)

// TaskStatus is the state of the latest submission of one task.
type TaskStatus struct {
	Key      string
	JobID    string // the array's job id
	Index    int    // the array task id
	State    TaskState
	Reason   string // Slurm's pending reason or final state, when known
	ExitCode int    // when State is succeeded or failed
	LogPath  string
}

// Status lists the latest submission of every submitted task, ordered by
// array number then array index.
type Status struct {
	Tasks []TaskStatus
}

// Active reports whether any task is pending or running (blocked tasks do not
// count: they will never run).
func (s Status) Active() bool {
	for _, t := range s.Tasks {
		if t.State == StatePending || t.State == StateRunning {
			return true
		}
	}
	return false
}

// Count returns how many tasks are in state.
func (s Status) Count(state TaskState) int {
	n := 0
	for _, t := range s.Tasks {
		if t.State == state {
			n++
		}
	}
	return n
}

// Status asks squeue about the jobs submitted for plan and reads the exit
// statuses written so far. For tasks that left the queue without an exit
// status it asks sacct for the final state when accounting is available.
func (r *Runner) Status(ctx context.Context, plan runners.Plan) (Status, error) {
	dir := r.Dir(plan)
	rec, err := readRecord(dir)
	if err != nil {
		return Status{}, err
	}
	c := r.client()
	queued, err := c.squeue(ctx, rec.jobIDs())
	if err != nil {
		return Status{}, err
	}
	inQueue := map[string]queuedTask{}
	for _, q := range queued {
		inQueue[fmt.Sprintf("%s_%d", q.JobID, q.Index)] = q
	}
	h, err := readHistory(dir, rec)
	if err != nil {
		return Status{}, err
	}
	var s Status
	var lost []int
	for _, a := range rec.Arrays {
		for i, key := range a.Keys {
			if last, _ := h.last(key); last.Array.Number != a.Number {
				continue // superseded by a later submission
			}
			id := fmt.Sprintf("%s_%d", a.JobID, i)
			ts := TaskStatus{Key: key, JobID: a.JobID, Index: i, LogPath: logFile(dir, a.JobID, i)}
			code, _, finished, err := exitStatus(exitFile(dir, a.Number, i))
			if err != nil {
				return Status{}, err
			}
			q, listed := inQueue[id]
			switch {
			case finished && code == 0:
				ts.State, ts.ExitCode = StateSucceeded, code
			case finished:
				ts.State, ts.ExitCode = StateFailed, code
			case listed && q.neverSatisfied():
				ts.State, ts.Reason = StateBlocked, q.Reason
			case listed && q.State == "PENDING":
				ts.State, ts.Reason = StatePending, q.Reason
			case listed && q.active():
				ts.State, ts.Reason = StateRunning, q.State
			case listed:
				ts.State, ts.Reason = StateLost, q.State
			default:
				ts.State = StateLost
				lost = append(lost, len(s.Tasks))
			}
			s.Tasks = append(s.Tasks, ts)
		}
	}
	if len(lost) > 0 {
		var ids []string
		for _, i := range lost {
			ids = append(ids, s.Tasks[i].JobID)
		}
		if states := c.sacctStates(ctx, sortedUnique(ids)); states != nil {
			for _, i := range lost {
				s.Tasks[i].Reason = states[fmt.Sprintf("%s_%d", s.Tasks[i].JobID, s.Tasks[i].Index)]
			}
		}
	}
	return s, nil
}
