package main

import (
	"log/slog"
	"os"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Each subcommand lives in its own
// cmd_<name>.go file and is added here.
func newRootCmd() *cobra.Command {
	var verbose bool
	root := &cobra.Command{
		Use:           "ancd",
		Short:         "AnomalyNCD: novel anomaly class discovery experiments",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
		},
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "debug logging")
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
		newResultsCmd(),
		newStatusCmd(),
		newCollectCmd(),
	)
	return root
}
