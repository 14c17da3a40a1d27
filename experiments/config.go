package experiments

// Config is the fully resolved, typed configuration of one experiment point.
// Every field has a key path (section.field, e.g. "binarize.theta") used in
// YAML files, in command-line overrides and in error messages. Defaults are
// the reference implementation's values and live in configs/base.yaml; the
// zero Config is not meaningful on its own (Validate rejects it).
type Config struct {
	Experiment Experiment `mapstructure:"experiment" json:"experiment"`
	Data       Data       `mapstructure:"data" json:"data"`
	Detect     Detect     `mapstructure:"detect" json:"detect"`
	Binarize   Binarize   `mapstructure:"binarize" json:"binarize"`
	Crop       Crop       `mapstructure:"crop" json:"crop"`
	Model      Model      `mapstructure:"model" json:"model"`
	Pretrain   Pretrain   `mapstructure:"pretrain" json:"pretrain"`
	Train      Train      `mapstructure:"train" json:"train"`
	Merge      Merge      `mapstructure:"merge" json:"merge"`
	Eval       Eval       `mapstructure:"eval" json:"eval"`
}

// Experiment identifies the run: which data, which seed, which size profile.
type Experiment struct {
	// Name is a free label; it does not enter any stage key.
	Name string `mapstructure:"name" json:"name"`
	// Seed is the seed of this point (reference: 3407). Sweeps with a seeds
	// axis set it per replicate.
	Seed int `mapstructure:"seed" json:"seed"`
	// Seeds is the default replicate list used by a sweep that says
	// "seeds: default".
	Seeds []int `mapstructure:"seeds" json:"seeds"`
	// Profile names the size profile applied on top of base.yaml
	// (configs/profiles/<profile>.yaml): smoke, quick or full.
	Profile string `mapstructure:"profile" json:"profile"`
	// Dataset says which data the experiment runs on.
	Dataset Dataset `mapstructure:"dataset" json:"dataset"`
}

// Dataset selects the evaluation data.
type Dataset struct {
	// Kind is synthetic (the embedded generated benchmark), mvtec or mtd.
	Kind string `mapstructure:"kind" json:"kind"`
	// Root is the dataset folder; empty for synthetic data, which is generated.
	Root string `mapstructure:"root" json:"root"`
	// Categories restricts the run to these product categories; empty = all.
	Categories []string `mapstructure:"categories" json:"categories"`
	// MTDRoot is an MTD-layout folder evaluated beside the MVTec AD-layout
	// folder at Root in the same study (Kind mvtec only); empty = none
	// (omitted from the JSON when empty, so that stage keys stay as before).
	MTDRoot string `mapstructure:"mtd_root" json:"mtd_root,omitempty"`
	// BaseRoot is the labeled abnormal base set (AeBAD-S crops); empty means
	// the synthetic base set.
	BaseRoot string `mapstructure:"base_root" json:"base_root"`
}

// Data configures data generation and reading.
type Data struct {
	// SynthProfile names the synthetic benchmark size (configs/synth/<name>.yaml).
	SynthProfile string `mapstructure:"synth_profile" json:"synth_profile"`
	// SynthSeed seeds the synthetic benchmark; it is separate from the
	// experiment seed so that replicates share one dataset.
	SynthSeed int `mapstructure:"synth_seed" json:"synth_seed"`
	// Formats lists the image file extensions read from disk.
	Formats []string `mapstructure:"formats" json:"formats"`
}

// Detect configures the anomaly detector that produces anomaly maps.
type Detect struct {
	// Method is gt, gt-noisy, patchcore, padim, musc, or maps (precomputed
	// maps of an external detector read from MapsRoot).
	Method string `mapstructure:"method" json:"method"`
	// MapsRoot is the folder of precomputed maps for method "maps".
	MapsRoot string `mapstructure:"maps_root" json:"maps_root"`
	// CoresetRatio is PatchCore's memory-bank subsampling ratio in (0,1].
	CoresetRatio float64 `mapstructure:"coreset_ratio" json:"coreset_ratio"`
	// Noise is the corruption level of gt-noisy in [0,1].
	Noise float64 `mapstructure:"noise" json:"noise"`
	// MuScCells > 0 sizes musc's patch feature grid to the image: about
	// this many cells along the longer side of the working image (cells
	// of ceil(side / MuScCells) px); 0 keeps fixed 8-px cells. The
	// reference MuSc scores a 37x37 grid (ViT-L/14 at 518 px). The cost
	// grows with the square of the number of cells.
	MuScCells int `mapstructure:"musc_cells" json:"musc_cells,omitempty"`
	// Smooth is the sigma in working pixels of the Gaussian that smooths
	// the maps of the feature-based detectors, patchcore, padim and musc
	// (0: 4, PatchCore's value at 224 px).
	Smooth float64 `mapstructure:"smooth" json:"smooth,omitempty"`
}

