package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/anomalyncd/ancd/core/imageio"
)

// maskExtensions is the lookup order of mask file extensions.
var maskExtensions = []string{".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}

// listDirs returns the sorted names of the visible sub-folders of dir.
func listDirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !isDir(filepath.Join(dir, e.Name())) {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// listImages returns the sorted image file names of dir.
func listImages(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() || !imageio.IsImageFile(e.Name()) {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}

// stem is the file name without its extension.
func stem(name string) string { return strings.TrimSuffix(name, filepath.Ext(name)) }

// findMask returns the mask of image file name in gtDir, or an error naming
// the preferred path when none exists.
func findMask(gtDir, name string) (string, error) {
	st := stem(name)
	for _, suffix := range []string{"_mask", ""} {
		for _, ext := range maskExtensions {
			p := filepath.Join(gtDir, st+suffix+ext)
			if isFile(p) {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("dataset: missing ground-truth mask %s (or %s) for defect image %s",
		filepath.Join(gtDir, st+"_mask.png"), filepath.Join(gtDir, st+".png"), name)
}

// typeSamples lists the images of one type folder, attaching masks from gtDir
// unless the type is normal.
func typeSamples(category, split, typ, imgDir, gtDir string) ([]Sample, error) {
	names, err := listImages(imgDir)
	if err != nil {
		return nil, err
	}
	out := make([]Sample, 0, len(names))
	for _, n := range names {
		smp := Sample{Category: category, Split: split, Type: typ, ImagePath: filepath.Join(imgDir, n)}
		if typ != GoodType {
			if smp.MaskPath, err = findMask(gtDir, n); err != nil {
				return nil, fmt.Errorf("%w (image %s)", err, smp.ImagePath)
			}
		}
		out = append(out, smp)
	}
	return out, nil
}
