package slurm

import (
	"fmt"

	"github.com/anomalyncd/ancd/runners"
)

// Summary is what `ancd status --runner slurm` reports about a plan.
type Summary struct {
	// Tally counts the tasks per stage and state: cached (done in the store
	// before it was submitted), unsubmitted, then the TaskStates.
	Tally *runners.Tally
	// Problems describe every failed or lost task, in plan order, with its
	// log.
	Problems []string
	// Done is how many tasks are done in the store; Active how many are
	// pending or running.
	Done, Active int
}

// Summarize combines the Slurm status st of plan with the store (done):
// rows are stages (then any other stage), columns the states.
func Summarize(plan runners.Plan, stages []string, st Status, done func(key string) bool) Summary {
	latest := make(map[string]TaskStatus, len(st.Tasks))
	for _, ts := range st.Tasks {
		latest[ts.Key] = ts
	}
	s := Summary{
		Tally: runners.NewTally(stages, "cached", "unsubmitted",
			string(StatePending), string(StateRunning), string(StateBlocked),
			string(StateSucceeded), string(StateFailed), string(StateLost)),
		Active: st.Count(StatePending) + st.Count(StateRunning),
	}
	for _, task := range plan.Tasks {
		taskDone := done(task.Key)
		if taskDone {
			s.Done++
		}
		ts, submitted := latest[task.Key]
		switch {
		case !submitted && taskDone:
			s.Tally.Add(task.Stage, "cached")
		case !submitted:
			s.Tally.Add(task.Stage, "unsubmitted")
		default:
			s.Tally.Add(task.Stage, string(ts.State))
		}
		switch {
		case submitted && ts.State == StateFailed:
			s.Problems = append(s.Problems, fmt.Sprintf("failed (exit %d): %s (%s), log %s", ts.ExitCode, task.Name, runners.ShortKey(task.Key), ts.LogPath))
		case submitted && ts.State == StateLost:
			s.Problems = append(s.Problems, fmt.Sprintf("lost (%s): %s (%s), job %s_%d, log %s", orUnknown(ts.Reason), task.Name, runners.ShortKey(task.Key), ts.JobID, ts.Index, ts.LogPath))
		}
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "state unknown"
	}
	return s
}
