package train

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/anomalyncd/ancd/core/optim"
)

// Config holds everything that changes the trained weights. The zero value
// is not usable; start from [DefaultConfig].
type Config struct {
	Epochs      int     `json:"epochs"`        // reference 50
	BatchSize   int     `json:"batch_size"`    // reference 32 (the last batch may be smaller)
	LR          float64 `json:"lr"`            // reference 0.003
	MinLRFactor float64 `json:"min_lr_factor"` // cosine floor eta_min = LR·factor, reference 1e-3
	Momentum    float64 `json:"momentum"`      // reference 0.9
	WeightDecay float64 `json:"weight_decay"`  // reference 5e-5, only on Param.Decay
	Seed        uint64  `json:"seed"`          // sampler and augmentation seed
	ImageSize   int     `json:"image_size"`    // network input S, reference 224
	// PLR turns pseudo-label refinement on: unlabeled rows carry their
	// item's Weight (reference max(0, 0.5 − score)); off gives weight 0.
	PLR bool `json:"plr"`
	// Teacher is the teacher-temperature staircase. Zero value: the
	// reference's schedule scaled to Epochs (optim.ReferenceTeacherTemp).
	Teacher optim.TeacherTemp `json:"teacher"`
	// HeadInit is how the heads start: HeadInitRandom (reference; "" is
	// the same) or HeadInitKMeans (from the loaded backbone's features).
	HeadInit string `json:"head_init,omitempty"`
	// ScaleAugment scales the blur σ of the train views to the input size
	// (augment.ScaledBlur); false is the reference's 224-px range.
	ScaleAugment bool `json:"scale_augment,omitempty"`
	// CropMinScale > 0 makes every train view from a random resized crop
	// of its item covering at least this fraction of it
	// (augment.ResizedCrop); 0 (the reference) uses whole items.
	CropMinScale float64 `json:"crop_min_scale,omitempty"`
	// RegionMasks gives items without a mask a random region mask in the
	// train views (augment.RegionMasks); false keeps them empty.
	RegionMasks bool `json:"region_masks,omitempty"`
	// EMATeacher > 0 takes the self-distillation targets from an
	// exponential-moving-average teacher with this momentum (DINO's
	// teacher; see emaTeacher) instead of each head's own logits (the
	// reference: 0). The model must be a *mgvit.Model (it is cloned).
	EMATeacher float64 `json:"ema_teacher,omitempty"`
}

// DefaultConfig returns the reference's training configuration.
func DefaultConfig() Config {
	return Config{Epochs: 50, BatchSize: 32, LR: 0.003, MinLRFactor: 1e-3, Momentum: 0.9,
		WeightDecay: 5e-5, Seed: 0, ImageSize: 224, PLR: true}
}

// Validate reports the first unusable field.
func (c Config) Validate() error {
	switch {
	case c.Epochs <= 0:
		return fmt.Errorf("train: epochs %d must be positive", c.Epochs)
	case c.BatchSize <= 0:
		return fmt.Errorf("train: batch_size %d must be positive", c.BatchSize)
	case c.LR <= 0:
		return fmt.Errorf("train: lr %g must be positive", c.LR)
	case c.MinLRFactor < 0 || c.MinLRFactor > 1:
		return fmt.Errorf("train: min_lr_factor %g outside [0,1]", c.MinLRFactor)
	case c.Momentum < 0 || c.Momentum >= 1:
		return fmt.Errorf("train: momentum %g outside [0,1)", c.Momentum)
	case c.WeightDecay < 0:
		return fmt.Errorf("train: weight_decay %g must be >= 0", c.WeightDecay)
	case c.ImageSize < 8:
		return fmt.Errorf("train: image_size %d too small", c.ImageSize)
	case c.CropMinScale < 0 || c.CropMinScale > 1:
		return fmt.Errorf("train: crop_min_scale %g outside [0,1]", c.CropMinScale)
	case c.EMATeacher < 0 || c.EMATeacher >= 1:
		return fmt.Errorf("train: ema_teacher %g outside [0,1)", c.EMATeacher)
	case !validHeadInit(c.HeadInit):
		return fmt.Errorf("train: head_init %q is not %s or %s", c.HeadInit, HeadInitRandom, HeadInitKMeans)
	}
	return nil
}

// teacher returns the teacher schedule in use.
func (c Config) teacher() optim.TeacherTemp {
	if c.Teacher == (optim.TeacherTemp{}) {
		return optim.ReferenceTeacherTemp(c.Epochs)
	}
	return c.Teacher
}

// hash identifies the configuration and the training items; a checkpoint
// written under another hash is refused on resume.
func (c Config) hash(items []Item) string {
	h := sha256.New()
	c.Teacher = c.teacher()
	json.NewEncoder(h).Encode(c)
	json.NewEncoder(h).Encode(items)
	return hex.EncodeToString(h.Sum(nil))[:16]
}
