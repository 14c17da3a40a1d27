package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/merge"
)

// Scores are the anomaly scores of crops as the reference stores them
// (scores_json/<category>.json): anomaly type → crop file name → score.
type Scores map[string]map[string]float64

// ReadScores reads a reference-style scores JSON file.
func ReadScores(path string) (Scores, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	var s Scores
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("train: parse %s: %w", path, err)
	}
	return s, nil
}

// PLRWeight is the reference's pseudo-label correction weight
// max(0, threshold − score); threshold −1 switches it off (weight 0).
// The reference threshold is 0.5.
func PLRWeight(score, threshold float64) float32 {
	if threshold == -1 {
		return 0
	}
	return float32(max(0, threshold-score))
}

// CropSet is a training set read from crop folders.
type CropSet struct {
	Items      []Item
	BaseTypes  []string // labeled classes, index = Item.Label
	NovelTypes []string // anomaly-type folders of the unlabeled crops (U = len)
}

// ReadCropSet lists the training items of two crop folders in the "aebad"
// layout of core/dataset (<dir>/<type>/<stem>_crop<k>.png with masks in
// <dir>/ground_truth/<type>/): every crop of crops becomes an unlabeled item
// grouped by merge.ImageKey, every crop of base (optional, "" = none) a
// labeled item whose label is its type's index in sorted order. Unlabeled
// items are listed first. With scores (nil = none) each unlabeled crop gets
// PLRWeight(score, threshold); a crop without a score is an error.
func ReadCropSet(crops, base string, scores Scores, threshold float64) (CropSet, error) {
	var cs CropSet
	unl, err := readCrops(crops)
	if err != nil {
		return cs, err
	}
	seen := map[string]bool{}
	for _, s := range unl {
		it := Item{Image: s.ImagePath, Mask: s.MaskPath, Label: -1, Group: merge.ImageKey(s.Type, filepath.Base(s.ImagePath))}
		if scores != nil {
			sc, ok := scores[s.Type][filepath.Base(s.ImagePath)]
			if !ok {
				return cs, fmt.Errorf("train: no anomaly score for crop %s (type %q)", s.ImagePath, s.Type)
			}
			it.Weight = PLRWeight(sc, threshold)
		}
		cs.Items = append(cs.Items, it)
		if !seen[s.Type] {
			seen[s.Type] = true
			cs.NovelTypes = append(cs.NovelTypes, s.Type)
		}
	}
	sort.Strings(cs.NovelTypes)
	if base == "" {
		return cs, nil
	}
	return cs, cs.AddBase(base)
}

// AddBase appends the crops of a labeled base folder (core/dataset's
// "aebad" layout) as labeled items, labels being their types' indices in
// sorted order.
func (cs *CropSet) AddBase(base string) error {
	lab, err := readCrops(base)
	if err != nil {
		return err
	}
	index := map[string]int{}
	for _, s := range lab {
		if _, ok := index[s.Type]; !ok {
			index[s.Type] = 0
			cs.BaseTypes = append(cs.BaseTypes, s.Type)
		}
	}
	sort.Strings(cs.BaseTypes)
	for i, t := range cs.BaseTypes {
		index[t] = i
	}
	for _, s := range lab {
		cs.Items = append(cs.Items, Item{Image: s.ImagePath, Mask: s.MaskPath, Label: index[s.Type], Group: merge.ImageKey(s.Type, filepath.Base(s.ImagePath))})
	}
	return nil
}

func readCrops(dir string) ([]dataset.Sample, error) {
	set, err := dataset.Open(dataset.FormatAeBAD, dir)
	if err != nil {
		return nil, fmt.Errorf("train: crop folder: %w", err)
	}
	var all []dataset.Sample
	for _, cat := range set.Categories {
		s, err := set.Samples(cat)
		if err != nil {
			return nil, err
		}
		all = append(all, s...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("train: crop folder %s holds no crops", dir)
	}
	return all, nil
}
