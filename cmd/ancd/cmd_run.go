package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners/local"
)

// stageRegistry returns the implementation of every pipeline stage. The real
// stages (core/...) are registered here; a stage without one makes `ancd run`
// stop with an error naming it.
func stageRegistry() experiments.Registry {
	return stages.Registry(0)
}

type runFlags struct {
	store   string
	workers int
	devices []string
	retries int
	dryRun  bool
	task    string
	configs string
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run SWEEP.yaml [key.path=value ...]",
		Short: "Plan a sweep (or one experiment file) and run its missing stages locally",
		Long: `Expands the sweep into points (base.yaml < profile < sweep/experiment file <
key.path=value overrides), plans one task per distinct stage key, and runs
the tasks that are not yet in the store. Killing it at any moment and
running the same command again completes only what is missing.
Sweep files are read from disk, or from the embedded configs (tables/table3.yaml).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, f, args[0], args[1:])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.store, "store", "store", "run store folder")
	fl.IntVar(&f.workers, "workers", 0, "parallel task slots (0 = number of CPUs)")
	fl.StringSliceVar(&f.devices, "devices", nil, "device ids, one slot each, passed as CUDA_VISIBLE_DEVICES (e.g. 0,1)")
	fl.IntVar(&f.retries, "retries", 1, "extra attempts for transient failures")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan and exit")
	fl.StringVar(&f.task, "task", "", "run only the task with this key (used by batch schedulers)")
	fl.StringVar(&f.configs, "configs", "", "folder with base.yaml and profiles/ (default: embedded)")
	return cmd
}

// loadStudy expands and plans a sweep file with overrides.
func loadStudy(loader experiments.Loader, sweepPath string, overrides []string) (*experiments.Study, error) {
	sw, err := loader.LoadSweep(sweepPath)
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

func loaderFor(dir string) experiments.Loader {
	if dir == "" {
		return experiments.Loader{}
	}
	return experiments.Loader{FS: os.DirFS(dir)}
}

func runSweep(cmd *cobra.Command, f runFlags, sweepPath string, overrides []string) error {
	study, err := loadStudy(loaderFor(f.configs), sweepPath, overrides)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s: %d points, %d stage executions, %d distinct tasks (deduplication saves %d)\n",
		sweepPath, len(study.Points), study.Executions(), len(study.Tasks), study.Saved())
	if f.dryRun {
		for _, t := range study.Tasks {
			fmt.Fprintf(out, "%s\t%s\t%s\n", t.Stage, t.Key[:12], t.Name)
		}
		return nil
	}
	registry := stageRegistry()
	if err := registry.Check(study); err != nil {
		return fmt.Errorf("%w; register them in stageRegistry (cmd/ancd/cmd_run.go)", err)
	}
	store, err := results.Open(f.store)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	self, err := os.Executable()
	if err != nil {
		self = os.Args[0]
	}
	command := append([]string{self, "run", sweepPath}, overrides...)
	command = append(command, "--store", store.Root())
	if f.configs != "" {
		command = append(command, "--configs", f.configs)
	}
	exec := experiments.NewExecutor(study, store, registry, command)

	if f.task != "" {
		return exec.Exec(ctx, f.task, cmd.ErrOrStderr())
	}
	runner := &local.Runner{
		Workers: f.workers,
		Devices: f.devices,
		Retries: f.retries,
		LogDir:  filepath.Join(store.Root(), "logs"),
		Logger:  slog.Default(),
	}
	if local.IsTerminal(os.Stderr) {
		runner.Progress = local.NewBars(os.Stderr)
		runner.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	report, runErr := runner.Run(ctx, study.Plan(), exec)
	ran, cached, failed := report.Counts()
	fmt.Fprintf(out, "ran %d, from cache %d, failed or skipped %d\n", ran, cached, failed)
	if runErr != nil {
		return fmt.Errorf("run stopped: %w (rerun the same command to resume)", runErr)
	}
	if err := report.Err(); err != nil {
		return err
	}
	groups, err := experiments.Aggregate(study, store, experiments.StageEvaluate, stages.SummaryFile)
	if err != nil {
		if os.IsNotExist(err) || strings.Contains(err.Error(), fs.ErrNotExist.Error()) {
			return nil // the evaluate stage writes no metrics.json
		}
		return err
	}
	fmt.Fprint(out, experiments.FormatGroups(groups))
	return nil
}
