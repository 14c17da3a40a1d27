package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/ablations"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/internal/atomicfile"
	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners"
)

type ablationFlags struct {
	runFlags
	profile string
	data    string
	format  string
	maps    string
	out     string
	plots   string
}

func newAblationsCmd() *cobra.Command {
	return newAblationStudyCmd(actionRun)
}

// newAblationStudyCmd builds the `ablations` command for action; `ancd
// status ablations` and `ancd collect ablations` reuse it so that they plan
// exactly the same study.
func newAblationStudyCmd(action studyAction) *cobra.Command {
	f := ablationFlags{runFlags: runFlags{action: action}}
	cmd := &cobra.Command{
		Use:   "ablations [key.path=value ...]",
		Short: "Run every table and figure of the paper as one study and write RESULTS.md",
		Long: `Plans the sweeps of Tables I-X and the figures together (stages shared
between tables run once), runs what the store lacks, then writes RESULTS.md
from the stored results. Killing it and running it again resumes. With
--data it runs on a real dataset (MVTec AD or MTD layout) instead of the
embedded synthetic benchmark. With --runner slurm --submit it submits the
tasks as sbatch job arrays and returns; ` + "`ancd status ablations ...`" + ` shows
progress and ` + "`ancd collect ablations ...`" + ` (same arguments) writes RESULTS.md
and the figures once every task is done.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAblations(cmd, f, args)
		},
	}
	addRunnerFlags(cmd, &f.runFlags)
	fl := cmd.Flags()
	fl.StringVar(&f.profile, "profile", "quick", "size profile: smoke, quick or full")
	fl.StringVar(&f.data, "data", "", "dataset folder (default: the embedded synthetic benchmark)")
	fl.StringVar(&f.format, "format", "mvtec", "layout of --data: mvtec or mtd")
	fl.StringVar(&f.maps, "maps", "", "precomputed anomaly maps (<maps>/<category>/<type>/*.png) used instead of the built-in detectors in every table")
	fl.StringVar(&f.out, "results", "RESULTS.md", "where to write the results")
	fl.StringVar(&f.plots, "plots", "plots/out", "folder for the figures (PNG and SVG); empty = none")
	return cmd
}

// ablationOverrides turns the command's flags into config overrides.
func ablationOverrides(f ablationFlags, args []string) ([]string, error) {
	ovs := []string{"experiment.profile=" + f.profile}
	if f.data != "" {
		abs, err := filepath.Abs(f.data)
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, "experiment.dataset.kind="+f.format, "experiment.dataset.root="+abs)
	}
	if f.maps != "" {
		abs, err := filepath.Abs(f.maps)
		if err != nil {
			return nil, err
		}
		ovs = append(ovs, "detect.method=maps", "detect.maps_root="+abs)
	}
	return append(ovs, args...), nil
}

func runAblations(cmd *cobra.Command, f ablationFlags, args []string) error {
	start := time.Now()
	// the code version is that of the run's start: what RESULTS.md reports
	// must not change if the working tree changes while the study runs
	build := results.CurrentBuild()
	ovStrings, err := ablationOverrides(f, args)
	if err != nil {
		return err
	}
	var ovs []experiments.Override
	for _, s := range ovStrings {
		o, err := experiments.ParseOverride(s)
		if err != nil {
			return err
		}
		ovs = append(ovs, o)
	}
	tables := ablations.Tables()
	var trace configTrace
	study, err := ablations.PlanStudy(loaderFor(f.configs, &trace), tables, ablations.FigureSweeps(), ovs)
	if err != nil {
		return err
	}
	trace.print(cmd.ErrOrStderr())
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "ablations (profile %s): %d points, %d stage executions, %d distinct tasks (sharing saves %d)\n",
		f.profile, len(study.Points), study.Executions(), len(study.Tasks), study.Saved())
	if f.dryRun {
		for _, t := range study.Tasks {
			fmt.Fprintf(out, "%s\t%s\t%s\n", t.Stage, runners.ShortKey(t.Key), t.Name)
		}
		return nil
	}
	command := append([]string{"ablations", "--profile", f.profile}, args...)
	if f.data != "" {
		data, err := filepath.Abs(f.data) // batch jobs may start elsewhere
		if err != nil {
			return fmt.Errorf("--data %s: %w", f.data, err)
		}
		command = append(command, "--data", data, "--format", f.format)
	}
	if f.maps != "" {
		maps, err := filepath.Abs(f.maps)
		if err != nil {
			return fmt.Errorf("--maps %s: %w", f.maps, err)
		}
		command = append(command, "--maps", maps)
	}
	store, err := executeStudy(cmd, f.runFlags, study.Study, command)
	if err != nil || store == nil {
		return err
	}
	run := ablationRun{cmd: cmd, flags: f, tables: tables, study: study, start: start, build: build}
	return run.writeResults(store)
}

// ablationRun is one ablations command at work: its flags, the tables and
// their planned study, when it started and the code version it reports.
type ablationRun struct {
	cmd    *cobra.Command
	flags  ablationFlags
	tables []ablations.Table
	study  *ablations.Study
	start  time.Time
	build  results.Build // taken at the start, so that edits during the run do not change it
}

// writeResults fills the tables from the stored results and writes
// RESULTS.md, the figures and the run report. Every task of the study must
// be done in store.
func (a ablationRun) writeResults(store *results.Store) error {
	cmd, f, tables, study, start, build := a.cmd, a.flags, a.tables, a.study, a.start, a.build
	out := cmd.OutOrStdout()
	var filled []ablations.TableResult
	for _, t := range tables {
		r, err := ablations.Fill(t, func(point, stage string) ([]map[string]float64, error) {
			return study.Summaries(store, t.Sweep, point, stage)
		})
		if err != nil {
			return err
		}
		filled = append(filled, r)
	}
	version := build.GitCommit
	if build.GitDirty {
		version += "-dirty"
	}
	kind := "synthetic"
	if f.data != "" {
		kind = f.format + " " + filepath.Base(f.data)
	}
	header := ablations.Header{
		Profile: f.profile, Dataset: kind, Seeds: study.Seeds(), CodeVersion: version,
		ConfigHash: study.ConfigHash(), Tasks: len(study.Tasks), Executions: study.Executions(),
	}
	if err := addMethodReport(&header, loaderFor(f.configs, &configTrace{}), study, store); err != nil {
		return err
	}
	if f.plots != "" {
		figs, notes, err := ablations.WriteFigures(store, study, f.plots, filepath.Dir(f.out))
		if err != nil {
			return err
		}
		header.Figures, header.Notes = figs, notes
	}
	var buf bytes.Buffer
	if err := ablations.Render(&buf, header, filled); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(f.out, buf.Bytes()); err != nil {
		return err
	}
	report := fmt.Sprintf("{\"profile\": %q, \"config_hash\": %q, \"tasks\": %d, \"wall_seconds\": %.1f}\n",
		f.profile, header.ConfigHash, len(study.Tasks), time.Since(start).Seconds())
	if err := atomicfile.WriteFile(filepath.Join(store.Root(), "reports", "ablations-"+header.ConfigHash+".json"), []byte(report)); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (%d tables) in %s\n", f.out, len(filled), time.Since(start).Round(time.Second))
	return nil
}

// addMethodReport fills the header's departures from the reference (the
// default configuration against base.yaml alone) and the default
// configuration's training diagnostics.
func addMethodReport(h *ablations.Header, loader experiments.Loader, study *ablations.Study, store *results.Store) error {
	ref, err := loader.Reference()
	if err != nil {
		return err
	}
	def, err := study.Config("tables/table2.yaml", "AnomalyNCD")
	if err != nil {
		return err
	}
	if h.Departures, err = experiments.Departures(def, ref); err != nil {
		return err
	}
	h.Diagnostics, err = ablations.TrainingDiagnostics(store, study)
	return err
}
