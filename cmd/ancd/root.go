package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each subcommand lives in its own
// cmd_<name>.go file and is added here.
func newRootCmd() *cobra.Command {
	var verbose bool
	var cpuProfile string
	var profile *os.File
	root := &cobra.Command{
		Use:           "ancd",
		Short:         "AnomalyNCD: novel anomaly class discovery experiments",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
			if cpuProfile == "" {
				return nil
			}
			f, err := os.Create(cpuProfile)
			if err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return fmt.Errorf("--cpuprofile %s: %w", cpuProfile, err)
			}
			profile = f
			return nil
		},
		PersistentPostRunE: func(cmd *cobra.Command, args []string) error {
			if profile == nil {
				return nil
			}
			pprof.StopCPUProfile()
			defer func() { profile = nil }()
			return profile.Close()
		},
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "debug logging")
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file (go tool pprof)")
	root.AddCommand(
		// subcommands: one line each
		newRunCmd(),
		newGCCmd(),
		newSynthCmd(),
		newMetricsCmd(),
		newDetectCmd(),
		newBenchCmd(),
		newBinarizeCmd(),
		newTrainCmd(),
		newAblationsCmd(),
		newBackboneCmd(),
		newResultsCmd(),
		newStatusCmd(),
		newCollectCmd(),
	)
	return root
}
