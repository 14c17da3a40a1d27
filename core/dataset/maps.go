package dataset

// Anomaly-map folders (owned with maps_test.go by the binarize stage).
//
// Three layouts are read by ReadMapSets:
//   - flat: image files directly under the root form one set (Category "");
//   - map root: <root>/<category>/<type>/*.png, one set per category holding
//     every type folder except "combined", which is skipped;
//   - category folder: <root>/<type>/*.png, one category's folder of the map
//     root layout: one set named after the folder (Category = its base
//     name), files "<type>/<file>" relative to it ("combined" skipped).
//
// Non-image files are ignored. Within a type folder maps are sorted by file
// name, and pair with images by that sorted index (PairImages), as the
// reference does.

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/anomalyncd/ancd/core/imageio"
)

// MapSet is the set of anomaly maps of one category: the unit over which
// MEBin computes its search range.
type MapSet struct {
	// Category is the category folder name, "" for a flat folder.
	Category string
	// Files are the map paths relative to the maps root, slash-separated,
	// sorted by type folder and then file name.
	Files []string
	// Types holds the anomaly-type folder of each file ("" when flat).
	Types []string
	// Maps are the decoded 8-bit maps (16-bit maps scaled by >> 8).
	Maps []*image.Gray
	// CategoryFolder says the maps root is this category's own folder
	// (Files are "<type>/<file>"), not a root of category folders.
	CategoryFolder bool
}

// MapPath returns where a detector writes the map of one image in the map
// root layout: <root>/<category>/<defectType>/<stem>.png.
func MapPath(root, category, defectType, stem string) string {
	return filepath.Join(root, category, defectType, stem+".png")
}

// FileStem returns a file name up to its first '.', the reference's stem.
func FileStem(name string) string {
	name = filepath.Base(name)
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}

// ReadMapSets reads every map set under root (see the layouts above). Errors
// name the file or folder; an empty root is an error.
func ReadMapSets(root string) ([]MapSet, error) {
	sets, err := ListMapSets(root)
	if err != nil {
		return nil, err
	}
	for i := range sets {
		if err := sets[i].Load(root); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

// ListMapSets lists the map sets under root like ReadMapSets without
// decoding them (Maps nil): callers that go set by set Load each in turn
// and drop it, so that only one category's maps are in memory at a time.
func ListMapSets(root string) ([]MapSet, error) {
	flat, err := mapImageFiles(root)
	if err != nil {
		return nil, err
	}
	var sets []MapSet
	if len(flat) > 0 {
		set := MapSet{}
		for _, f := range flat {
			set.Files = append(set.Files, f)
			set.Types = append(set.Types, "")
		}
		sets = append(sets, set)
	} else if set, ok, err := categoryFolder(root); err != nil {
		return nil, err
	} else if ok {
		sets = append(sets, set)
	} else {
		cats, err := mapSubdirs(root)
		if err != nil {
			return nil, err
		}
		for _, cat := range cats {
			types, err := mapSubdirs(filepath.Join(root, cat))
			if err != nil {
				return nil, err
			}
			set := MapSet{Category: cat}
			for _, typ := range types {
				if typ == CombinedType {
					slog.Info("skipping anomaly maps of the combined type", "folder", filepath.Join(root, cat, typ))
					continue
				}
				files, err := mapImageFiles(filepath.Join(root, cat, typ))
				if err != nil {
					return nil, err
				}
				for _, f := range files {
					set.Files = append(set.Files, cat+"/"+typ+"/"+f)
					set.Types = append(set.Types, typ)
				}
			}
			if len(set.Files) == 0 {
				slog.Warn("category without anomaly maps", "folder", filepath.Join(root, cat))
				continue
			}
			sets = append(sets, set)
		}
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("%s: no anomaly maps (expected image files, or <category>/<type>/ folders of them)", root)
	}
	return sets, nil
}

// Load decodes the set's maps (files under root) into Maps.
func (s *MapSet) Load(root string) error {
	maps, err := decodeMaps(root, s.Files)
	if err != nil {
		return err
	}
	s.Maps = maps
	return nil
}

// categoryFolder lists root as one category's folder of type folders when a
// sub-folder of root holds image files directly; ok is false otherwise.
func categoryFolder(root string) (set MapSet, ok bool, err error) {
	types, err := mapSubdirs(root)
	if err != nil {
		return set, false, err
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return set, false, err
	}
	set = MapSet{Category: filepath.Base(abs), CategoryFolder: true}
	for _, typ := range types {
		files, err := mapImageFiles(filepath.Join(root, typ))
		if err != nil {
			return set, false, err
		}
		if len(files) > 0 {
			ok = true
		}
		if typ == CombinedType {
			continue
		}
		for _, f := range files {
			set.Files = append(set.Files, typ+"/"+f)
			set.Types = append(set.Types, typ)
		}
	}
	if ok && len(set.Files) == 0 {
		return set, false, fmt.Errorf("%s: only combined-type anomaly maps", root)
	}
	return set, ok, nil
}

// decodeMaps decodes in parallel; the error reported is the first by index.
func decodeMaps(root string, files []string) ([]*image.Gray, error) {
	maps := make([]*image.Gray, len(files))
	errs := make([]error, len(files))
	g, _ := errgroup.WithContext(context.Background())
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			maps[i], errs[i] = imageio.ReadGray(filepath.Join(root, filepath.FromSlash(f)))
			return nil
		})
	}
	g.Wait()
	return maps, firstError(errs)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// PairImages returns, for every map of a set, the path of its image under
