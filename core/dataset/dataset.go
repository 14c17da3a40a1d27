package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Format names accepted by Open.
const (
	FormatMVTec = "mvtec"
	FormatMTD   = "mtd"
	FormatAeBAD = "aebad"
)

// Formats lists the layouts Open understands, sorted.
func Formats() []string { return []string{FormatAeBAD, FormatMTD, FormatMVTec} }

// Reserved names of the layouts.
const (
	// GoodType is the Type of normal images.
	GoodType = "good"
	// CombinedType is MVTec AD's folder of images with several defect classes.
	CombinedType = "combined"
	// MTDCategory is the single category of the MTD layout.
	MTDCategory = "mtd"
	// AeBADCategory is the single category of the AeBAD layout.
	AeBADCategory = "aebad"
	// GroundTruthDir is the folder holding masks in every layout.
	GroundTruthDir = "ground_truth"
	// mtdFreeDir is MTD's folder of defect-free images.
	mtdFreeDir = "MT_Free"
)

// Split names.
const (
	SplitTrain = "train"
	SplitTest  = "test"
)

// Sample is one image of a dataset.
type Sample struct {
	Category  string // product category, e.g. "capsule"; "mtd" for MTD
	Split     string // "train" or "test"
	Type      string // defect type folder name; "good" for normal images
	ImagePath string // absolute or root-joined path
	MaskPath  string // ground-truth mask path; "" when none (good images)
}

// Set is an opened dataset. The zero value holds no categories; use Open.
type Set struct {
	Format     string // "mvtec", "mtd" or "aebad"
	Root       string
	Categories []string // sorted

	samples map[string][]Sample // by category, sorted
}

// Open scans the dataset at root in the given layout and validates it. Errors
// name the offending path.
func Open(format, root string) (*Set, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", root, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("dataset %s: not a folder", root)
	}
	s := &Set{Format: format, Root: root, samples: map[string][]Sample{}}
	switch format {
	case FormatMVTec:
		err = s.scanMVTec()
	case FormatMTD:
		err = s.scanMTD()
	case FormatAeBAD:
		err = s.scanAeBAD()
	default:
		return nil, fmt.Errorf("dataset %s: unknown format %q (allowed: %s)", root, format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return nil, err
	}
	for cat, list := range s.samples {
		sortSamples(list)
		s.samples[cat] = list
		s.Categories = append(s.Categories, cat)
	}
	sort.Strings(s.Categories)
	if len(s.Categories) == 0 {
		return nil, fmt.Errorf("dataset %s: no %s category found", root, format)
	}
	return s, nil
}

// Samples returns a copy of the category's samples sorted by split, type and
// file name.
func (s *Set) Samples(category string) ([]Sample, error) {
	list, ok := s.samples[category]
	if !ok {
		return nil, fmt.Errorf("dataset %s: unknown category %q (allowed: %s)", s.Root, category, strings.Join(s.Categories, ", "))
	}
	return append([]Sample(nil), list...), nil
}

// DefectTypes returns the category's sorted test defect types, without
// "good" and "combined". An unknown category gives nil.
func (s *Set) DefectTypes(category string) []string {
	seen := map[string]bool{}
	var types []string
	for _, smp := range s.samples[category] {
		if smp.Type == GoodType || smp.Type == CombinedType || seen[smp.Type] {
			continue
		}
		if s.Format != FormatAeBAD && smp.Split != SplitTest {
			continue
		}
		seen[smp.Type] = true
		types = append(types, smp.Type)
	}
	sort.Strings(types)
	return types
}

func sortSamples(list []Sample) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Split != b.Split {
			return a.Split < b.Split
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return filepath.Base(a.ImagePath) < filepath.Base(b.ImagePath)
	})
}
