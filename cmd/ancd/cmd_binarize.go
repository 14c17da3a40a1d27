package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/mebin"
	"github.com/anomalyncd/ancd/internal/outdir"
)

func newBinarizeCmd() *cobra.Command {
	var (
		cfg     crop.StageConfig
		method  string
		thred   float64
		noErode bool
		force   bool
		crops   bool
	)
	cmd := &cobra.Command{
		Use:   "binarize",
		Short: "Binarize anomaly maps (MEBin, fixed or Otsu) and cut anomaly-centred crops",
		Long: "binarize reads anomaly maps from --maps (a flat folder of PNGs, one set;\n" +
			"<maps>/<category>/<type>/*.png, one set per category; or one category's folder\n" +
			"<maps>/<category> of <type>/*.png, one set; 'combined' is skipped),\n" +
			"binarizes each set and writes under --out (atomically):\n" +
			"  mebin.json                          one record per map (range, counts, threshold,\n" +
			"                                      est_anomaly_num, mask_sha256, boxes, scores, weights)\n" +
			"  binary_masks/<cat>/<type>/<stem>.png   full-size 0/255 masks\n" +
			"  crops/<cat>/<type>/<stem>_crop<k>.png  RGB crops (only with --images)\n" +
			"  mask_crops/<cat>/<type>/<stem>_crop<k>.png  mask crops (with --images or --crops)\n" +
			"--images mirrors the maps layout (or is an MVTec AD root, or for a category\n" +
			"folder that category's own folder); maps and images pair by sorted index.\n" +
			"Without --images, boxes are computed for an image of the map's size.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Params.Workers < 0 {
				return fmt.Errorf("--workers %d: want 0 (all CPUs) or more", cfg.Params.Workers)
			}
			if cfg.Params.SampleRate < 1 || cfg.Params.SampleRate > 255 {
				return fmt.Errorf("--sample-rate %d: want a threshold step in 1..255", cfg.Params.SampleRate)
			}
			if cfg.Params.MinIntervalLen < 1 {
				return fmt.Errorf("--min-interval %d: want 1 or more thresholds", cfg.Params.MinIntervalLen)
			}
			o := outdir.Options{Command: commandName(cmd), Force: force, Inputs: []outdir.Input{
				{Flag: "--maps", Path: cfg.MapsRoot}, {Flag: "--images", Path: cfg.ImagesRoot}}}
			if err := outdir.Check(cfg.Out, o); err != nil {
				return err
			}
			cfg.WriteDir = outWriter(cmd.Context(), o)
			cfg.SkipCrops = !crops && cfg.ImagesRoot == ""
			cfg.Method = crop.Method(method)
			cfg.Params.NoErode = noErode
			cfg.AnomalyThred = &thred
			progress := newItemProgress("binarize")
			cfg.Progress = progress.Report
			rep, err := crop.RunStage(cfg)
			progress.Done()
			if err != nil {
				return err
			}
			crops := 0
			for _, r := range rep.Maps {
				crops += len(r.Boxes)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d sets, %d maps, %d crops -> %s\n", rep.Method, len(rep.Sets), len(rep.Maps), crops, cfg.Out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.MapsRoot, "maps", "", "anomaly map folder (required)")
	f.StringVar(&cfg.ImagesRoot, "images", "", "image folder mirroring the maps layout (optional)")
	f.StringVar(&cfg.Out, "out", "", "output folder, written atomically (required; see --force)")
	f.BoolVar(&force, "force", false, forceHelp)
	f.BoolVar(&crops, "crops", false, "also write mask_crops/ without --images (with --images crops are always written)")
	f.StringVar(&method, "method", string(crop.MethodMEBin), "binarization: mebin, fixed or otsu")
	f.Float64Var(&cfg.Theta, "theta", 0.5, "fixed threshold on the set-normalised [0,1] scale (--method fixed)")
	f.IntVar(&cfg.Params.Workers, "workers", 0, "maps processed concurrently (0: all CPUs); output does not depend on it")
	f.IntVar(&cfg.Params.SampleRate, "sample-rate", mebin.DefaultSampleRate, "MEBin threshold step on the 0..255 scale")
	f.IntVar(&cfg.Params.MinIntervalLen, "min-interval", mebin.DefaultMinIntervalLen, "MEBin minimal stable interval, in thresholds")
	f.BoolVar(&noErode, "no-erode", false, "switch off the 6x6 erosion")
	f.Float64Var(&thred, "anomaly-thred", crop.DefaultAnomalyThred, "pseudo-label weight max(0, thred - score); -1 disables")
	cmd.MarkFlagRequired("maps")
	cmd.MarkFlagRequired("out")
	return cmd
}
