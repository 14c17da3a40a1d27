package stages

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/experiments"
)

// ItemsFile lists the training items of a crop entry.
const ItemsFile = "items.json"

// CropItem is one sub-image of an unlabeled test image.
type CropItem struct {
	Dataset  string `json:"dataset"`
	Category string `json:"category"`
	// Type is the anomaly-type folder of the source image (the true class).
	Type string `json:"type"`
	// Group is the source image, "<type>/<stem>.png" (the merge key).
	Group string `json:"group"`
	// Image and Mask are paths relative to the store root.
	Image string `json:"image"`
	Mask  string `json:"mask"`
	// Score is the crop's anomaly score (its PLR weight is computed from it
	// by the train stage, which reads crop.anomaly_thred).
	Score float64 `json:"score"`
	// MaskArea counts the 255 pixels of the mask crop (area-weighted merging).
	MaskArea int `json:"mask_area"`
}

// cropStage lists the training items: the anomaly-centred crops of the
// binarize entry, or (crop.enabled false, Table VI) one item per whole image
// with its full binary mask. A whole image's score is the largest score of
// its crops.
func cropStage(ctx context.Context, job experiments.Job) error {
	dirs, err := inputs(job, experiments.StageData, experiments.StageBinarize)
	if err != nil {
		return err
	}
	dataDir, binDir := dirs[0], dirs[1]
	ds, err := ReadDatasets(dataDir)
	if err != nil {
		return err
	}
	storeRoot := filepath.Dir(filepath.Dir(binDir))
	var items []CropItem
	for _, d := range ds.Datasets {
		rep, err := crop.ReadReport(filepath.Join(binDir, d.Name))
		if err != nil {
			return err
		}
		for _, r := range rep.Maps {
			parts := strings.Split(r.File, "/")
			if len(parts) != 3 {
				return fmt.Errorf("%s: map %q is not <category>/<type>/<file>", filepath.Join(binDir, d.Name, crop.ReportFile), r.File)
			}
			cat, typ := parts[0], parts[1]
			stem := dataset.FileStem(r.File)
			group := typ + "/" + stem + ".png"
			relDir := path.Join(cat, typ)
			if !job.Config.Crop.Enabled {
				best := 0.0
				for _, s := range r.Scores {
					best = max(best, float64(s))
				}
				area := 0
				for _, a := range r.MaskPixels {
					area = max(area, a)
				}
				items = append(items, CropItem{
					Dataset: d.Name, Category: cat, Type: typ, Group: group,
					Image: rel(storeRoot, filepath.Join(d.Root, imageRel(d, cat, typ, r.Image))),
					Mask:  rel(storeRoot, filepath.Join(binDir, d.Name, "binary_masks", relDir, stem+".png")),
					Score: best, MaskArea: area,
				})
				continue
			}
			for k, name := range r.Crops {
				items = append(items, CropItem{
					Dataset: d.Name, Category: cat, Type: typ, Group: group,
					Image:    rel(storeRoot, filepath.Join(binDir, d.Name, "crops", relDir, name)),
					Mask:     rel(storeRoot, filepath.Join(binDir, d.Name, "mask_crops", relDir, name)),
					Score:    float64(r.Scores[k]),
					MaskArea: r.MaskPixels[k],
				})
			}
		}
	}
	fmt.Fprintf(job.Log, "%d items (crop enabled: %v)\n", len(items), job.Config.Crop.Enabled)
	return writeJSON(filepath.Join(job.Out, ItemsFile), items)
}

// imageRel is the path of a test image relative to its dataset root, given
// the image path recorded by binarize (relative to the images root).
func imageRel(d DatasetRef, cat, typ, recorded string) string {
	name := path.Base(recorded)
	if d.Format == dataset.FormatMTD {
		return filepath.Join("test", typ, name)
	}
	return filepath.Join(cat, "test", typ, name)
}

// storeRel returns p relative to the store root when p lies inside it (so
// that stage outputs do not depend on where the store is), else p.
func storeRel(storeRoot, p string) string {
	rel, err := filepath.Rel(storeRoot, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// ReadCropItems reads a crop entry's items (ItemsFile) and the store root
// that their paths are relative to.
func ReadCropItems(cropDir string) ([]CropItem, string, error) {
	var items []CropItem
	if err := readJSON(filepath.Join(cropDir, ItemsFile), &items); err != nil {
		return nil, "", err
	}
	return items, filepath.Dir(filepath.Dir(cropDir)), nil
}
