package features

import "fmt"

// Params configures the extractor. The zero value means the defaults:
// Stride 4, Sigmas {1, 2, 4}, MaxSide 256.
type Params struct {
	// Stride is the patch cell size in pixels of the working image (0: 4).
	Stride int
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
	if p.MaxSide > 0 && p.MaxSide < p.Stride {
		return fmt.Errorf("features: max side %d smaller than stride %d", p.MaxSide, p.Stride)
	}
	return nil
}
