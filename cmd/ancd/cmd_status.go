package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners"
	"github.com/anomalyncd/ancd/runners/slurm"
)

// studyAction is what a study command (run, ablations) does with its plan.
// The zero value runs it.
type studyAction int

const (
	// actionRun runs the missing tasks, or submits them with --submit.
	actionRun studyAction = iota
	// actionStatus prints per-stage task counts (ancd status).
	actionStatus
	// actionCollect builds the report from what is on disk (ancd collect).
	actionCollect
)

// studyUsage is the part of the help shared by status and collect.
const studyUsage = `It takes exactly the planning arguments of the command that ran or
submitted the study (sweep file, key.path=value overrides, --profile,
--data, --format, --configs, --store), so that it finds the same plan:

  ancd run tables/table7.yaml experiment.profile=smoke --store /shared/s --runner slurm --submit
  ancd status run tables/table7.yaml experiment.profile=smoke --store /shared/s --runner slurm
  ancd collect run tables/table7.yaml experiment.profile=smoke --store /shared/s --runner slurm

  ancd ablations --profile quick --store /shared/s --runner slurm --submit
  ancd status ablations --profile quick --store /shared/s --runner slurm
  ancd collect ablations --profile quick --store /shared/s --runner slurm --results RESULTS.md
`

func newStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status {run SWEEP.yaml [key.path=value ...] | ablations [key.path=value ...]} --store S [--runner slurm]",
		Short: "Show per stage how many tasks of a run or ablations study are pending, running, done or failed",
		Long: `Prints, per pipeline stage, how many tasks of the study are in each state.
` + studyUsage + `
With --runner slurm it asks squeue and reads the exit statuses in
<store>/slurm/<plan-hash>/. The states are: cached (done in the store before
it was submitted), unsubmitted (missing and never submitted), pending,
running, blocked (a dependency failed, so Slurm will never start it),
succeeded, failed, and lost (left the queue without an exit status:
cancelled, timed out, out of memory, node failure). Failed and lost tasks
are listed with their logs. With --runner local (the default) it counts the
tasks done and missing in the store.`,
	}
	cmd.AddCommand(
		studySubcommand(newSweepCmd(actionStatus), "status", "Per-stage task counts of `ancd run SWEEP.yaml [key.path=value ...]`"),
		studySubcommand(newAblationStudyCmd(actionStatus), "status", "Per-stage task counts of `ancd ablations`", "results", "plots"),
	)
	return cmd
}

func newCollectCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "collect {run SWEEP.yaml [key.path=value ...] | ablations [key.path=value ...]} --store S [--runner slurm]",
		Short: "Build the report of a submitted run or ablations study from disk; for ablations write RESULTS.md",
		Long: `Builds the report of a study from the store (and, with --runner slurm, from
the exit statuses and logs in <store>/slurm/<plan-hash>/), without running
anything. When every task is done it prints what ` + "`ancd run`" + ` prints at the
end (the metrics per setting), or for ablations writes RESULTS.md and the
figures exactly as ` + "`ancd ablations`" + ` does. Otherwise it lists the tasks that
failed or did not run and exits with an error; with --runner slurm it
refuses while tasks are still pending or running.
` + studyUsage,
	}
	cmd.AddCommand(
		studySubcommand(newSweepCmd(actionCollect), "collect", "Report of `ancd run SWEEP.yaml [key.path=value ...]` from disk"),
		studySubcommand(newAblationStudyCmd(actionCollect), "collect", "RESULTS.md and figures of `ancd ablations` from disk"),
	)
	return cmd
}

// studySubcommand adapts a run or ablations command built for status or
// collect: it sets the help, hides the flags that only matter for running
// tasks and rejects them when given.
func studySubcommand(cmd *cobra.Command, parent, short string, alsoUnused ...string) *cobra.Command {
	cmd.Short = short
	cmd.Long = short + ".\nSee `ancd " + parent + " --help`."
	unused := append([]string{"workers", "devices", "retries", "dry-run", "task", "submit"}, alsoUnused...)
	for _, name := range unused {
		if err := cmd.Flags().MarkHidden(name); err != nil {
			panic(fmt.Sprintf("ancd %s %s: hide flag --%s: %v", parent, cmd.Name(), name, err))
		}
	}
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		for _, name := range unused {
			if cmd.Flags().Changed(name) {
				return fmt.Errorf("flag --%s does not apply to ancd %s", name, parent)
			}
		}
		return nil
	}
	return cmd
}

