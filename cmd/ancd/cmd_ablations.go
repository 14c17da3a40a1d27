package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	profile  string
	data     []string
	format   string
	base     string
	maps     string
	mapsName string
	out      string
	plots    string
	report   string
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
from the stored results, with the figures and a browsable HTML report
(--report, default report/index.html). Killing it and running it again resumes. With
--data it runs on real datasets instead of the embedded synthetic
benchmark: --data mvtec=DIR and/or --data mtd=DIR (the layout is the name;
a bare --data DIR takes its layout from --format), --base DIR for the
labelled AeBAD-layout base set. --maps DIR adds a folder of precomputed
anomaly maps as one more detector (rows "External maps (NAME)" in Tables I,
VI and X; NAME is the folder's name or --maps-name); the built-in detectors
and the ground-truth rows stay. With --runner slurm --submit it submits the
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
	fl.StringArrayVar(&f.data, "data", nil, "dataset folder as NAME=DIR (NAME mvtec or mtd, its layout; repeat for both) or DIR with --format (default: the embedded synthetic benchmark)")
	fl.StringVar(&f.format, "format", "mvtec", "layout of a bare --data DIR: mvtec or mtd")
	fl.StringVar(&f.base, "base", "", "labelled base set folder (AeBAD layout; default: the synthetic AeBAD-S-like set)")
	fl.StringVar(&f.maps, "maps", "", "precomputed anomaly maps (<maps>/<category>/<type>/*.png; with two datasets <maps>/<mvtec|mtd>/...) added as one more detector")
	fl.StringVar(&f.mapsName, "maps-name", "", "name of the --maps detector in the tables (default: the folder's name)")
	fl.StringVar(&f.out, "results", "RESULTS.md", "where to write the results")
	fl.StringVar(&f.plots, "plots", "plots/out", "folder for the figures (PNG and SVG); empty = none")
	fl.StringVar(&f.report, "report", "report", "folder for the browsable HTML report (index.html, runs/); empty = none")
	return cmd
}

// dataSpec is one --data dataset: its name (= layout) and absolute folder.
type dataSpec struct{ name, root string }

// parseData reads the --data flags: NAME=DIR with NAME mvtec or mtd, or a
// bare DIR in the --format layout. Each name may appear once and each
// folder must exist.
func parseData(data []string, format string) ([]dataSpec, error) {
	var out []dataSpec
	for _, d := range data {
		name, dir := format, d
		if n, rest, ok := strings.Cut(d, "="); ok {
			if n != "mvtec" && n != "mtd" {
				if _, err := os.Stat(d); err != nil {
					return nil, fmt.Errorf("--data %s: the name before '=' must be mvtec or mtd", d)
				}
			} else {
				name, dir = n, rest
			}
		}
		if name != "mvtec" && name != "mtd" {
			return nil, fmt.Errorf("--format %s: want mvtec or mtd", name)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("--data %s: %w", d, err)
		}
		if info, err := os.Stat(abs); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("--data %s: %s is not a folder", d, abs)
		}
		for _, o := range out {
			if o.name == name {
				return nil, fmt.Errorf("--data %s: a second %s dataset (one per name; the first is %s)", d, name, o.root)
			}
		}
		out = append(out, dataSpec{name, abs})
	}
	// MVTec AD first: it is the study's main dataset (experiment.dataset.root)
	slices.SortStableFunc(out, func(a, b dataSpec) int { return strings.Compare(b.name, a.name) })
	return out, nil
}

// absFolder returns the absolute path of an existing folder given by flag.
func absFolder(flag, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", flag, dir, err)
	}
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		return "", fmt.Errorf("%s %s: %s is not a folder", flag, dir, abs)
	}
	return abs, nil
}

// studyData is the --data and --base flags, parsed once: the datasets
// (MVTec AD first) and the base set's absolute folder ("" = synthetic).
type studyData struct {
	specs []dataSpec
	base  string
}

// parseStudyData reads the --data and --base flags.
func parseStudyData(f ablationFlags) (studyData, error) {
	specs, err := parseData(f.data, f.format)
	if err != nil {
		return studyData{}, err
	}
	d := studyData{specs: specs}
	if f.base != "" {
		if d.base, err = absFolder("--base", f.base); err != nil {
			return studyData{}, err
		}
	}
	return d, nil
}

// ablationOverrides turns the command's flags into config overrides.
func ablationOverrides(f ablationFlags, d studyData, args []string) []string {
	ovs := []string{"experiment.profile=" + f.profile}
	if len(d.specs) > 0 {
		ovs = append(ovs, "experiment.dataset.kind="+d.specs[0].name, "experiment.dataset.root="+d.specs[0].root)
	}
	if len(d.specs) > 1 {
		ovs = append(ovs, "experiment.dataset.mtd_root="+d.specs[1].root)
	}
	if d.base != "" {
		ovs = append(ovs, "experiment.dataset.base_root="+d.base)
	}
	return append(ovs, args...)
}

// externalMaps returns the --maps detector, nil without --maps.
func externalMaps(f ablationFlags) (*ablations.External, error) {
	if f.maps == "" {
		if f.mapsName != "" {
			return nil, fmt.Errorf("--maps-name %s: needs --maps", f.mapsName)
		}
		return nil, nil
	}
	abs, err := absFolder("--maps", f.maps)
	if err != nil {
		return nil, err
	}
	name := f.mapsName
	if name == "" {
		name = filepath.Base(abs)
	}
	return &ablations.External{Name: name, Root: abs}, nil
}

