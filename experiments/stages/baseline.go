package stages

import (
	"context"
	"fmt"
	"image"
	"path/filepath"
	"slices"

	"github.com/anomalyncd/ancd/core/baselines"
	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/detect"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/metrics"
	"github.com/anomalyncd/ancd/experiments"
)

// The clustering baselines computed by the baseline stage, as key prefixes
// of its summary ("<dataset>.<baseline>.<metric>").
const (
	BaselineACUnsup = "ac_unsup" // Anomaly Clustering, unsupervised (Table II)
	BaselineACSemi  = "ac_semi"  // Anomaly Clustering, semi-supervised (Tables I, X)
	BaselineKMeans  = "kmeans"   // k-means on frozen whole-image features
)

// baselineStage clusters each category's test images (combined type
// excluded) with the baselines of core/baselines on the detector's anomaly
// maps, and scores them like evaluate: NMI, ARI and F1 per category, means
// per dataset. It writes SummaryFile (flat means) and MetricsFile-style
// details to baseline.json.
func baselineStage(workers int) experiments.StageFunc {
	return func(ctx context.Context, job experiments.Job) error {
		dirs, err := inputs(job, experiments.StageData, experiments.StageDetect)
		if err != nil {
			return err
		}
		dataDir, detectDir := dirs[0], dirs[1]
		ds, err := ReadDatasets(dataDir)
		if err != nil {
			return err
		}
		flat := map[string]float64{}
		type catScores struct {
			Category string             `json:"category"`
			Scores   map[string]float64 `json:"scores"` // "<baseline>.<metric>"
		}
		details := map[string][]catScores{}
		for _, d := range ds.Datasets {
			set, err := dataset.Open(d.Format, d.Root)
			if err != nil {
				return err
			}
			sums := map[string]float64{}
			for _, cat := range d.Categories {
				if err := ctx.Err(); err != nil {
					return err
				}
				scores, err := clusterCategory(set, cat, filepath.Join(detectDir, d.Name), uint64(job.Seed), workers)
				if err != nil {
					return fmt.Errorf("baselines %s/%s: %w", d.Name, cat, err)
				}
				for k, v := range scores {
					sums[k] += v / float64(len(d.Categories))
				}
				details[d.Name] = append(details[d.Name], catScores{Category: cat, Scores: scores})
			}
			for k, v := range sums {
				flat[d.Name+"."+k] = v
			}
			fmt.Fprintf(job.Log, "%s: AC unsup NMI %.3f, AC semi NMI %.3f, k-means NMI %.3f\n", d.Name,
				sums[BaselineACUnsup+".nmi"], sums[BaselineACSemi+".nmi"], sums[BaselineKMeans+".nmi"])
		}
		if err := writeJSON(filepath.Join(job.Out, "baseline.json"), details); err != nil {
			return err
		}
		return writeJSON(filepath.Join(job.Out, SummaryFile), flat)
	}
}

// clusterCategory runs the three baselines on one category.
func clusterCategory(set *dataset.Set, cat, mapsRoot string, seed uint64, workers int) (map[string]float64, error) {
	samples, err := set.Samples(cat)
	if err != nil {
		return nil, err
	}
	classes := categoryClasses(set, cat)
	var imgs []baselines.Image
	var rgbs, normals []*image.RGBA
	var truth []int
	for _, s := range samples {
		rgb, err := imageio.ReadRGB(s.ImagePath)
		if err != nil {
			return nil, err
		}
		if s.Split == dataset.SplitTrain {
			if s.Type == dataset.GoodType {
				normals = append(normals, rgb)
			}
			continue
		}
		if s.Type == dataset.CombinedType {
			continue
		}
		m, err := imageio.ReadGray(detect.MapPath(mapsRoot, s))
		if err != nil {
			return nil, err
		}
		imgs = append(imgs, baselines.Image{RGB: rgb, Map: m})
		rgbs = append(rgbs, rgb)
		truth = append(truth, slices.Index(classes, s.Type))
	}
	k := len(classes)
	p := baselines.ACParams{Workers: workers}
	out := map[string]float64{}
	score := func(name string, pred []int) error {
		s, err := metrics.ClusterScores(truth, pred, nil)
		if err != nil {
			return err
		}
		out[name+".nmi"], out[name+".ari"], out[name+".f1"] = s.NMI, s.ARI, s.F1
		return nil
	}
	unsup, err := baselines.AnomalyClustering(imgs, nil, k, p)
	if err != nil {
		return nil, err
	}
	if err := score(BaselineACUnsup, unsup); err != nil {
		return nil, err
	}
	if len(normals) > 0 {
		semi, err := baselines.AnomalyClustering(imgs, normals, k, p)
		if err != nil {
			return nil, err
		}
		if err := score(BaselineACSemi, semi); err != nil {
			return nil, err
		}
	}
	km, err := baselines.KMeansImages(rgbs, k, seed, baselines.ImageKMeansParams{Workers: workers})
	if err != nil {
		return nil, err
	}
	if err := score(BaselineKMeans, km); err != nil {
		return nil, err
	}
	return out, nil
}
