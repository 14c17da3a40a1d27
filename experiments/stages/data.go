package stages

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/synth"
	"github.com/anomalyncd/ancd/experiments"
)

// DatasetsFile lists the datasets of a data entry.
const DatasetsFile = "datasets.json"

// DatasetRef is one evaluation dataset of a study.
type DatasetRef struct {
	// Name is the dataset's name in results: "mvtec" or "mtd".
	Name string `json:"name"`
	// Format is the dataset.Open layout.
	Format string `json:"format"`
	// Root is the dataset folder, relative to the data entry when it was
	// generated, absolute for a user's dataset.
	Root string `json:"root"`
	// Categories evaluated, sorted.
	Categories []string `json:"categories"`
}

// Datasets is the content of DatasetsFile.
type Datasets struct {
	Datasets []DatasetRef `json:"datasets"`
	// Base is the labeled base crop set (AeBAD layout), relative to the entry
	// when generated.
	Base string `json:"base"`
	// BaseClasses are the base set's defect types in label order.
	BaseClasses []string `json:"base_classes"`
}

// resolve makes a path of an entry absolute.
func resolve(entry, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(entry, p)
}

// readDatasets reads the data entry at dir.
func ReadDatasets(dir string) (Datasets, error) {
	var d Datasets
	if err := readJSON(filepath.Join(dir, DatasetsFile), &d); err != nil {
		return d, err
	}
	for i := range d.Datasets {
		d.Datasets[i].Root = resolve(dir, d.Datasets[i].Root)
	}
	d.Base = resolve(dir, d.Base)
	return d, nil
}

// dataStage generates the synthetic benchmark (or points at a user's
// dataset) and cuts the labeled base crop set.
func dataStage(workers int) experiments.StageFunc {
	return func(ctx context.Context, job experiments.Job) error {
		cfg := job.Config
		ds := cfg.Experiment.Dataset
		var out Datasets
		var baseRaw string
		switch ds.Kind {
		case "synthetic":
			prof, err := synth.LoadProfile(cfg.Data.SynthProfile)
			if err != nil {
				return err
			}
			root := filepath.Join(job.Out, "synth")
			if _, err := synth.Generate(ctx, prof, uint64(cfg.Data.SynthSeed), root, workers); err != nil {
				return err
			}
			out.Datasets = []DatasetRef{
				{Name: "mvtec", Format: dataset.FormatMVTec, Root: "synth/mvtec"},
				{Name: "mtd", Format: dataset.FormatMTD, Root: "synth/mtd"},
			}
			baseRaw = filepath.Join(root, "aebad")
		case "mvtec", "mtd":
			if ds.Root == "" {
				return fmt.Errorf("experiment.dataset.root: a %s dataset needs a folder", ds.Kind)
			}
			abs, err := filepath.Abs(ds.Root)
			if err != nil {
				return err
			}
			out.Datasets = []DatasetRef{{Name: ds.Kind, Format: ds.Kind, Root: abs}}
			if ds.MTDRoot != "" {
				mtd, err := filepath.Abs(ds.MTDRoot)
				if err != nil {
					return err
				}
				out.Datasets = append(out.Datasets, DatasetRef{Name: "mtd", Format: dataset.FormatMTD, Root: mtd})
			}
		default:
			return fmt.Errorf("experiment.dataset.kind: unknown kind %q", ds.Kind)
		}
		for i := range out.Datasets {
			r := &out.Datasets[i]
			set, err := dataset.Open(r.Format, resolve(job.Out, r.Root))
			if err != nil {
				return fmt.Errorf("%s dataset: %w", r.Name, err)
			}
			r.Categories = pickCategories(set.Categories, ds.Categories)
		}
		switch {
		case ds.BaseRoot != "":
			abs, err := filepath.Abs(ds.BaseRoot)
			if err != nil {
				return err
			}
			out.Base = abs
		case baseRaw != "":
			out.Base = "base"
			if err := cutBaseSet(baseRaw, filepath.Join(job.Out, "base")); err != nil {
				return err
			}
		default:
			prof, err := synth.LoadProfile(cfg.Data.SynthProfile)
			if err != nil {
				return err
			}
			prof.MVTec.Categories = nil
			root := filepath.Join(job.Out, "synth-base")
			if _, err := synth.Generate(ctx, prof, uint64(cfg.Data.SynthSeed), root, workers); err != nil {
				return err
			}
			out.Base = "base"
			if err := cutBaseSet(filepath.Join(root, "aebad"), filepath.Join(job.Out, "base")); err != nil {
				return err
			}
		}
		base, err := dataset.Open(dataset.FormatAeBAD, resolve(job.Out, out.Base))
		if err != nil {
			return fmt.Errorf("base set: %w", err)
		}
		out.BaseClasses = base.DefectTypes(base.Categories[0])
		fmt.Fprintf(job.Log, "datasets: %d, base classes: %v\n", len(out.Datasets), out.BaseClasses)
		return writeJSON(filepath.Join(job.Out, DatasetsFile), out)
	}
}

// pickCategories intersects the available categories with a selection
// (empty = all), keeping sorted order.
func pickCategories(all, want []string) []string {
	if len(want) == 0 {
		return append([]string(nil), all...)
	}
	keep := map[string]bool{}
	for _, w := range want {
		keep[w] = true
	}
	var out []string
	for _, c := range all {
		if keep[c] {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// cutBaseSet crops the raw labeled base set the way the reference
// preprocesses AeBAD-S (reference §2.5): boxes from the ground-truth mask with
// est_anomaly_num = 1, so at most two crops per image.
func cutBaseSet(rawRoot, out string) error {
	set, err := dataset.Open(dataset.FormatAeBAD, rawRoot)
	if err != nil {
		return err
	}
	samples, err := set.Samples(set.Categories[0])
	if err != nil {
		return err
	}
	for _, s := range samples {
		if s.MaskPath == "" {
			continue
		}
		img, err := imageio.ReadRGB(s.ImagePath)
		if err != nil {
			return err
		}
		gt, err := imageio.ReadGray(s.MaskPath)
		if err != nil {
			return err
		}
		if err := imageio.SameSize(s.ImagePath, img.Rect, s.MaskPath, gt.Rect); err != nil {
			return err
		}
		w, h := img.Rect.Dx(), img.Rect.Dy()
		stem := dataset.FileStem(s.ImagePath)
		for k, b := range crop.GTBoxes(gt, w, h) {
			name := fmt.Sprintf("%s_crop%d.png", stem, k)
			imgPath, maskPath, err := dataset.Paths(dataset.FormatAeBAD, out, "", "", s.Type, name)
			if err != nil {
				return err
			}
			if err := imageio.WritePNG(imgPath, crop.CutRGB(img, b)); err != nil {
				return err
			}
			m, _ := crop.CutMask(gt, b)
			if err := imageio.WritePNG(maskPath, m); err != nil {
				return err
			}
		}
	}
	return nil
}
