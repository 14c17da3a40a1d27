package main

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/results"
)

// stagePlan is one stage's row of the dry-run summary.
type stagePlan struct {
	stage         string
	tasks, done   int
	timed         int           // stored entries with a wall time
	median        time.Duration // their median
	toRunEstimate time.Duration // (tasks - done) x median
}

// planSummary counts, per stage in pipeline order, the study's tasks, those
// already in the store at root, and a rough time for the rest: the median
// wall time of the stage's stored entries (any earlier run, any profile)
// times the tasks to run.
func planSummary(study *experiments.Study, root string) []stagePlan {
	var rows []stagePlan
	for _, st := range study.Pipeline {
		r := stagePlan{stage: st.Name}
		for _, t := range study.Tasks {
			if t.Stage != st.Name {
				continue
			}
			r.tasks++
			if results.EntryDone(root, t.Stage, t.Key) {
				r.done++
			}
		}
		if r.tasks == 0 {
			continue
		}
		if ts := results.StageTimings(root, st.Name); len(ts) > 0 {
			r.timed, r.median = len(ts), ts[len(ts)/2]
			r.toRunEstimate = time.Duration(r.tasks-r.done) * r.median
		}
		rows = append(rows, r)
	}
	return rows
}

// printPlanSummary writes the dry-run table and the total estimate.
func printPlanSummary(w io.Writer, rows []stagePlan, workers int) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "stage\ttasks\tin store\tto run\tmedian stored time\testimate")
	var total time.Duration
	unknown := 0
	for _, r := range rows {
		med, est := "no stored timings", "?"
		if r.timed > 0 {
			med = fmt.Sprintf("%s (%d entries)", r.median.Round(10*time.Millisecond), r.timed)
			est = r.toRunEstimate.Round(time.Second).String()
			total += r.toRunEstimate
		} else if r.tasks > r.done {
			unknown += r.tasks - r.done
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", r.stage, r.tasks, r.done, r.tasks-r.done, med, est)
	}
	tw.Flush()
	fmt.Fprintf(w, "rough estimate: %s of task time, about %s with %d workers",
		total.Round(time.Second), (total / time.Duration(workers)).Round(time.Second), workers)
	if unknown > 0 {
		fmt.Fprintf(w, ", plus %d tasks of stages without stored timings", unknown)
	}
	fmt.Fprintln(w, " (from the wall times of earlier runs' entries in the store, whatever their size; a rough guide only)")
}
