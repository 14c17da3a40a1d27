package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/core/crop"
)

// IsBinarizeOutput reports whether dir is the output of core/crop.RunStage
// (`ancd binarize`): it holds mebin.json.
func IsBinarizeOutput(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "mebin.json"))
	return err == nil
}

// ReadBinarizedCrops lists the unlabeled training items of one category of
// an `ancd binarize` output folder (core/crop's layout: crops/<category>/<type>/,
// mask_crops/<category>/<type>/, mebin.json). Each crop becomes an item grouped
// by its source image ("<type>/<stem>.png") with PLR weight
// PLRWeight(score, threshold). The combined type is left out. category may
// be "" when the folder holds one category (or a flat set); otherwise an
// error lists the categories. NovelTypes are the types found, sorted.
func ReadBinarizedCrops(dir, category string, threshold float64) (CropSet, error) {
	var cs CropSet
	raw, err := os.ReadFile(filepath.Join(dir, "mebin.json"))
	if err != nil {
		return cs, fmt.Errorf("train: %w", err)
	}
	var rep crop.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return cs, fmt.Errorf("train: %s: %w", filepath.Join(dir, "mebin.json"), err)
	}
	var cats []string
	for _, s := range rep.Sets {
		cats = append(cats, s.Category)
	}
	if category == "" && len(cats) > 1 {
		return cs, fmt.Errorf("train: %s holds categories %s; choose one with --category", dir, strings.Join(cats, ", "))
	}
	if category != "" && !slices.Contains(cats, category) {
		return cs, fmt.Errorf("train: %s has no category %q (it has %s)", dir, category, strings.Join(cats, ", "))
	}
	for _, r := range rep.Maps {
		rel := path.Dir(r.File) // "<category>/<type>" or "."
		parts := strings.Split(rel, "/")
		if len(parts) == 2 && (category != "" && parts[0] != category) {
			continue
		}
		typ := ""
		if len(parts) == 2 {
			typ = parts[1]
		}
		if typ == "combined" {
			continue
		}
		if len(r.Crops) == 0 {
			return cs, fmt.Errorf("train: %s: map %s has no crops (binarize ran without --images)", dir, r.File)
		}
		if !slices.Contains(cs.NovelTypes, typ) {
			cs.NovelTypes = append(cs.NovelTypes, typ)
		}
		stem := strings.TrimSuffix(path.Base(r.File), path.Ext(r.File))
		for k, name := range r.Crops {
			cs.Items = append(cs.Items, Item{
				Image:  filepath.Join(dir, "crops", filepath.FromSlash(rel), name),
				Mask:   filepath.Join(dir, "mask_crops", filepath.FromSlash(rel), name),
				Label:  -1,
				Weight: PLRWeight(float64(r.Scores[k]), threshold),
				Group:  typ + "/" + stem + ".png",
			})
		}
	}
	if len(cs.Items) == 0 {
		return cs, fmt.Errorf("train: %s: no crops", dir)
	}
	slices.Sort(cs.NovelTypes)
	return cs, nil
}
