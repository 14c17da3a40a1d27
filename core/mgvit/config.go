package mgvit

import "fmt"

// Placement says which query rows of attention the mask restricts (paper
// Table IV). The [CLS] key is always allowed, so every row keeps at least one
// finite score.
type Placement string

// The mask placements.
const (
	PlacementNone  Placement = "none"  // plain self-attention
	PlacementCLS   Placement = "cls"   // only the [CLS] query row (reference default)
	PlacementPatch Placement = "patch" // only the patch-token query rows
	PlacementAll   Placement = "all"   // every query row
)

// The rules for a mask that reaches the threshold on no patch (Config.MaskFallback).
const (
	MaskFallbackNone = "none"
	MaskFallbackMax  = "max"
)

// Config describes an MGViT and its training losses. The zero value is not
// usable: start from DefaultConfig (the reference ViT-B/8 setting) and change
// fields.
type Config struct {
	ImageSize int     `yaml:"image_size"` // input side S in pixels (224)
	PatchSize int     `yaml:"patch_size"` // patch side P; S must be a multiple (8)
	Dim       int     `yaml:"dim"`        // token width D (768)
	Depth     int     `yaml:"depth"`      // number of transformer blocks (12)
	Heads     int     `yaml:"heads"`      // attention heads; D must be a multiple (12)
	MLPRatio  float64 `yaml:"mlp_ratio"`  // MLP hidden width = round(D*ratio) (4)
	LNEps     float64 `yaml:"ln_eps"`     // LayerNorm epsilon (1e-6, DINO's ViT)

	// Stem is what a patch token is made from (StemPixels, the reference,
	// or StemFilterBank); "" means StemPixels.
	Stem Stem `yaml:"stem"`

	MaskLayers    int       `yaml:"mask_layers"`    // mask-guided attention in the last L_m blocks (9)
	MaskPlacement Placement `yaml:"mask_placement"` // which query rows are masked (cls)
	MaskThreshold float64   `yaml:"mask_threshold"` // pooled mask >= threshold is allowed (0.5)
	// MaskFallback is what a mask that covers no patch up to MaskThreshold
	// allows: MaskFallbackNone ("" too, the reference: [CLS] then attends
	// only to itself in the masked blocks, so the crop's feature ignores
	// the image there) or MaskFallbackMax (the patches of largest coverage,
	// when the mask covers any pixel). An empty mask allows no patch either
	// way.
	MaskFallback string `yaml:"mask_fallback"`

	GradFromBlock int `yaml:"grad_from_block"` // blocks >= this train; earlier ones and embeddings are frozen (11)
	// TrainEmbeddings also trains the patch embedding, [CLS] token, position
	// embedding and final LayerNorm, which the reference always freezes
	// (false, the zero value). Pretraining a backbone from scratch needs
	// it: otherwise those stay at their random initialisation.
	TrainEmbeddings bool `yaml:"train_embeddings"`

	ProjHidden int `yaml:"proj_hidden"` // projector hidden width H (2048)
	ProjOut    int `yaml:"proj_out"`    // projector output width (256)
	NumHeads   int `yaml:"n_head"`      // cosine classifier heads (4)

	NumLabeled int `yaml:"num_labeled_classes"` // base classes L (labelled data)
	NumNovel   int `yaml:"num_novel_classes"`   // novel clusters U; column L is "normal"

	// WidthScaledProjInit scales the truncated-normal std of projector layer
	// i to initStd·sqrt(refFanIn_i/fanIn_i), with refFanIn = 768, 2048, 2048
	// (the reference's widths). At the reference widths this is exactly the
	// reference's std 0.02; for narrow models it keeps the projector output
	// at the reference's scale. False (zero value) = std 0.02 everywhere, as
	// the reference. See the package doc for why narrow models need it.
	WidthScaledProjInit bool `yaml:"width_scaled_proj_init"`

	Seed uint64     `yaml:"seed"` // initialisation seed
	Loss LossConfig `yaml:"loss"`
}

// LossConfig holds the MGCRL loss constants. Its zero value is not usable;
// DefaultLossConfig gives the reference values. The two switches are
// negative so that false means the reference behaviour.
type LossConfig struct {
	StudentTemp    float64 `yaml:"student_temp"`     // τ_s for student logits (0.1)
	ConTemp        float64 `yaml:"con_temp"`         // InfoNCE temperature τ_u (1.0)
	SupConTemp     float64 `yaml:"supcon_temp"`      // SupCon temperature τ_c (0.07)
	SupConBaseTemp float64 `yaml:"supcon_base_temp"` // SupCon base temperature (0.07)
	SupWeight      float64 `yaml:"sup_weight"`       // λ: total = (1-λ)(cluster+con) + λ(cls+supcon) (0.3)
	MemaxWeight    float64 `yaml:"memax_weight"`     // μ, weight of me-max in cluster_i (4)

	// NoPLR switches off pseudo-label re-correction: the batch weights are
	// ignored (as if all were 0).
	NoPLR bool `yaml:"no_plr"`
	// NoLabeled trains without labelled data (Table IX): every row must be
	// unlabelled (label -1), cls and supcon are left out (reported as 0), and
	// a batch is skipped only when it is empty. With labelled data a batch is
	// skipped unless it holds both labelled and unlabelled rows.
	NoLabeled bool `yaml:"no_labeled"`
	// ContrastiveOnly makes the total loss the InfoNCE term alone (at
	// ConTemp, weight 1): no self-distillation, me-max, cls or SupCon, and
	// the heads get no gradient. It is a self-supervised objective for
	// pretraining a backbone from scratch; it requires NoLabeled. Losses
	// then reports only Contrastive and Total (Cluster* are 0).
	ContrastiveOnly bool `yaml:"contrastive_only"`
}

