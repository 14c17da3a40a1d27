package main

import (
	"encoding/json"
	"fmt"

	"github.com/anomalyncd/ancd/core/metrics"
	"github.com/spf13/cobra"
)

// newMetricsCmd scores a labels CSV (y_true,y_pred[,is_base]) with the
// official NMI/ARI/F1 and prints one JSON object.
func newMetricsCmd() *cobra.Command {
	var labelsPath string
	cmd := &cobra.Command{
		Use:   "metrics",
		Short: "Score predictions: official NMI, ARI, F1 (Hungarian-mapped) as one JSON object",
		Long: "Reads a CSV with the header y_true,y_pred or y_true,y_pred,is_base (integer labels,\n" +
			"is_base 0/1) and prints {nmi, ari, f1, macro_f1, num_novel, assignment} as JSON.\n" +
			"F1 is the micro-F1, after the Hungarian assignment computed over all samples, on every\n" +
			"sample of a novel class (a class with at least one sample flagged is_base=0).\n" +
			"Labels may be any non-negative integers (they are renumbered densely).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			tab, err := metrics.ReadLabelsCSV(labelsPath)
			if err != nil {
				return err
			}
			s, err := metrics.ClusterScores(tab.YTrue, tab.YPred, tab.IsBase)
			if err != nil {
				return fmt.Errorf("%s: %w", labelsPath, err)
			}
			out, err := json.Marshal(s)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), string(out))
			return err
		},
	}
	cmd.Flags().StringVar(&labelsPath, "labels", "", "CSV file with y_true,y_pred[,is_base]")
	_ = cmd.MarkFlagRequired("labels")
	return cmd
}
