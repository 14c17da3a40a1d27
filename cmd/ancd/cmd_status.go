package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

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
--data, --format, --base, --maps, --maps-name, --configs, --store), so that it
finds the same plan:

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
		studySubcommand(newAblationStudyCmd(actionStatus), "status", "Per-stage task counts of `ancd ablations`", "results", "plots", "report"),
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
		studySubcommand(newAblationStudyCmd(actionCollect), "collect", "RESULTS.md, figures and report of `ancd ablations` from disk"),
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
func (c studyCall) followUp(action string) string {
	line := "ancd " + action + " " + strings.Join(c.command, " ") + " --store " + c.store.Root()
	if c.flags.configs != "" {
		line += " --configs " + c.flags.configs
	}
	return line + c.runner.flag()
}

// submit submits the missing tasks as Slurm job arrays and returns without
// waiting, printing the job ids.
func (c studyCall) submit(ctx context.Context) error {
	if c.runner.slurm == nil {
		return fmt.Errorf("--submit needs --runner slurm (got --runner %q)", c.flags.runner)
	}
	out := c.cmd.OutOrStdout()
	sub, err := c.runner.slurm.Submit(ctx, c.study.Plan(), c.exec)
	tasks := 0
	for _, a := range sub.Arrays {
		tasks += len(a.Keys)
		fmt.Fprintf(out, "job %s\tstage %s\tlevel %d\t%d task(s)\n", a.JobID, a.Stage, a.Level, len(a.Keys))
	}
	if err != nil {
		if len(sub.Arrays) > 0 {
			return fmt.Errorf("submit: %w (the %d job array(s) listed stay queued; see %s)", err, len(sub.Arrays), c.followUp("status"))
		}
		return fmt.Errorf("submit: %w", err)
	}
	if len(sub.Arrays) == 0 {
		fmt.Fprintln(out, "nothing to submit: every task is done in the store")
		return nil
	}
	fmt.Fprintf(out, "submitted %d task(s) as %d job array(s); run folder %s\n", tasks, len(sub.Arrays), sub.Dir)
	fmt.Fprintf(out, "follow with: %s\nwhen done:   %s\n", c.followUp("status"), c.followUp("collect"))
	return nil
}

// status prints the per-stage state counts of the study: from the store
// alone (runners.StoreTally), or with Slurm's view (slurm.Summarize).
func (c studyCall) status(ctx context.Context) error {
	out := c.cmd.OutOrStdout()
	plan, stages := c.study.Plan(), c.study.Pipeline.Names()
	if c.runner.slurm == nil {
		t, done := runners.StoreTally(plan, stages, c.exec.Done)
		if err := t.Write(out); err != nil {
			return err
		}
		fmt.Fprintf(out, "%d of %d task(s) done in the store %s\n", done, len(plan.Tasks), c.store.Root())
		return nil
	}
	st, err := c.runner.slurm.Status(ctx, plan)
	if err != nil {
		return err
	}
	sum := slurm.Summarize(plan, stages, st, c.exec.Done)
	fmt.Fprintf(out, "run folder %s\n", c.runner.slurm.Dir(plan))
	if err := sum.Tally.Write(out); err != nil {
		return err
	}
	for _, p := range sum.Problems {
		fmt.Fprintln(out, p)
	}
	fmt.Fprintf(out, "%d of %d task(s) done in the store; %d pending or running\n", sum.Done, len(plan.Tasks), sum.Active)
	return nil
}

// collect builds the report of the study from disk and returns the store
// when every task is done, so that the caller renders its results.
func (c studyCall) collect(ctx context.Context) (*results.Store, error) {
	plan := c.study.Plan()
	var report runners.Report
	if r := c.runner.slurm; r == nil {
		report = runners.StoreReport(plan, c.exec.Done)
	} else {
		st, err := r.Status(ctx, plan)
		switch {
		case err != nil:
			fmt.Fprintf(c.cmd.ErrOrStderr(), "warning: cannot ask Slurm about the jobs (%v); collecting from the exit statuses alone\n", err)
		case st.Active():
			n := st.Count(slurm.StatePending) + st.Count(slurm.StateRunning)
			return nil, fmt.Errorf("%d task(s) still pending or running; see %s", n, c.followUp("status"))
		}
		if report, err = r.Collect(ctx, plan, c.exec); err != nil {
			return nil, err
		}
	}
	ran, cached, failed := report.Counts()
	out := c.cmd.OutOrStdout()
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
	return c.store, nil
}