// DefaultLossConfig returns the reference loss constants.
func DefaultLossConfig() LossConfig {
	return LossConfig{StudentTemp: 0.1, ConTemp: 1.0, SupConTemp: 0.07, SupConBaseTemp: 0.07, SupWeight: 0.3, MemaxWeight: 4}
}

// DefaultConfig returns the reference setting: DINO ViT-B/8 at 224 px with
// mask-guided [CLS] attention in the last 9 blocks, only block 11 trained,
// a 768→2048→2048→256 projector and 4 heads over L+U classes.
func DefaultConfig(numLabeled, numNovel int) Config {
	return Config{
		ImageSize: 224, PatchSize: 8, Dim: 768, Depth: 12, Heads: 12, MLPRatio: 4, LNEps: 1e-6,
		MaskLayers: 9, MaskPlacement: PlacementCLS, MaskThreshold: 0.5,
		GradFromBlock: 11, ProjHidden: 2048, ProjOut: 256, NumHeads: 4,
		NumLabeled: numLabeled, NumNovel: numNovel, Loss: DefaultLossConfig(),
	}
}

// Classes is L+U, the width of every head.
func (c Config) Classes() int { return c.NumLabeled + c.NumNovel }

// Grid is the number of patches along one side.
func (c Config) Grid() int { return c.ImageSize / c.PatchSize }

// Tokens is 1 + number of patches.
func (c Config) Tokens() int { return 1 + c.Grid()*c.Grid() }

// MLPHidden is the width of each block's MLP.
func (c Config) MLPHidden() int { return int(float64(c.Dim)*c.MLPRatio + 0.5) }

// Masked reports whether block i uses mask-guided attention.
func (c Config) Masked(block int) bool {
	return c.MaskPlacement != PlacementNone && block >= c.Depth-c.MaskLayers
}

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.ImageSize <= 0 || c.PatchSize <= 0 || c.ImageSize%c.PatchSize != 0:
		return fmt.Errorf("mgvit: image_size %d must be a positive multiple of patch_size %d", c.ImageSize, c.PatchSize)
	case c.Dim <= 0 || c.Heads <= 0 || c.Dim%c.Heads != 0:
		return fmt.Errorf("mgvit: dim %d must be a positive multiple of heads %d", c.Dim, c.Heads)
	case c.Depth <= 0:
		return fmt.Errorf("mgvit: depth %d must be positive", c.Depth)
	case c.MLPRatio <= 0:
		return fmt.Errorf("mgvit: mlp_ratio %g must be positive", c.MLPRatio)
	case c.LNEps <= 0:
		return fmt.Errorf("mgvit: ln_eps %g must be positive", c.LNEps)
	case c.Stem != "" && c.Stem != StemPixels && c.Stem != StemFilterBank:
		return fmt.Errorf("mgvit: stem %q is not %s or %s", c.Stem, StemPixels, StemFilterBank)
	case c.Stem == StemFilterBank && c.PatchSize < 2:
		return fmt.Errorf("mgvit: the filter-bank stem needs patch_size >= 2, got %d", c.PatchSize)
	case c.MaskFallback != "" && c.MaskFallback != MaskFallbackNone && c.MaskFallback != MaskFallbackMax:
		return fmt.Errorf("mgvit: mask_fallback %q is not %s or %s", c.MaskFallback, MaskFallbackNone, MaskFallbackMax)
	case c.MaskLayers < 0 || c.MaskLayers > c.Depth:
		return fmt.Errorf("mgvit: mask_layers %d outside [0,%d]", c.MaskLayers, c.Depth)
	case c.MaskPlacement != PlacementNone && c.MaskPlacement != PlacementCLS && c.MaskPlacement != PlacementPatch && c.MaskPlacement != PlacementAll:
		return fmt.Errorf("mgvit: mask_placement %q is not none, cls, patch or all", c.MaskPlacement)
	case c.GradFromBlock < 0 || c.GradFromBlock > c.Depth:
		return fmt.Errorf("mgvit: grad_from_block %d outside [0,%d]", c.GradFromBlock, c.Depth)
	case c.ProjHidden <= 0 || c.ProjOut <= 0:
		return fmt.Errorf("mgvit: proj_hidden %d and proj_out %d must be positive", c.ProjHidden, c.ProjOut)
	case c.NumHeads <= 0:
		return fmt.Errorf("mgvit: n_head %d must be positive", c.NumHeads)
	case c.NumLabeled < 0 || c.NumNovel <= 0:
		return fmt.Errorf("mgvit: num_labeled_classes %d must be >= 0 and num_novel_classes %d > 0", c.NumLabeled, c.NumNovel)
	case c.Loss.StudentTemp <= 0 || c.Loss.ConTemp <= 0 || c.Loss.SupConTemp <= 0 || c.Loss.SupConBaseTemp <= 0:
		return fmt.Errorf("mgvit: loss temperatures must be positive: %+v", c.Loss)
	case c.Loss.ContrastiveOnly && !c.Loss.NoLabeled:
		return fmt.Errorf("mgvit: loss.contrastive_only needs loss.no_labeled")
	case c.Loss.SupWeight < 0 || c.Loss.SupWeight > 1 || c.Loss.MemaxWeight < 0:
		return fmt.Errorf("mgvit: sup_weight %g must be in [0,1] and memax_weight %g >= 0", c.Loss.SupWeight, c.Loss.MemaxWeight)
	}
	return nil
}