// studyCommand is the command line that batch jobs run (absolute paths:
// they may start elsewhere).
func studyCommand(f ablationFlags, d studyData, args []string, ext *ablations.External) []string {
	command := append([]string{"ablations", "--profile", f.profile}, args...)
	for _, s := range d.specs {
		command = append(command, "--data", s.name+"="+s.root)
	}
	if d.base != "" {
		command = append(command, "--base", d.base)
	}
	if ext != nil {
		command = append(command, "--maps", ext.Root, "--maps-name", ext.Name)
	}
	return command
}

func runAblations(cmd *cobra.Command, f ablationFlags, args []string) error {
	start := time.Now()
	// the code version is that of the run's start: what RESULTS.md reports
	// must not change if the working tree changes while the study runs
	build := results.CurrentBuild()
	data, err := parseStudyData(f)
	if err != nil {
		return err
	}
	var ovs []experiments.Override
	for _, s := range ablationOverrides(f, data, args) {
		o, err := experiments.ParseOverride(s)
		if err != nil {
			return err
		}
		ovs = append(ovs, o)
	}
	ext, err := externalMaps(f)
	if err != nil {
		return err
	}
	tables := ablations.TablesWith(ext)
	var trace configTrace
	study, err := ablations.PlanStudyWith(loaderFor(f.configs, &trace), tables, ablations.FigureSweeps(), ovs, ext)
	if err != nil {
		return err
	}
	trace.print(cmd.ErrOrStderr())
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "ablations (profile %s): %d points, %d stage executions, %d distinct tasks (sharing saves %d)\n",
		f.profile, len(study.Points), study.Executions(), len(study.Tasks), study.Saved())
	if f.dryRun {
		printPlanSummary(out, planSummary(study.Study, f.store), f.workers)
		for _, t := range study.Tasks {
			fmt.Fprintf(out, "%s\t%s\t%s\n", t.Stage, runners.ShortKey(t.Key), t.Name)
		}
		return nil
	}
	store, err := executeStudy(cmd, f.runFlags, study.Study, studyCommand(f, data, args, ext))
	if err != nil || store == nil {
		return err
	}
	run := ablationRun{cmd: cmd, flags: f, tables: tables, study: study, start: start, build: build, ext: ext}
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
	ext    *ablations.External
}

// writeResults fills the tables from the stored results and writes
// RESULTS.md, the figures and the run report. Every task of the study must
// be done in store. The outputs are replaced together: everything is drawn
// and rendered first (figures into a staging folder beside the plots
// folder), and only when all of it succeeded are the figures moved into
// place and RESULTS.md written; on error the previous outputs stay as they
// were.
func (a ablationRun) writeResults(store *results.Store) error {
	cmd, f, tables, study, start, build, ext := a.cmd, a.flags, a.tables, a.study, a.start, a.build, a.ext
	out := cmd.OutOrStdout()
	var filled []ablations.TableResult
	for _, t := range tables {
		r, err := ablations.Fill(t, func(point, stage string) ([]map[string]float64, error) {
			return study.Summaries(store, t.Sweep, point, stage)
		})
		if err != nil {
			return err
		}
		if err := fillCategories(&r, study, store); err != nil {
			return err
		}
		filled = append(filled, r)
	}
	version := build.GitCommit
	if build.GitDirty {
		version += "-dirty"
	}
	header := ablations.Header{
		Profile: f.profile, Dataset: "synthetic", Seeds: study.Seeds(), CodeVersion: version,
		ConfigHash: study.ConfigHash(), Tasks: len(study.Tasks), Executions: study.Executions(),
	}
	if err := addMethodReport(&header, loaderFor(f.configs, &configTrace{}), study, store); err != nil {
		return err
	}
	if len(f.data) > 0 {
		ds, err := study.Datasets(store)
		if err != nil {
			return err
		}
		header.Dataset = ablations.DescribeDatasets(ds)
		for _, d := range ds.Datasets {
			header.Datasets = append(header.Datasets, d.Name)
		}
	}
	if ext != nil {
		header.Maps = fmt.Sprintf("%q, folder `%s`: the rows \"External maps (%s)\" of Tables I, VI and X", ext.Name, filepath.Base(ext.Root), ext.Name)
	}
	var staged *figureStage
	if f.plots != "" {
		var err error
		if staged, err = newFigureStage(f.plots); err != nil {
			return err
		}
		defer staged.discard()
		figs, notes, err := ablations.WriteFigures(store, study, staged.tmp, filepath.Dir(f.out))
		if err != nil {
			return err
		}
		for i := range figs {
			figs[i].Path = staged.finalPath(figs[i].Path, filepath.Dir(f.out))
		}
		header.Figures, header.Notes = figs, notes
	}
	if f.report != "" {
		header.Notes = append(header.Notes, reportNote(f))
	}
	var buf bytes.Buffer
	if err := ablations.Render(&buf, header, filled); err != nil {
		return err
	}
	if staged != nil {
		if err := staged.commit(); err != nil {
			return err
		}
	}
	// the report embeds the figures: written once they are in place
	if err := writeReport(out, f, header, filled, study, store); err != nil {
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
	def, err := study.DefaultConfig()
	if err != nil {
		return err
	}
	if h.Departures, err = experiments.Departures(def, ref); err != nil {
		return err
	}
	h.Diagnostics, err = ablations.TrainingDiagnostics(store, study)
	return err
}
