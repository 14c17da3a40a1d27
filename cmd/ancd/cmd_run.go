package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners"
	"github.com/anomalyncd/ancd/runners/local"
	"github.com/anomalyncd/ancd/runners/slurm"
)

// stageRegistry returns the implementation of every pipeline stage. The real
// stages (core/...) are registered here; a stage without one makes `ancd run`
// stop with an error naming it.
func stageRegistry() experiments.Registry {
	return stages.Registry(0)
}

type runFlags struct {
	store     string
	workers   int
	devices   []string
	retries   int
	dryRun    bool
	task      string
	configs   string
	runner    string // local | slurm
	partition string // slurm partition
	submit    bool   // slurm: submit and return instead of waiting
	// action is what the command does with the plan; set by the command
	// constructor (run/ablations, status, collect), not by a flag.
	action studyAction
}

// addRunnerFlags declares the flags shared by every command that runs a study.
func addRunnerFlags(cmd *cobra.Command, f *runFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.store, "store", "store", "run store folder")
	fl.IntVar(&f.workers, "workers", 0, "CPU threads to use: at most N tasks run at once and all of them together compute on N threads (0 = every CPU); results do not depend on it")
	fl.StringSliceVar(&f.devices, "devices", nil, "device ids, one slot each, passed as CUDA_VISIBLE_DEVICES (e.g. 0,1)")
	fl.IntVar(&f.retries, "retries", 1, "extra attempts for transient failures")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and exit")
	fl.StringVar(&f.task, "task", "", "run only the task with this key (used by batch schedulers)")
	fl.StringVar(&f.configs, "configs", "", "folder of config files (base.yaml, profiles/, tables/) read instead of the embedded ones; files it lacks are read from the embedded configs. Without it config files in the working folder are ignored")
	fl.StringVar(&f.runner, "runner", "local", "where tasks run: local (this machine) or slurm (sbatch job arrays; shared filesystem)")
	fl.StringVar(&f.partition, "partition", "", "Slurm partition (runner slurm)")
	fl.BoolVar(&f.submit, "submit", false, "runner slurm: submit the job arrays and return; follow with 'ancd status' and 'ancd collect' (same arguments)")
}

// check rejects out-of-range flag values.
func (f runFlags) check() error {
	if f.workers < 0 {
		return fmt.Errorf("--workers %d: want 0 (one per CPU) or more", f.workers)
	}
	if f.retries < 0 {
		return fmt.Errorf("--retries %d: want 0 or more", f.retries)
	}
	return nil
}

// limitThreads makes --workers N mean N threads of compute: the local
// runner runs at most N tasks at once, and every stage inside them (the
// training kernels included) sizes its goroutines by GOMAXPROCS, which is
// set to N until restore is called. workers <= 0 leaves every CPU in use.
func limitThreads(workers int) (restore func()) {
	if workers <= 0 {
		return func() {}
	}
	prev := runtime.GOMAXPROCS(workers)
	return func() { runtime.GOMAXPROCS(prev) }
}

// studyRunner is the runner the flags chose, built once by newStudyRunner:
// exactly one of local and slurm is set.
type studyRunner struct {
	local *local.Runner
	slurm *slurm.Runner
}

// newStudyRunner builds the runner named by --runner; it is the one place
// that reads the flag. Slurm's progress lines (a line per submitted or
// cancelled job array) go to progress.
func newStudyRunner(f runFlags, store *results.Store, progress io.Writer) (studyRunner, error) {
	switch f.runner {
	case "", "local":
		r := &local.Runner{
			Workers: f.workers,
			Devices: f.devices,
			Retries: f.retries,
			LogDir:  filepath.Join(store.Root(), "logs"),
			Logger:  slog.Default(),
		}
		if local.IsTerminal(os.Stderr) {
			r.Progress = local.NewBars(os.Stderr)
			r.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}
		return studyRunner{local: r}, nil
	case "slurm":
		r := slurm.New(store.Root(), slurm.Options{Partition: f.partition, Retries: f.retries})
		r.Progress = progress
		return studyRunner{slurm: r}, nil
	}
	return studyRunner{}, fmt.Errorf("--runner %q: want local or slurm", f.runner)
}

// runner is the chosen runner as a runners.Runner.
func (r studyRunner) runner() runners.Runner {
	if r.slurm != nil {
		return r.slurm
	}
	return r.local
}

// flag is what follow-up commands add to choose the same runner.
func (r studyRunner) flag() string {
	if r.slurm != nil {
		return " --runner slurm"
	}
	return ""
}

// studyCall is one study command at work: its planned study, the store,
// the executor and the runner the flags chose.
type studyCall struct {
	cmd     *cobra.Command
	flags   runFlags
	study   *experiments.Study
	store   *results.Store
	exec    runners.Executor
	command []string // the ancd argv (without the binary) that plans the same study
	runner  studyRunner
}

func newRunCmd() *cobra.Command {
	return newSweepCmd(actionRun)
}

