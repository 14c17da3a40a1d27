package stages

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/mebin"
	"github.com/anomalyncd/ancd/experiments"
)

// binarizeStage runs crop.RunStage per dataset: masks (MEBin, fixed or
// Otsu), boxes, crops, scores and weights under <out>/<dataset>/.
func binarizeStage(workers int) experiments.StageFunc {
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
		b := job.Config.Binarize
		for _, d := range ds.Datasets {
			if err := ctx.Err(); err != nil {
				return err
			}
			images, cleanup, err := imagesRoot(d, job.Out)
			if err != nil {
				return err
			}
			var gtMask func(category, defectType, image string) (string, error)
			if b.Method == string(crop.MethodMask) {
				if gtMask, err = groundTruthLookup(d); err != nil {
					cleanup()
					return err
				}
			}
			rep, err := crop.RunStage(crop.StageConfig{
				GTMask:     gtMask,
				MapsRoot:   filepath.Join(detectDir, d.Name),
				ImagesRoot: images,
				Out:        filepath.Join(job.Out, d.Name),
				Method:     crop.Method(b.Method),
				Theta:      b.Theta,
				Params:     mebin.Params{SampleRate: b.SampleRate, MinIntervalLen: b.MinIntervalLen, NoErode: !b.Erode, Workers: workers},
				// combined-type images get masks and crops for the multi-label output
				// (Fig. 11); they never enter a set's search range
				IncludeCombined: true,
			})
			cleanup()
			if err != nil {
				return fmt.Errorf("binarize %s: %w", d.Name, err)
			}
			fmt.Fprintf(job.Log, "%s %s: %d maps in %d sets\n", b.Method, d.Name, len(rep.Maps), len(rep.Sets))
		}
		return nil
	}
}

// imagesRoot returns a folder laid out as <root>/<category>/test/<type>/ for
// the dataset's test images. MVTec AD is already laid out so; for the
// single-category MTD layout a temporary folder with a link named after the
// category is made (removed by cleanup).
func imagesRoot(d DatasetRef, scratch string) (string, func(), error) {
	if d.Format != dataset.FormatMTD {
		return d.Root, func() {}, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(scratch), ".images-*")
	if err != nil {
		return "", nil, err
	}
	if err := os.Symlink(d.Root, filepath.Join(tmp, dataset.MTDCategory)); err != nil {
		os.RemoveAll(tmp)
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// groundTruthLookup returns crop.StageConfig.GTMask for a dataset: the
// ground-truth mask of each test image, found by category, type folder and
// file name among the dataset's samples.
func groundTruthLookup(d DatasetRef) (func(category, defectType, image string) (string, error), error) {
	set, err := dataset.Open(d.Format, d.Root)
	if err != nil {
		return nil, err
	}
	masks := map[string]string{}
	for _, cat := range set.Categories {
		samples, err := set.Samples(cat)
		if err != nil {
			return nil, err
		}
		for _, s := range samples {
			if s.Split == dataset.SplitTest {
				masks[cat+"/"+s.Type+"/"+filepath.Base(s.ImagePath)] = s.MaskPath
			}
		}
	}
	return func(category, defectType, image string) (string, error) {
		if category == "" && d.Format == dataset.FormatMTD {
			category = dataset.MTDCategory
		}
		m, ok := masks[category+"/"+defectType+"/"+filepath.Base(image)]
		if !ok {
			return "", fmt.Errorf("binarize.method mask: no test image %s/%s/%s in %s", category, defectType, filepath.Base(image), d.Root)
		}
		return m, nil
	}, nil
}
