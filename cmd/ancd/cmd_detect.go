package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/detect"
	"github.com/anomalyncd/ancd/core/synth"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/internal/outdir"
)

// newDetectCmd builds `ancd detect`: anomaly maps of a built-in detector.
func newDetectCmd() *cobra.Command {
	var (
		data, format, method, category, out string
		seed                                uint64
		workers                             int
		noise, smooth                       float64
		muscCells                           int
		gallery, mapsRoot                   string
		force                               bool
	)
	cmd := &cobra.Command{
		Use:   "detect",
		Short: "Write set-normalised anomaly maps of a built-in detector and detect.json",
		Long: `detect runs a built-in detector (` + strings.Join(detect.Methods(), ", ") + `) over
every test image of each category and writes <out>/<category>/<type>/<stem>.png
(uint8, min-max normalised over the category's test maps) and <out>/detect.json
(image AUROC, pixel AUROC, AUPRO per category). The output folder is replaced
atomically.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" || out == "" {
				return fmt.Errorf("detect: --data and --out are required")
			}
			if noise < 0 || noise > 1 || noise != noise {
				return fmt.Errorf("--noise %g: want a level in [0, 1]", noise)
			}
			if workers < 0 {
				return fmt.Errorf("--workers %d: want 0 (all CPUs) or more", workers)
			}
			if muscCells < 0 || muscCells > experiments.MaxDetectCells {
				return fmt.Errorf("--musc-cells %d: want 0 (8-px cells) to %d", muscCells, experiments.MaxDetectCells)
			}
			if smooth < 0 || smooth > experiments.MaxDetectSmooth || smooth != smooth {
				return fmt.Errorf("--smooth %g: want 0 (sigma 4) to %g", smooth, float64(experiments.MaxDetectSmooth))
			}
			o := outdir.Options{Command: commandName(cmd), Force: force, Inputs: []outdir.Input{
				{Flag: "--data", Path: data}, {Flag: "--maps", Path: mapsRoot}, {Flag: "--gallery", Path: gallery}}}
			if err := outdir.Check(out, o); err != nil {
				return err
			}
			opt := detect.Options{Method: method, Seed: seed, Workers: workers, WriteDir: outWriter(cmd.Context(), o),
				Config: detect.Config{GTNoisy: detect.GTNoisyAtLevel(noise), MapsRoot: mapsRoot}}
			opt.Config.MuSc.Features.Cells = muscCells
			opt.Config.SetSmoothing(smooth)
			if _, err := detect.New(method, opt.Config); err != nil {
				return err
			}
			set, err := dataset.Open(format, data)
			if err != nil {
				return err
			}
			if category != "" {
				opt.Categories = []string{category}
			}
			rep, err := detect.Run(set, opt, out)
			if err != nil {
				return err
			}
			for _, c := range rep.Categories {
				slog.Info("detected", "category", c.Category, "test", c.Test,
					"image_auroc", fmt.Sprintf("%.4f", c.Metrics.ImageAUROC),
					"pixel_auroc", fmt.Sprintf("%.4f", c.Metrics.PixelAUROC),
					"aupro", fmt.Sprintf("%.4f", c.Metrics.AUPRO))
			}
			if gallery != "" {
				for _, c := range rep.Categories {
					path := filepath.Join(gallery, fmt.Sprintf("%s_%s_%s.png", set.Format, c.Category, method))
					if err := synth.GalleryWithMaps(set, c.Category, 2, out, path); err != nil {
						return err
					}
				}
			}
			fmt.Fprintln(cmd.OutOrStdout(), filepath.Join(out, detect.ReportFile))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", "", "dataset root folder")
	f.StringVar(&format, "format", "mvtec", "dataset layout: mvtec or mtd")
	f.StringVar(&method, "method", "patchcore", "detector: "+strings.Join(detect.Methods(), ", "))
	f.StringVar(&category, "category", "", "only this category (default: all)")
	f.Uint64Var(&seed, "seed", 0, "experiment seed")
	f.IntVar(&workers, "workers", 0, "parallel workers (0: all cores); output does not depend on it")
	f.Float64Var(&noise, "noise", 0.5, "gt-noisy degradation level in [0, 1] (0: exact ground truth)")
	f.IntVar(&muscCells, "musc-cells", 0, "musc: about this many feature cells along the image's longer side (0: 8-px cells; config detect.musc_cells)")
	f.Float64Var(&smooth, "smooth", 0, "patchcore, padim, musc: sigma in px of the map smoothing (0: 4; config detect.smooth)")
	f.StringVar(&out, "out", "", "output folder of the maps (written atomically; see --force)")
	f.BoolVar(&force, "force", false, forceHelp)
	f.StringVar(&mapsRoot, "maps", "", "method maps: precomputed 8-bit maps in <maps>/<category>/<type>/ (paired by sorted index)")
	f.StringVar(&gallery, "gallery", "", "also write per-category galleries (image | mask | map) as PNGs into this folder")
	return cmd
}
