package experiments

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/merge"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/train"
)

// FieldError is a semantic error in one config value.
type FieldError struct {
	// Path is the key path, e.g. "binarize.theta".
	Path string
	// Value is the offending value as written.
	Value any
	// Want says what is allowed, e.g. "one of mebin, fixed, otsu" or "in (0, 1]".
	Want string
	// Source names where the value was set (a file, "override k=v"); empty
	// when unknown.
	Source string
}

func (e *FieldError) Error() string {
	msg := fmt.Sprintf("%s = %v: want %s", e.Path, e.Value, e.Want)
	if e.Source != "" {
		msg = e.Source + ": " + msg
	}
	return msg
}

// Allowed values of the enum keys.
var (
	DatasetKinds    = []string{"synthetic", dataset.FormatMVTec, dataset.FormatMTD}
	Profiles        = []string{"smoke", "quick", "full"}
	DetectMethods   = []string{"gt", "gt-noisy", "patchcore", "padim", "musc", "maps"}
	BinarizeMethods = names(crop.MethodMEBin, crop.MethodFixed, crop.MethodOtsu, crop.MethodMask)
	MaskPlacements  = names(mgvit.PlacementCLS, mgvit.PlacementNone, mgvit.PlacementPatch, mgvit.PlacementAll)
	MergeStrategies = merge.StrategyNames() // one line per strategy in core/merge
	HeadInits       = []string{train.HeadInitRandom, train.HeadInitKMeans}
	Stems           = names(mgvit.StemPixels, mgvit.StemFilterBank)
	MaskFallbacks   = []string{mgvit.MaskFallbackNone, mgvit.MaskFallbackMax}
	EvalMetrics     = []string{"nmi", "ari", "f1", "aupro", "fpr_fnr", "plr_pr"}
	ImageFormats    = []string{"png", "jpg", "jpeg", "tif", "tiff", "bmp"}
)

// names turns a core package's named string constants into an enum list.
func names[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

type checker struct{ errs []error }

func (c *checker) fail(path string, v any, want string) {
	c.errs = append(c.errs, &FieldError{Path: path, Value: v, Want: want})
}

func (c *checker) enum(path, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		c.fail(path, fmt.Sprintf("%q", v), "one of "+strings.Join(allowed, ", "))
	}
}

func (c *checker) intMin(path string, v, min int) {
	if v < min {
		c.fail(path, v, fmt.Sprintf(">= %d", min))
	}
}

func (c *checker) intRange(path string, v, min, max int) {
	if v < min || v > max {
		c.fail(path, v, fmt.Sprintf("in [%d, %d]", min, max))
	}
}

// floatRange checks lo < v <= hi (open) or lo <= v <= hi (closed).
func (c *checker) floatRange(path string, v, lo, hi float64, openLo bool) {
	bad := v > hi || v < lo || (openLo && v == lo)
	if bad {
		b := "["
		if openLo {
			b = "("
		}
		c.fail(path, v, fmt.Sprintf("in %s%g, %g]", b, lo, hi))
	}
}

// momentum checks 0 <= v < 1.
func (c *checker) momentum(path string, v float64) {
	if v < 0 || v >= 1 {
		c.fail(path, v, "in [0, 1)")
	}
}

