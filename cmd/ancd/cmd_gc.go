package main

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/configs"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/results"
)

func newGCCmd() *cobra.Command {
	var (
		store    string
		dryRun   bool
		profiles []string
		cfgDir   string
	)
	cmd := &cobra.Command{
		Use:   "gc --store DIR [SWEEP.yaml ...]",
		Short: "Remove store entries that no current sweep references",
		Long: `Plans every given sweep (default: every embedded tables/*.yaml) under each
profile and removes the store entries none of them references, plus
temporary folders left by killed runs. Do not run it while a run writes to
the same store.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var trace configTrace
			loader := loaderFor(cfgDir, &trace)
			load := loader.LoadUserSweep
			if len(args) == 0 {
				names, err := fs.Glob(configs.FS, "tables/*.yaml")
				if err != nil {
					return err
				}
				args = names
				load = loader.LoadSweep // the embedded sweeps, never files of the working folder
			}
			keep := map[string]bool{}
			for _, path := range args {
				sw, err := load(path)
				if err != nil {
					return err
				}
				for _, p := range profiles {
					o, err := experiments.ParseOverride("experiment.profile=" + p)
					if err != nil {
						return err
					}
					pts, err := loader.Expand(sw, []experiments.Override{o})
					if err != nil {
						return err
					}
					study, err := experiments.PlanStudy(experiments.DefaultPipeline(), pts)
					if err != nil {
						return err
					}
					for _, t := range study.Tasks {
						keep[t.Stage+"/"+t.Key] = true
					}
				}
			}
			trace.print(cmd.ErrOrStderr())
			s, err := results.OpenExisting(store) // gc never creates a store
			if err != nil {
				return err
			}
			removed, err := s.GC(func(e results.EntryRef) bool { return keep[e.Path()] }, dryRun)
			verb := "removed"
			if dryRun {
				verb = "would remove"
			}
			for _, r := range removed {
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", verb, r)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %d folder(s); %d referenced keys kept (profiles %s)\n", verb, len(removed), len(keep), strings.Join(profiles, ","))
			return err
		},
	}
	cmd.Flags().StringVar(&store, "store", "store", "run store folder")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be removed")
	cmd.Flags().StringSliceVar(&profiles, "profiles", experiments.Profiles, "profiles whose keys are kept")
	cmd.Flags().StringVar(&cfgDir, "configs", "", "folder of config files (base.yaml, profiles/, tables/) read instead of the embedded ones; files it lacks are read from the embedded configs. Without it config files in the working folder are ignored")
	return cmd
}
