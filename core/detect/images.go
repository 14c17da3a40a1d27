package detect

import (
	"bufio"
	"fmt"
	"image"
	"os"

	"github.com/anomalyncd/ancd/core/imageio"
)

// Images gives indexed access to the images of one split of a category.
// Implementations must be safe for concurrent calls with different indices.
type Images interface {
	// Len is the number of images.
	Len() int
	// Name identifies image i in errors (usually its path).
	Name(i int) string
	// RGB loads image i.
	RGB(i int) (*image.RGBA, error)
	// Mask loads the ground truth of image i; nil with a nil error means
	// an all-normal image.
	Mask(i int) (*image.Gray, error)
}

// MemoryImages holds images in memory. Masks may be nil or shorter than
// Images; a missing or nil mask means an all-normal image.
type MemoryImages struct {
	Names  []string
	Images []*image.RGBA
	Masks  []*image.Gray
}

// Len implements Images.
func (m MemoryImages) Len() int { return len(m.Images) }

// Name implements Images; it falls back to "image <i>".
func (m MemoryImages) Name(i int) string {
	if i < len(m.Names) {
		return m.Names[i]
	}
	return fmt.Sprintf("image %d", i)
}

// RGB implements Images.
func (m MemoryImages) RGB(i int) (*image.RGBA, error) { return m.Images[i], nil }

// Mask implements Images.
func (m MemoryImages) Mask(i int) (*image.Gray, error) {
	if i < len(m.Masks) {
		return m.Masks[i], nil
	}
	return nil, nil
}

// FileImage names the files of one image; MaskPath "" means all normal.
type FileImage struct {
	ImagePath, MaskPath string
}

// FileImages reads images and masks from files with core/imageio.
type FileImages []FileImage

// Len implements Images.
func (f FileImages) Len() int { return len(f) }

// Name implements Images.
func (f FileImages) Name(i int) string { return f[i].ImagePath }

// RGB implements Images.
func (f FileImages) RGB(i int) (*image.RGBA, error) { return imageio.ReadRGB(f[i].ImagePath) }

// Mask implements Images; masks whose size differs from the image's are an
// error naming both files.
func (f FileImages) Mask(i int) (*image.Gray, error) {
	if f[i].MaskPath == "" {
		return nil, nil
	}
	m, err := imageio.ReadGray(f[i].MaskPath)
	if err != nil {
		return nil, err
	}
	w, h, err := imageSize(f[i].ImagePath)
	if err != nil {
		return nil, err
	}
	if err := imageio.SameSize(f[i].ImagePath, image.Rect(0, 0, w, h), f[i].MaskPath, m.Bounds()); err != nil {
		return nil, err
	}
	return m, nil
}

// imageSize reads only the header of an image file.
func imageSize(path string) (int, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return 0, 0, fmt.Errorf("%s: cannot read image header: %w", path, err)
	}
	return cfg.Width, cfg.Height, nil
}
