package synth

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/imageio"
)

// galleryGap is the spacing between cells, in pixels.
const galleryGap = 4

// Gallery writes a PNG grid for one category of set: one row per type
// (normal first, then the defect types, then "combined" when present), each
// holding up to perType image/mask pairs side by side (the first samples in
// file order; normal rows show a black mask). All cells take the size of the
// category's first image; other sizes are resampled (nearest).
func Gallery(set *dataset.Set, category string, perType int, out string) error {
	return gallery(set, category, perType, "", out)
}

// GalleryWithMaps is Gallery with a third cell per sample: its anomaly map
// from mapsRoot, in the anomaly-map layout <mapsRoot>/<category>/<type>/<stem>.png.
func GalleryWithMaps(set *dataset.Set, category string, perType int, mapsRoot, out string) error {
	return gallery(set, category, perType, mapsRoot, out)
}

func gallery(set *dataset.Set, category string, perType int, mapsRoot, out string) error {
	if perType < 1 {
		return fmt.Errorf("synth: gallery perType %d: want >= 1", perType)
	}
	samples, err := set.Samples(category)
	if err != nil {
		return err
	}
	rows := map[string][]dataset.Sample{}
	for _, s := range samples {
		if s.Split == dataset.SplitTrain && s.Type == dataset.GoodType {
			continue
		}
		if len(rows[s.Type]) < perType {
			rows[s.Type] = append(rows[s.Type], s)
		}
	}
	if len(rows[dataset.GoodType]) == 0 {
		for _, s := range samples {
			if s.Type == dataset.GoodType && len(rows[s.Type]) < perType {
				rows[s.Type] = append(rows[s.Type], s)
			}
		}
	}
	order := append([]string{dataset.GoodType}, set.DefectTypes(category)...)
	order = append(order, dataset.CombinedType)
	var grid [][]dataset.Sample
	for _, t := range order {
		if len(rows[t]) > 0 {
			grid = append(grid, rows[t])
		}
	}
	if len(grid) == 0 {
		return fmt.Errorf("synth: gallery: category %q of %s has no samples", category, set.Root)
	}
	first, err := imageio.ReadRGB(grid[0][0].ImagePath)
	if err != nil {
		return err
	}
	cw, ch := first.Bounds().Dx(), first.Bounds().Dy()
	cells := 2
	if mapsRoot != "" {
		cells = 3
	}
	W := galleryGap + perType*cells*(cw+galleryGap)
	H := galleryGap + len(grid)*(ch+galleryGap)
	canvas := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.RGBA{230, 230, 230, 255}), image.Point{}, draw.Src)
	for ri, row := range grid {
		y := galleryGap + ri*(ch+galleryGap)
		for ci, s := range row {
			x := galleryGap + ci*cells*(cw+galleryGap)
			img, err := imageio.ReadRGB(s.ImagePath)
			if err != nil {
				return err
			}
			blit(canvas, img, x, y, cw, ch)
			mask := image.Image(image.NewGray(image.Rect(0, 0, cw, ch)))
			if s.MaskPath != "" {
				if mask, err = imageio.ReadGray(s.MaskPath); err != nil {
					return err
				}
			}
			blit(canvas, mask, x+cw+galleryGap, y, cw, ch)
			if mapsRoot != "" {
				m, err := imageio.ReadGray(dataset.MapPath(mapsRoot, category, s.Type, dataset.FileStem(s.ImagePath)))
				if err != nil {
					return err
				}
				blit(canvas, m, x+2*(cw+galleryGap), y, cw, ch)
			}
		}
	}
	return imageio.WritePNG(out, canvas)
}

// blit draws src scaled (nearest neighbour) into the w x h cell at (x, y).
func blit(dst *image.RGBA, src image.Image, x, y, w, h int) {
	b := src.Bounds()
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			dst.Set(x+i, y+j, src.At(b.Min.X+i*b.Dx()/w, b.Min.Y+j*b.Dy()/h))
		}
	}
}