// Validate checks every value of the config: enums, ranges and the relations
// between keys. The error joins one *FieldError per problem.
func (c Config) Validate() error {
	var k checker
	e := c.Experiment
	k.enum("experiment.profile", e.Profile, Profiles)
	k.enum("experiment.dataset.kind", e.Dataset.Kind, DatasetKinds)
	if e.Dataset.Kind != "synthetic" && e.Dataset.Root == "" {
		k.fail("experiment.dataset.root", `""`, "a folder when experiment.dataset.kind is "+e.Dataset.Kind)
	}
	if e.Dataset.MTDRoot != "" && e.Dataset.Kind != "mvtec" {
		k.fail("experiment.dataset.mtd_root", e.Dataset.MTDRoot, `"" unless experiment.dataset.kind is mvtec (an MTD folder beside the MVTec AD one)`)
	}
	if len(e.Seeds) == 0 {
		k.fail("experiment.seeds", "[]", "at least one seed")
	}
	if e.Seed < 0 {
		k.fail("experiment.seed", e.Seed, ">= 0")
	}
	k.enum("data.synth_profile", c.Data.SynthProfile, Profiles)
	if len(c.Data.Formats) == 0 {
		k.fail("data.formats", "[]", "at least one of "+strings.Join(ImageFormats, ", "))
	}
	for i, f := range c.Data.Formats {
		k.enum(fmt.Sprintf("data.formats[%d]", i), f, ImageFormats)
	}

	k.enum("detect.method", c.Detect.Method, DetectMethods)
	if c.Detect.Method == "maps" && c.Detect.MapsRoot == "" {
		k.fail("detect.maps_root", `""`, "a folder when detect.method is maps")
	}
	k.floatRange("detect.coreset_ratio", c.Detect.CoresetRatio, 0, 1, true)
	k.floatRange("detect.noise", c.Detect.Noise, 0, 1, false)
	k.intRange("detect.musc_cells", c.Detect.MuScCells, 0, MaxDetectCells)
	k.floatRange("detect.smooth", c.Detect.Smooth, 0, MaxDetectSmooth, false)

	b := c.Binarize
	k.enum("binarize.method", b.Method, BinarizeMethods)
	k.floatRange("binarize.theta", b.Theta, 0, 1, true)
	k.intRange("binarize.sample_rate", b.SampleRate, 1, 255)
	k.intRange("binarize.min_interval_len", b.MinIntervalLen, 1, 255)

	cr := c.Crop
	k.floatRange("crop.min_crop_size", cr.MinCropSize, 0, 0.5, false)
	k.floatRange("crop.max_merge_dist", cr.MaxMergeDist, 0, 1, false)
	k.floatRange("crop.pad", cr.Pad, 0, 1, false)
	if cr.AnomalyThred != -1 {
		k.floatRange("crop.anomaly_thred", cr.AnomalyThred, 0, 1, false)
	}

	m := c.Model
	k.intMin("model.patch_size", m.PatchSize, 1)
	k.intMin("model.image_size", m.ImageSize, 1)
	if m.PatchSize > 0 && m.ImageSize%m.PatchSize != 0 {
		k.fail("model.image_size", m.ImageSize, fmt.Sprintf("a multiple of model.patch_size (%d)", m.PatchSize))
	}
	k.intMin("model.dim", m.Dim, 1)
	k.intMin("model.heads", m.Heads, 1)
	if m.Heads > 0 && m.Dim%m.Heads != 0 {
		k.fail("model.dim", m.Dim, fmt.Sprintf("a multiple of model.heads (%d)", m.Heads))
	}
	k.intMin("model.depth", m.Depth, 1)
	k.floatRange("model.mlp_ratio", m.MLPRatio, 0, 16, true)
	k.enum("model.stem", m.Stem, Stems)
	k.intRange("model.mask_layers", m.MaskLayers, 0, m.Depth)
	k.enum("model.mask_placement", m.MaskPlacement, MaskPlacements)
	k.enum("model.mask_fallback", m.MaskFallback, MaskFallbacks)
	k.intRange("model.grad_from_block", m.GradFromBlock, 0, m.Depth)
	k.intMin("model.proj_hidden", m.ProjHidden, 1)
	k.intMin("model.proj_out", m.ProjOut, 1)
	k.intMin("model.n_head", m.NHead, 1)

	p := c.Pretrain
	k.intMin("pretrain.epochs", p.Epochs, 0)
	k.intMin("pretrain.batch_size", p.BatchSize, 1)
	k.floatRange("pretrain.lr", p.LR, 0, 10, true)
	k.floatRange("pretrain.crop_min_scale", p.CropMinScale, 0, 1, false)
	k.intRange("pretrain.prototypes", p.Prototypes, 0, MaxPretrainPrototypes)
	k.momentum("pretrain.ema_teacher", p.EMATeacher)
	if p.EMATeacher > 0 && p.Prototypes == 0 {
		k.fail("pretrain.ema_teacher", p.EMATeacher, "0 unless pretrain.prototypes > 0 (InfoNCE alone has no self-distillation to teach)")
	}

	t := c.Train
	k.intMin("train.epochs", t.Epochs, 1)
	k.intMin("train.batch_size", t.BatchSize, 2)
	k.floatRange("train.lr", t.LR, 0, 10, true)
	k.momentum("train.momentum", t.Momentum)
	k.floatRange("train.weight_decay", t.WeightDecay, 0, 1, false)
	k.floatRange("train.memax_weight", t.MemaxWeight, 0, 100, false)
	k.floatRange("train.sup_weight", t.SupWeight, 0, 1, false)
	k.floatRange("train.student_temp", t.StudentTemp, 0, 10, true)
	k.floatRange("train.teacher_temp_start", t.TeacherTempStart, 0, 10, true)
	k.floatRange("train.teacher_temp", t.TeacherTemp, 0, 10, true)
	k.intMin("train.teacher_warmup", t.TeacherWarmup, 0)
	k.intMin("train.teacher_repeat", t.TeacherRepeat, 1)
	k.floatRange("train.contrast_temp", t.ContrastTemp, 0, 100, true)
	k.floatRange("train.supcon_temp", t.SupConTemp, 0, 100, true)
	k.enum("train.head_init", t.HeadInit, HeadInits)
	k.momentum("train.ema_teacher", t.EMATeacher)

	k.enum("merge.strategy", c.Merge.Strategy, MergeStrategies)
	k.floatRange("merge.temperature", c.Merge.Temperature, 0, 1e6, false)

	for i, name := range c.Eval.Metrics {
		k.enum(fmt.Sprintf("eval.metrics[%d]", i), name, EvalMetrics)
	}
	k.floatRange("eval.aupro_limit", c.Eval.AUPROLimit, 0, 1, true)
	return errors.Join(k.errs...)
}

// MaxDetectCells bounds detect.musc_cells (the working image is at most
// 256 px on a side).
const MaxDetectCells = 256

// MaxDetectSmooth bounds detect.smooth (pixels).
const MaxDetectSmooth = 64

// MaxPretrainPrototypes bounds pretrain.prototypes: each of the model's
// heads is a prototypes x dim matrix trained with the backbone.
const MaxPretrainPrototypes = 65536
