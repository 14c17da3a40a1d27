package slurm

import (
	"github.com/anomalyncd/ancd/runners"
)

// attempt is one submission of one task: array task Index of array Array.
type attempt struct {
	Array    ArrayRecord
	Index    int
	Finished bool // an exit status file exists
	Code     int  // the exit status, when Finished
	Seconds  int64
	// Blocked means it never started because an array it waited for had a
	// task that did not succeed; it does not count against the retries.
	Blocked bool
}

func (a attempt) succeeded() bool { return a.Finished && a.Code == 0 }

// history is every submission of every key, in submission order.
type history map[string][]attempt

// readHistory reads the exit status of every array task in rec. A task
// without an exit status is blocked when an array it waited for (afterok on
// the whole array) did not fully succeed: Slurm never starts it then.
func readHistory(dir string, rec Record) (history, error) {
	h := history{}
	arrayOK := map[string]bool{} // job id -> every task exited 0
	for _, a := range rec.Arrays {
		blocked := false
		for _, id := range a.After {
			if !arrayOK[id] {
				blocked = true
			}
		}
		ok := true
		for i, key := range a.Keys {
			code, took, finished, err := exitStatus(exitFile(dir, a.Number, i))
			if err != nil {
				return nil, err
			}
			at := attempt{Array: a, Index: i, Finished: finished, Code: code, Seconds: int64(took.Seconds())}
			at.Blocked = !finished && blocked
			ok = ok && at.succeeded()
			h[key] = append(h[key], at)
		}
		arrayOK[a.JobID] = ok
	}
	return h, nil
}

// tries counts the attempts of key from round from on that ran or were lost
// (not blocked by a failed dependency).
func (h history) tries(key string, from int) int {
	n := 0
	for _, a := range h[key] {
		if a.Array.Round >= from && !a.Blocked {
			n++
		}
	}
	return n
}

// last returns the latest submission of key.
func (h history) last(key string) (attempt, bool) {
	all := h[key]
	if len(all) == 0 {
		return attempt{}, false
	}
	return all[len(all)-1], true
}

func depsOf(plan runners.Plan) map[string][]string {
	deps := make(map[string][]string, len(plan.Tasks))
	for _, t := range plan.Tasks {
		deps[t.Key] = t.Deps
	}
	return deps
}
