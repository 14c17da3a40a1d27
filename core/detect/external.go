package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/anomalyncd/ancd/core/imageio"
)

// External reads precomputed anomaly maps of another detector (method
// "maps"): 8-bit map files in <Root>/<category>/<type>/, paired with a
// category's test images of that type by sorted index, as the reference
// pairs maps with images (file names may differ). The maps are returned on
// the 0..255 scale and written back unchanged.
type External struct{ Root string }

// Name implements Detector.
func (External) Name() string { return "maps" }

// Detect implements Detector.
func (d External) Detect(in Input) ([]Map, error) {
	if len(in.TestTypes) != in.Test.Len() {
		return nil, fmt.Errorf("detect maps: %d test types for %d test images", len(in.TestTypes), in.Test.Len())
	}
	files := map[string][]string{}
	seen := map[string]int{}
	out := make([]Map, in.Test.Len())
	for i, typ := range in.TestTypes {
		dir := filepath.Join(d.Root, in.Category, typ)
		list, ok := files[typ]
		if !ok {
			ents, err := os.ReadDir(dir)
			if err != nil {
				return nil, fmt.Errorf("detect maps: %w", err)
			}
			for _, e := range ents {
				if !e.IsDir() && imageio.IsImageFile(e.Name()) {
					list = append(list, e.Name())
				}
			}
			sort.Strings(list)
			files[typ] = list
		}
		k := seen[typ]
		seen[typ]++
		if k >= len(list) {
			return nil, fmt.Errorf("detect maps: %s has %d maps, fewer than the test images of type %q", dir, len(list), typ)
		}
		path := filepath.Join(dir, list[k])
		g, err := imageio.ReadGray(path)
		if err != nil {
			return nil, err
		}
		w, h := g.Rect.Dx(), g.Rect.Dy()
		img, err := in.Test.RGB(i)
		if err != nil {
			return nil, err
		}
		if err := imageio.SameSize(path, g.Rect, in.Test.Name(i), img.Rect); err != nil {
			return nil, err
		}
		m := Map{W: w, H: h, Pix: make([]float32, w*h)}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				m.Pix[y*w+x] = float32(g.Pix[y*g.Stride+x])
			}
		}
		out[i] = m
	}
	for typ, n := range seen {
		if n != len(files[typ]) {
			return nil, fmt.Errorf("detect maps: %s has %d maps for %d test images", filepath.Join(d.Root, in.Category, typ), len(files[typ]), n)
		}
	}
	return out, nil
}