// followUp returns the command line that runs action (status or collect)
// on the same study.
func followUp(action string, f runFlags, store *results.Store, command []string) string {
	line := "ancd " + action + " " + strings.Join(command, " ") + " --store " + store.Root()
	if f.configs != "" {
		line += " --configs " + f.configs
	}
	if f.runner != "" && f.runner != "local" {
		line += " --runner " + f.runner
	}
	return line
}

// submitStudy submits the missing tasks of study as Slurm job arrays and
// returns without waiting, printing the job ids.
func submitStudy(ctx context.Context, cmd *cobra.Command, f runFlags, study *experiments.Study, store *results.Store, exec runners.Executor, command []string) error {
	if f.runner != "slurm" {
		return fmt.Errorf("--submit needs --runner slurm (got --runner %q)", f.runner)
	}
	out := cmd.OutOrStdout()
	r := newSlurmRunner(f, store, cmd.ErrOrStderr())
	sub, err := r.Submit(ctx, study.Plan(), exec)
	tasks := 0
	for _, a := range sub.Arrays {
		tasks += len(a.Keys)
		fmt.Fprintf(out, "job %s\tstage %s\tlevel %d\t%d task(s)\n", a.JobID, a.Stage, a.Level, len(a.Keys))
	}
	if err != nil {
		if len(sub.Arrays) > 0 {
			return fmt.Errorf("submit: %w (the %d job array(s) listed stay queued; see %s)", err, len(sub.Arrays), followUp("status", f, store, command))
		}
		return fmt.Errorf("submit: %w", err)
	}
	if len(sub.Arrays) == 0 {
		fmt.Fprintln(out, "nothing to submit: every task is done in the store")
		return nil
	}
	fmt.Fprintf(out, "submitted %d task(s) as %d job array(s); run folder %s\n", tasks, len(sub.Arrays), sub.Dir)
	fmt.Fprintf(out, "follow with: %s\nwhen done:   %s\n", followUp("status", f, store, command), followUp("collect", f, store, command))
	return nil
}

// statusTable counts tasks per stage (rows, pipeline order) and state
// (columns, fixed).
type statusTable struct {
	states []string
	stages []string
	counts map[string][]int // stage -> count per state
}

func newStatusTable(pipe experiments.Pipeline, states ...string) *statusTable {
	t := &statusTable{states: states, counts: map[string][]int{}}
	for _, st := range pipe {
		t.stages = append(t.stages, st.Name)
		t.counts[st.Name] = make([]int, len(states))
	}
	return t
}

func (t *statusTable) add(stage, state string) {
	row, ok := t.counts[stage]
	if !ok { // a stage outside the pipeline: append it as a row
		row = make([]int, len(t.states))
		t.stages = append(t.stages, stage)
		t.counts[stage] = row
	}
	for i, s := range t.states {
		if s == state {
			row[i]++
			return
		}
	}
	panic(fmt.Sprintf("status table: unknown state %q", state))
}

// write prints the table with a total row; stages without tasks are left out.
func (t *statusTable) write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "stage\ttasks\t%s\n", strings.Join(t.states, "\t"))
	total := make([]int, len(t.states))
	line := func(name string, row []int) {
		n := 0
		cells := make([]string, len(row))
		for i, c := range row {
			n += c
			cells[i] = fmt.Sprint(c)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", name, n, strings.Join(cells, "\t"))
	}
	for _, stage := range t.stages {
		row := t.counts[stage]
		empty := true
		for i, c := range row {
			total[i] += c
			empty = empty && c == 0
		}
		if !empty {
			line(stage, row)
		}
	}
	line("total", total)
	return tw.Flush()
}

// printStudyStatus prints the per-stage state counts of study.
func printStudyStatus(ctx context.Context, cmd *cobra.Command, f runFlags, study *experiments.Study, store *results.Store, exec runners.Executor) error {
	if err := checkRunner(f.runner); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if f.runner != "slurm" {
		t := newStatusTable(study.Pipeline, "done", "missing")
		done := 0
		for _, task := range study.Tasks {
			state := "missing"
			if exec.Done(task.Key) {
				state = "done"
				done++
			}
			t.add(task.Stage, state)
		}
		if err := t.write(out); err != nil {
			return err
		}
		fmt.Fprintf(out, "%d of %d task(s) done in the store %s\n", done, len(study.Tasks), store.Root())
		return nil
	}
	r := newSlurmRunner(f, store, cmd.ErrOrStderr())
	plan := study.Plan()
	st, err := r.Status(ctx, plan)
	if err != nil {
		return err
	}
	t, problems, done := summarizeSlurm(study, st, exec.Done)
	fmt.Fprintf(out, "run folder %s\n", r.Dir(plan))
	if err := t.write(out); err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(out, p)
	}
	active := st.Count(slurm.StatePending) + st.Count(slurm.StateRunning)
	fmt.Fprintf(out, "%d of %d task(s) done in the store; %d pending or running\n", done, len(study.Tasks), active)
	return nil
}