// Binarize configures turning anomaly maps into masks (reference §1).
type Binarize struct {
	// Method is mebin (reference), fixed or otsu (Table III).
	Method string `mapstructure:"method" json:"method"`
	// Theta is the fixed threshold on the set-normalised [0,1] scale.
	Theta float64 `mapstructure:"theta" json:"theta"`
	// SampleRate is MEBin's threshold step (reference 4).
	SampleRate int `mapstructure:"sample_rate" json:"sample_rate"`
	// MinIntervalLen is MEBin's minimum stable-interval length (reference 4).
	MinIntervalLen int `mapstructure:"min_interval_len" json:"min_interval_len"`
	// Erode switches the fixed 6x6 erosion on (reference true).
	Erode bool `mapstructure:"erode" json:"erode"`
}

// Crop configures anomaly-centred sub-images (reference §2).
type Crop struct {
	// Enabled crops around anomalies; false uses the whole image (Table VI).
	Enabled bool `mapstructure:"enabled" json:"enabled"`
	// MinCropSize is the minimum crop radius as a share of the longer side (0.1).
	MinCropSize float64 `mapstructure:"min_crop_size" json:"min_crop_size"`
	// MaxMergeDist is the box merge distance as a share of the longer side (0.01).
	MaxMergeDist float64 `mapstructure:"max_merge_dist" json:"max_merge_dist"`
	// Pad is the padding around a region's bounding box (0.1).
	Pad float64 `mapstructure:"pad" json:"pad"`
	// AnomalyThred is the PLR score threshold (0.5; -1 disables the weights).
	AnomalyThred float64 `mapstructure:"anomaly_thred" json:"anomaly_thred"`
}

// Model configures the mask-guided ViT (reference §7).
type Model struct {
	ImageSize int `mapstructure:"image_size" json:"image_size"`
	PatchSize int `mapstructure:"patch_size" json:"patch_size"`
	Dim       int `mapstructure:"dim" json:"dim"`
	Depth     int `mapstructure:"depth" json:"depth"`
	Heads     int `mapstructure:"heads" json:"heads"`
	// MLPRatio is the transformer MLP width as a multiple of Dim.
	MLPRatio float64 `mapstructure:"mlp_ratio" json:"mlp_ratio"`
	// Stem is what a patch token is made from: pixels (reference) or
	// filterbank (the fixed core/features filter bank; mgvit.StemFilterBank).
	Stem string `mapstructure:"stem" json:"stem"`
	// MaskLayers is L_m, the number of last blocks with mask guidance (9).
	MaskLayers int `mapstructure:"mask_layers" json:"mask_layers"`
	// MaskPlacement is where the mask enters attention: cls (reference),
	// none, patch or all (Table IV).
	MaskPlacement string `mapstructure:"mask_placement" json:"mask_placement"`
	// MaskFallback is what a mask covering no patch up to the 0.5 threshold
	// allows: none (reference: [CLS] attends only to itself) or max (the
	// patches of largest coverage; mgvit.MaskFallbackMax).
	MaskFallback string `mapstructure:"mask_fallback" json:"mask_fallback"`
	// GradFromBlock is the first trained block (reference 11 of 0..11).
	GradFromBlock int `mapstructure:"grad_from_block" json:"grad_from_block"`
	ProjHidden    int `mapstructure:"proj_hidden" json:"proj_hidden"`
	ProjOut       int `mapstructure:"proj_out" json:"proj_out"`
	// NHead is the number of classification heads (4).
	NHead int `mapstructure:"n_head" json:"n_head"`
	// Weights is an optional safetensors file of pretrained backbone weights;
	// empty means the pretrain stage provides them.
	Weights string `mapstructure:"weights" json:"weights"`
}

