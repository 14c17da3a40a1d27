package train

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/imageio"
)

// Item is one crop of the training set.
type Item struct {
	Image  string  `json:"image"`  // crop image path
	Mask   string  `json:"mask"`   // crop mask path; "" = empty mask (full-image crop)
	Label  int     `json:"label"`  // base-class index 0..L-1, or -1 for unlabeled (novel) crops
	Weight float32 `json:"weight"` // PLR weight of unlabeled crops, reference max(0, 0.5 − score)
	Group  string  `json:"group"`  // image the crop was cut from (merge key); informational here
}

// Labeled reports whether the item belongs to the labeled base set.
func (it Item) Labeled() bool { return it.Label >= 0 }

// ReadItems reads a JSON array of items.
func ReadItems(path string) ([]Item, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	var items []Item
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("train: parse %s: %w", path, err)
	}
	return items, nil
}

// resolve returns path, joined to root when root is set and path relative.
func resolve(root, path string) string {
	if root == "" || path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}

// load decodes an item's image and mask, relative paths taken from root.
func (it Item) load(root string) (augment.Source, error) {
	imgPath, maskPath := resolve(root, it.Image), resolve(root, it.Mask)
	img, err := imageio.ReadRGB(imgPath)
	if err != nil {
		return augment.Source{}, err
	}
	src := augment.Source{Image: img}
	if maskPath != "" {
		if src.Mask, err = imageio.ReadGray(maskPath); err != nil {
			return augment.Source{}, err
		}
		if err := imageio.SameSize(imgPath, img.Bounds(), maskPath, src.Mask.Bounds()); err != nil {
			return augment.Source{}, err
		}
	}
	return src, nil
}

func checkItems(items []Item) error {
	if len(items) == 0 {
		return fmt.Errorf("train: no training items")
	}
	for i, it := range items {
		if it.Image == "" {
			return fmt.Errorf("train: item %d has no image path", i)
		}
		if it.Label < -1 {
			return fmt.Errorf("train: item %d (%s) has label %d, want -1 or a base-class index", i, it.Image, it.Label)
		}
		if it.Weight < 0 || it.Weight > 1 || it.Weight != it.Weight {
			return fmt.Errorf("train: item %d (%s) has PLR weight %v outside [0,1]", i, it.Image, it.Weight)
		}
	}
	return nil
}