// imagesRoot, which mirrors the maps layout (<imagesRoot>/<category>/<type>/
// or flat); a dataset root in the MVTec layout (<imagesRoot>/<category>/test/
// <type>/) is accepted too. For a category-folder set, imagesRoot may also be
// that category's own folder (<imagesRoot>/<type>/ or <imagesRoot>/test/<type>/). Maps and images pair by sorted index within each type folder;
// the counts must match, and differing stems are logged as warnings.
func PairImages(set MapSet, imagesRoot string) ([]string, error) {
	out := make([]string, len(set.Files))
	for start := 0; start < len(set.Files); {
		end := start
		for end < len(set.Files) && set.Types[end] == set.Types[start] {
			end++
		}
		dir := filepath.Join(imagesRoot, set.Category, set.Types[start])
		if mvtecDir := filepath.Join(imagesRoot, set.Category, "test", set.Types[start]); set.Category != "" && !isDir(dir) && isDir(mvtecDir) {
			dir = mvtecDir // an MVTec-style root: <root>/<category>/test/<type>/
		}
		if set.CategoryFolder && !isDir(dir) {
			for _, d := range []string{filepath.Join(imagesRoot, set.Types[start]), filepath.Join(imagesRoot, "test", set.Types[start])} {
				if isDir(d) {
					dir = d // imagesRoot is the category's own folder
					break
				}
			}
		}
		images, err := mapImageFiles(dir)
		if err != nil {
			return nil, err
		}
		if len(images) != end-start {
			return nil, fmt.Errorf("%s: %d images for %d anomaly maps in %s", dir, len(images), end-start,
				filepath.Dir(filepath.FromSlash(set.Files[start])))
		}
		for k, img := range images {
			mapFile := set.Files[start+k]
			if FileStem(img) != FileStem(mapFile) {
				slog.Warn("map and image paired by sorted index have different names", "map", mapFile, "image", filepath.Join(dir, img))
			}
			out[start+k] = filepath.Join(dir, img)
		}
		start = end
	}
	return out, nil
}

// mapImageFiles lists the image files directly in dir, sorted by name.
func mapImageFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && imageio.IsImageFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// mapSubdirs lists the sub-folders of dir, sorted, hidden ones skipped.
func mapSubdirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// ReadCombinedMaps reads the maps of a category's combined-type folder
// (<root>/<category>/combined/), which ReadMapSets leaves out because they
// must not enter a set's search range. ok is false when there is no such
// folder.
func ReadCombinedMaps(root, category string) (set MapSet, ok bool, err error) {
	dir := filepath.Join(root, category, CombinedType)
	if !isDir(dir) {
		return MapSet{}, false, nil
	}
	files, err := mapImageFiles(dir)
	if err != nil {
		return MapSet{}, false, err
	}
	set = MapSet{Category: category}
	for _, f := range files {
		m, err := imageio.ReadGray(filepath.Join(dir, f))
		if err != nil {
			return MapSet{}, false, err
		}
		set.Files = append(set.Files, category+"/"+CombinedType+"/"+f)
		set.Types = append(set.Types, CombinedType)
		set.Maps = append(set.Maps, m)
	}
	return set, len(files) > 0, nil
}