// Pretrain configures self-supervised pretraining of the backbone, used
// when no pretrained weights are given.
type Pretrain struct {
	Enabled   bool    `mapstructure:"enabled" json:"enabled"`
	Epochs    int     `mapstructure:"epochs" json:"epochs"`
	BatchSize int     `mapstructure:"batch_size" json:"batch_size"`
	LR        float64 `mapstructure:"lr" json:"lr"`
	// TrainEmbeddings also trains the patch embedding, [CLS], position
	// embedding and final norm during pretraining (false keeps them at
	// their seeded initialisation, as the reference never trains them).
	TrainEmbeddings bool `mapstructure:"train_embeddings" json:"train_embeddings"`
	// CropMinScale > 0 pretrains on random resized crops covering at
	// least this fraction of each image (torchvision's RandomResizedCrop,
	// as SimCLR and DINO pretrain); 0 pretrains on whole images.
	CropMinScale float64 `mapstructure:"crop_min_scale" json:"crop_min_scale"`
	// RegionMasks pretrains with mask guidance in the last 9 blocks (the
	// reference L_m) on random elliptical region masks, so that [CLS]
	// learns to describe a masked region as fine-tuning asks it to; false
	// pretrains without masks.
	RegionMasks bool `mapstructure:"region_masks" json:"region_masks"`
	// Prototypes > 0 adds the method's own clustering terms to pretraining,
	// beside InfoNCE: self-distillation and me-max (reference weights,
	// temperatures and teacher schedule) over this many unlabelled
	// prototypes per head, as fine-tuning clusters the novel crops. The
	// heads are discarded afterwards. 0 pretrains on InfoNCE alone.
	Prototypes int `mapstructure:"prototypes" json:"prototypes,omitempty"`
	// EMATeacher > 0 (needs Prototypes > 0) takes the self-distillation
	// targets from an exponential-moving-average teacher with this
	// momentum, as DINO does, instead of each head's own logits
	// (core/train Config.EMATeacher). 0 is the reference rule.
	EMATeacher float64 `mapstructure:"ema_teacher" json:"ema_teacher,omitempty"`
}

// Train configures MGCRL training (reference §4-§6).
type Train struct {
	Epochs      int     `mapstructure:"epochs" json:"epochs"`
	BatchSize   int     `mapstructure:"batch_size" json:"batch_size"`
	LR          float64 `mapstructure:"lr" json:"lr"`
	Momentum    float64 `mapstructure:"momentum" json:"momentum"`
	WeightDecay float64 `mapstructure:"weight_decay" json:"weight_decay"`
	// PLR switches pseudo-label re-correction on (Table VIII).
	PLR bool `mapstructure:"plr" json:"plr"`
	// LabeledBase uses the labeled abnormal base set D^l (Table IX).
	LabeledBase bool    `mapstructure:"labeled_base" json:"labeled_base"`
	MemaxWeight float64 `mapstructure:"memax_weight" json:"memax_weight"`
	SupWeight   float64 `mapstructure:"sup_weight" json:"sup_weight"`
	// StudentTemp scales the head logits (0.1).
	StudentTemp float64 `mapstructure:"student_temp" json:"student_temp"`
	// Teacher temperature staircase: from TeacherTempStart to TeacherTemp over
	// TeacherWarmup epochs, each value repeated TeacherRepeat times (§5).
	TeacherTempStart float64 `mapstructure:"teacher_temp_start" json:"teacher_temp_start"`
	TeacherTemp      float64 `mapstructure:"teacher_temp" json:"teacher_temp"`
	TeacherWarmup    int     `mapstructure:"teacher_warmup" json:"teacher_warmup"`
	TeacherRepeat    int     `mapstructure:"teacher_repeat" json:"teacher_repeat"`
	// ContrastTemp is the info-NCE temperature (1.0); SupConTemp SupCon's (0.07).
	ContrastTemp float64 `mapstructure:"contrast_temp" json:"contrast_temp"`
	SupConTemp   float64 `mapstructure:"supcon_temp" json:"supcon_temp"`
	// HeadInit is how the classifier heads start: random (reference) or
	// kmeans (centroids of the backbone's features; core/train.HeadInitKMeans).
	HeadInit string `mapstructure:"head_init" json:"head_init"`
	// ScaleAugment scales the train views' blur σ to the input size
	// (false: the reference's 224-px range at any size).
	ScaleAugment bool `mapstructure:"scale_augment" json:"scale_augment"`
	// EMATeacher > 0 takes the self-distillation targets from an
	// exponential-moving-average teacher with this momentum (DINO) instead
	// of each head's own logits, detached (the reference: 0).
	EMATeacher float64 `mapstructure:"ema_teacher" json:"ema_teacher,omitempty"`
}

// Merge configures region merging at inference (reference §9).
type Merge struct {
	// Strategy is area (reference), average or score (Table VII).
	Strategy string `mapstructure:"strategy" json:"strategy"`
	// Temperature is the area-weight softmax temperature; 0 means the
	// reference rule: 100 for mvtec, 50 otherwise.
	Temperature float64 `mapstructure:"temperature" json:"temperature"`
}

// Eval configures evaluation.
type Eval struct {
	// Metrics lists what evaluate computes: nmi, ari, f1, aupro, fpr_fnr, plr_pr.
	Metrics []string `mapstructure:"metrics" json:"metrics"`
	// AUPROLimit is the FPR integration limit of AUPRO (0.3).
	AUPROLimit float64 `mapstructure:"aupro_limit" json:"aupro_limit"`
}
