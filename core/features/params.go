package features

import "fmt"

// Params configures the extractor. The zero value means the defaults:
// Stride 4, Sigmas {1, 2, 4}, MaxSide 256, Cells 0.
type Params struct {
	// Stride is the patch cell size in pixels of the working image (0: 4).
	Stride int
	// Cells > 0 replaces Stride per image: the cell is ceil(L / Cells)
	// pixels, L being the longer side of the working image, so that the
	// grid has about Cells cells along that side whatever the image size.
	Cells int
	// Sigmas are the Gaussian scales in pixels (nil: 1, 2, 4).
	Sigmas []float64
	// MaxSide bounds the longer side of the working image; larger images
	// are resized down before extraction (0: 256; negative: never resize).
	MaxSide int
}

// ResponsesPerScale is the number of filter responses computed at each scale.
const ResponsesPerScale = 9

// withDefaults returns p with zero fields replaced by the defaults.
func (p Params) withDefaults() Params {
	if p.Stride == 0 {
		p.Stride = 4
	}
	if p.Sigmas == nil {
		p.Sigmas = []float64{1, 2, 4}
	}
	if p.MaxSide == 0 {
		p.MaxSide = 256
	}
	return p
}

// StrideFor returns the cell size in pixels for a working image of w x h:
// Stride, or ceil(max(w, h) / Cells) when Cells > 0 (at least 1).
func (p Params) StrideFor(w, h int) int {
	p = p.withDefaults()
	if p.Cells <= 0 {
		return p.Stride
	}
	return max(1, (max(w, h)+p.Cells-1)/p.Cells)
}

// Resolved returns p with every default filled in.
func (p Params) Resolved() Params { return p.withDefaults() }

// Dim is the length of one feature vector.
func (p Params) Dim() int { return ResponsesPerScale * len(p.withDefaults().Sigmas) }

// Validate reports the first invalid field.
func (p Params) Validate() error {
	p = p.withDefaults()
	if p.Stride < 1 {
		return fmt.Errorf("features: stride %d must be >= 1", p.Stride)
	}
	if len(p.Sigmas) == 0 {
		return fmt.Errorf("features: sigmas must not be empty")
	}
	for _, s := range p.Sigmas {
		if !(s > 0) || s > 64 {
			return fmt.Errorf("features: sigma %v must be in (0, 64]", s)
		}
	}
	if p.Cells < 0 {
		return fmt.Errorf("features: cells %d must be >= 0", p.Cells)
	}
	if p.Cells == 0 && p.MaxSide > 0 && p.MaxSide < p.Stride {
		return fmt.Errorf("features: max side %d smaller than stride %d", p.MaxSide, p.Stride)
	}
	return nil
}