// newSweepCmd builds the `run` command for action; `ancd status run` and
// `ancd collect run` reuse it so that they plan exactly the same study.
func newSweepCmd(action studyAction) *cobra.Command {
	f := runFlags{action: action}
	cmd := &cobra.Command{
		Use:   "run SWEEP.yaml [key.path=value ...]",
		Short: "Plan a sweep (or one experiment file) and run its missing stages locally",
		Long: `Expands the sweep into points (base.yaml < profile < sweep/experiment file <
key.path=value overrides), plans one task per distinct stage key, and runs
the tasks that are not yet in the store. Killing it at any moment and
running the same command again completes only what is missing.
Sweep files are read from disk, or from the embedded configs (tables/table3.yaml).
With --runner slurm it submits the tasks as sbatch job arrays and waits for
them; add --submit to return right after submitting, then follow with
` + "`ancd status run ...`" + ` and ` + "`ancd collect run ...`" + ` (same arguments).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, f, args[0], args[1:])
		},
	}
	addRunnerFlags(cmd, &f)
	return cmd
}

// loadStudy expands and plans a sweep file the user named (disk first, then
// the loader's configs) with overrides.
func loadStudy(loader experiments.Loader, sweepPath string, overrides []string) (*experiments.Study, error) {
	sw, err := loader.LoadUserSweep(sweepPath)
	if err != nil {
		return nil, err
	}
	var extra []experiments.Override
	for _, s := range overrides {
		o, err := experiments.ParseOverride(s)
		if err != nil {
			return nil, err
		}
		extra = append(extra, o)
	}
	points, err := loader.Expand(sw, extra)
	if err != nil {
		return nil, err
	}
	return experiments.PlanStudy(experiments.DefaultPipeline(), points)
}

// loaderFor returns the config loader of --configs dir ("" = the embedded
// configs); every file it reads is recorded in trace.
func loaderFor(dir string, trace *configTrace) experiments.Loader {
	l := experiments.Loader{Trace: trace.add}
	if dir != "" {
		l.FS = os.DirFS(dir)
	}
	return l
}

// configTrace records the config files a command read, each once.
type configTrace struct {
	files []string
	seen  map[string]bool
}

func (c *configTrace) add(file string) {
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if !c.seen[file] {
		c.seen[file] = true
		c.files = append(c.files, file)
	}
}

// print writes one line naming the config files read.
func (c *configTrace) print(w io.Writer) {
	if len(c.files) > 0 {
		fmt.Fprintf(w, "configs read: %s\n", strings.Join(c.files, ", "))
	}
}

func runSweep(cmd *cobra.Command, f runFlags, sweepPath string, overrides []string) error {
	var trace configTrace
	study, err := loadStudy(loaderFor(f.configs, &trace), sweepPath, overrides)
	if err != nil {
		return err
	}
	trace.print(cmd.ErrOrStderr())
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s: %d points, %d stage executions, %d distinct tasks (deduplication saves %d)\n",
		sweepPath, len(study.Points), study.Executions(), len(study.Tasks), study.Saved())
	if f.dryRun {
		printPlanSummary(out, planSummary(study, f.store), f.workers)
		for _, t := range study.Tasks {
			fmt.Fprintf(out, "%s\t%s\t%s\n", t.Stage, runners.ShortKey(t.Key), t.Name)
		}
		return nil
	}
	command := append([]string{"run", sweepPath}, overrides...)
	store, err := executeStudy(cmd, f, study, command)
	if err != nil || store == nil {
		return err
	}
	groups, err := experiments.Aggregate(study, store, experiments.StageEvaluate, stages.ReadSummary)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // the evaluate stage wrote no summary
	}
	if err != nil {
		return err
	}
	fmt.Fprint(out, experiments.FormatGroups(groups))
	return nil
}

// executeStudy runs a planned study with the runner of the flags and
// returns the store, or nil when only one task (--task) was executed.
// command is the ancd argv (without the binary) that plans the same study;
// batch schedulers run each task as `ancd <command> --store S --task KEY`.
func executeStudy(cmd *cobra.Command, f runFlags, study *experiments.Study, command []string) (*results.Store, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	registry := stageRegistry()
	if err := registry.Check(study); err != nil {
		return nil, fmt.Errorf("%w; register them in stageRegistry (cmd/ancd/cmd_run.go)", err)
	}
	open := results.Open
	if f.action == actionStatus || f.action == actionCollect {
		open = results.OpenExisting // read-only: never create a store
	}
	store, err := open(f.store)
	if err != nil {
		return nil, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	argv := append([]string{self}, command...)
	argv = append(argv, "--store", store.Root())
	if f.configs != "" {
		configs, err := filepath.Abs(f.configs) // batch jobs may start elsewhere
		if err != nil {
			return nil, fmt.Errorf("--configs %s: %w", f.configs, err)
		}
		argv = append(argv, "--configs", configs)
	}
	exec := experiments.NewExecutor(study, store, registry, argv)
	restore := limitThreads(f.workers)
	defer restore()
	if f.task != "" {
		return nil, exec.Exec(ctx, f.task, cmd.ErrOrStderr())
	}
	if f.runner == "slurm" {
		if err := slurm.Installed(slurm.Commands{}); err != nil {
			return nil, err
		}
	}
	runner, err := newStudyRunner(f, store, cmd.ErrOrStderr())
	if err != nil {
		return nil, err
	}
	c := studyCall{cmd: cmd, flags: f, study: study, store: store, exec: exec, command: command, runner: runner}
	switch {
	case f.action == actionStatus:
		return nil, c.status(ctx)
	case f.action == actionCollect:
		return c.collect(ctx)
	case f.submit:
		return nil, c.submit(ctx)
	}
	return c.run(ctx)
}

// run runs the missing tasks and waits for them.
func (c studyCall) run(ctx context.Context) (*results.Store, error) {
	report, runErr := c.runner.runner().Run(ctx, c.study.Plan(), c.exec)
	ran, cached, failed := report.Counts()
	fmt.Fprintf(c.cmd.OutOrStdout(), "ran %d, from cache %d, failed or skipped %d\n", ran, cached, failed)
	if runErr != nil {
		return nil, fmt.Errorf("run stopped: %w (rerun the same command to resume)", runErr)
	}
	if err := report.Err(); err != nil {
		return nil, err
	}
	return c.store, nil
}