// checkRunner rejects a --runner value other than local and slurm.
func checkRunner(runner string) error {
	switch runner {
	case "", "local", "slurm":
		return nil
	}
	return fmt.Errorf("--runner %q: want local or slurm", runner)
}

// summarizeSlurm counts the tasks of study per stage and state from the
// Slurm status st and the store (done), and describes every failed or lost
// task in plan order. It also returns how many tasks are done in the store.
func summarizeSlurm(study *experiments.Study, st slurm.Status, isDone func(key string) bool) (t *statusTable, problems []string, done int) {
	latest := make(map[string]slurm.TaskStatus, len(st.Tasks))
	for _, ts := range st.Tasks {
		latest[ts.Key] = ts
	}
	t = newStatusTable(study.Pipeline, "cached", "unsubmitted",
		string(slurm.StatePending), string(slurm.StateRunning), string(slurm.StateBlocked),
		string(slurm.StateSucceeded), string(slurm.StateFailed), string(slurm.StateLost))
	for _, task := range study.Tasks {
		taskDone := isDone(task.Key)
		if taskDone {
			done++
		}
		ts, submitted := latest[task.Key]
		switch {
		case !submitted && taskDone:
			t.add(task.Stage, "cached")
		case !submitted:
			t.add(task.Stage, "unsubmitted")
		default:
			t.add(task.Stage, string(ts.State))
		}
		switch {
		case submitted && ts.State == slurm.StateFailed:
			problems = append(problems, fmt.Sprintf("failed (exit %d): %s (%s), log %s", ts.ExitCode, task.Name, runners.ShortKey(task.Key), ts.LogPath))
		case submitted && ts.State == slurm.StateLost:
			problems = append(problems, fmt.Sprintf("lost (%s): %s (%s), job %s_%d, log %s", orUnknown(ts.Reason), task.Name, runners.ShortKey(task.Key), ts.JobID, ts.Index, ts.LogPath))
		}
	}
	return t, problems, done
}

func orUnknown(s string) string {
	if s == "" {
		return "state unknown"
	}
	return s
}

// collectStudy builds the report of study from disk and returns the store
// when every task is done, so that the caller renders its results.
func collectStudy(ctx context.Context, cmd *cobra.Command, f runFlags, study *experiments.Study, store *results.Store, exec runners.Executor, command []string) (*results.Store, error) {
	if err := checkRunner(f.runner); err != nil {
		return nil, err
	}
	plan := study.Plan()
	var report runners.Report
	if f.runner == "slurm" {
		r := newSlurmRunner(f, store, cmd.ErrOrStderr())
		st, err := r.Status(ctx, plan)
		switch {
		case err != nil:
			fmt.Fprintf(cmd.ErrOrStderr(), "warning: cannot ask Slurm about the jobs (%v); collecting from the exit statuses alone\n", err)
		case st.Active():
			n := st.Count(slurm.StatePending) + st.Count(slurm.StateRunning)
			return nil, fmt.Errorf("%d task(s) still pending or running; see %s", n, followUp("status", f, store, command))
		}
		if report, err = r.Collect(ctx, plan, exec); err != nil {
			return nil, err
		}
	} else {
		report = storeReport(plan, exec)
	}
	ran, cached, failed := report.Counts()
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "collected %d task(s): ran %d, from cache %d, failed or not run %d\n", len(report.Outcomes), ran, cached, failed)
	const shown = 20
	n := 0
	for _, o := range report.Outcomes {
		if o.Err == nil {
			continue
		}
		if n < shown {
			fmt.Fprintf(out, "  %s (%s): %v\n", o.Name, runners.ShortKey(o.Key), o.Err)
		}
		n++
	}
	if n > shown {
		fmt.Fprintf(out, "  ... and %d more\n", n-shown)
	}
	if err := report.Err(); err != nil {
		return nil, fmt.Errorf("the study is not complete: %w", err)
	}
	return store, nil
}

// storeReport is the report of a plan from the store alone: done tasks are
// cached, the others failed.
func storeReport(plan runners.Plan, exec runners.Executor) runners.Report {
	report := runners.Report{Outcomes: make([]runners.Outcome, 0, len(plan.Tasks))}
	for _, t := range plan.Tasks {
		o := runners.Outcome{Key: t.Key, Name: t.Name, Cached: true}
		if !exec.Done(t.Key) {
			o.Cached, o.Err = false, fmt.Errorf("not done in the store")
		}
		report.Outcomes = append(report.Outcomes, o)
	}
	return report
}
