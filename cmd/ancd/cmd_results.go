package main

import (
	"bytes"
	"fmt"
	"math"
	"os"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/ablations"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

func newResultsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "results", Short: "Work with results files (RESULTS.md)"}
	var tol float64
	diff := &cobra.Command{
		Use:   "diff OLD.md NEW.md",
		Short: "Print the table cells that moved between two results files",
		Long: `Compares every cell of every table of two results files (by section, row
and column) and prints the cells whose text changed, with the change of
their leading number. Exits with status 1 when a number moved by more than
--tol, or a cell appeared or disappeared.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if tol < 0 || math.IsNaN(tol) || math.IsInf(tol, 0) {
				return fmt.Errorf("--tol %g: want a finite number >= 0", tol)
			}
			read := func(path string) (map[ablations.CellRef]string, error) {
				f, err := os.Open(path)
				if err != nil {
					return nil, err
				}
				defer f.Close()
				cells, err := ablations.ParseCells(path, f)
				if err != nil {
					return nil, err
				}
				if len(cells) == 0 {
					return nil, fmt.Errorf("%s has no RESULTS tables (no markdown table under a section heading); give a RESULTS.md written by ancd ablations", path)
				}
				return cells, nil
			}
			old, err := read(args[0])
			if err != nil {
				return err
			}
			new, err := read(args[1])
			if err != nil {
				return err
			}
			d := ablations.Compare(old, new)
			if err := d.Write(cmd.OutOrStdout()); err != nil {
				return err
			}
			if d.Exceeds(tol) {
				return fmt.Errorf("results differ beyond tolerance %g", tol)
			}
			return nil
		},
	}
	diff.Flags().Float64Var(&tol, "tol", 0, "largest change of a number that is not reported as a failure")
	det := &cobra.Command{
		Use:   "detectors OUT.md DETECT.json...",
		Short: "Write a markdown table of detector quality from detect.json files",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var buf bytes.Buffer
			if err := ablations.DetectorTable(&buf, args[1:]); err != nil {
				return err
			}
			return atomicfile.WriteFile(args[0], buf.Bytes())
		},
	}
	cmd.AddCommand(diff, det)
	return cmd
}
