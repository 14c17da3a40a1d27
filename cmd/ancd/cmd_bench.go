package main

import (
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/spf13/cobra"
)

// newBenchCmd groups micro-benchmarks of the training machinery.
func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Benchmarks of model training"}
	cmd.AddCommand(newBenchTrainCmd())
	return cmd
}

func newBenchTrainCmd() *cobra.Command {
	c := mgvit.DefaultConfig(4, 5)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads, c.MaskLayers = 64, 8, 96, 4, 4, 2
	o := mgvit.BenchOptions{Batch: 32, Steps: 8, LR: 0.003}
	var gradFrom int = -1
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Time full MGViT training steps (forward, backward, SGD) on synthetic inputs",
		RunE: func(cmd *cobra.Command, _ []string) error {
			c.GradFromBlock = c.Depth - 1
			if gradFrom >= 0 {
				c.GradFromBlock = gradFrom
			}
			o.Model = c
			_, err := mgvit.BenchTrain(o, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&c.ImageSize, "image-size", c.ImageSize, "image side in pixels")
	f.IntVar(&c.PatchSize, "patch-size", c.PatchSize, "patch side")
	f.IntVar(&c.Dim, "dim", c.Dim, "token width")
	f.IntVar(&c.Depth, "depth", c.Depth, "transformer blocks")
	f.IntVar(&c.Heads, "heads", c.Heads, "attention heads")
	f.IntVar(&c.MaskLayers, "mask-layers", c.MaskLayers, "mask-guided attention in the last N blocks")
	f.IntVar(&gradFrom, "grad-from-block", gradFrom, "first trained block (default: the last)")
	f.IntVar(&o.Batch, "batch-size", o.Batch, "samples per step (two views each)")
	f.IntVar(&o.Steps, "steps", o.Steps, "timed steps after one warm-up step")
	// The spellings of ancd train; the old short ones still work, with a warning.
	for old, name := range map[string]string{"image": "image-size", "patch": "patch-size", "batch": "batch-size"} {
		flag := f.Lookup(name)
		f.Var(flag.Value, old, flag.Usage)
		_ = f.MarkDeprecated(old, "use --"+name+" (the spelling of ancd train)")
	}
	return cmd
}
