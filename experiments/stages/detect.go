package stages

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/detect"
	"github.com/anomalyncd/ancd/experiments"
)

// detectStage writes, per dataset, <out>/<dataset>/<category>/<type>/<stem>.png
// anomaly maps and detect.json (image AUROC, pixel AUROC, AUPRO).
func detectStage(workers int) experiments.StageFunc {
	return func(ctx context.Context, job experiments.Job) error {
		dirs, err := inputs(job, experiments.StageData)
		if err != nil {
			return err
		}
		dataDir := dirs[0]
		ds, err := ReadDatasets(dataDir)
		if err != nil {
			return err
		}
		cfg := job.Config.Detect
		if cfg.Method == "maps" && cfg.MapsRoot == "" {
			return fmt.Errorf("detect.method maps needs detect.maps_root (precomputed maps in <root>/<category>/<type>/*.png)")
		}
		dc := detect.Config{}
		dc.PatchCore.CoresetRatio = cfg.CoresetRatio
		dc.MuSc.Features.Cells = cfg.MuScCells
		dc.SetSmoothing(cfg.Smooth)
		if cfg.Method == "gt-noisy" {
			dc.GTNoisy = detect.GTNoisyAtLevel(cfg.Noise)
		}
		for _, d := range ds.Datasets {
			if err := ctx.Err(); err != nil {
				return err
			}
			set, err := dataset.Open(d.Format, d.Root)
			if err != nil {
				return err
			}
			if cfg.Method == "maps" {
				// one dataset: the maps root itself; several (the synthetic
				// benchmark): one sub-folder per dataset name
				dc.MapsRoot = cfg.MapsRoot
				if len(ds.Datasets) > 1 {
					dc.MapsRoot = filepath.Join(cfg.MapsRoot, d.Name)
				}
			}
			rep, err := detect.Run(set, detect.Options{
				Method: cfg.Method, Config: dc, Seed: uint64(job.Config.Data.SynthSeed),
				Workers: workers, Categories: d.Categories,
			}, filepath.Join(job.Out, d.Name))
			if err != nil {
				return fmt.Errorf("detect %s on %s: %w", cfg.Method, d.Name, err)
			}
			m := rep.Mean()
			fmt.Fprintf(job.Log, "%s %s: image AUROC %.3f pixel AUROC %.3f AUPRO %.3f\n", cfg.Method, d.Name, m.ImageAUROC, m.PixelAUROC, m.AUPRO)
		}
		return nil
	}
}
