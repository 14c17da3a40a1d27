package stages

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/optim"
	"github.com/anomalyncd/ancd/core/train"
	"github.com/anomalyncd/ancd/experiments"
)

// BackboneFile holds the pretrained backbone of a pretrain entry.
const BackboneFile = "backbone.safetensors"

// pretrainClusters is the number of classes of the heads of the
// pretraining model when pretrain.prototypes is 0: the heads are then not
// part of the loss and never trained (see pretrainStage).
const pretrainClusters = 16

// pretrainConTemp is the InfoNCE temperature of pretraining. The
// reference's 1.0 bounds the logits to [-1,1], far too flat to learn a
// representation from scratch; 0.2 is in SimCLR's usual range.
const pretrainConTemp = 0.2

// pretrainMaskLayers is the number of mask-guided blocks when pretraining
// with region masks (pretrain.region_masks): the reference L_m, whatever
// model.mask_layers an ablation fine-tunes with, so that one backbone
// serves every row of Table V.
const pretrainMaskLayers = 9

// KeepCheckpointBytes is the largest model (parameter bytes) whose final
// checkpoint the train stage keeps, for its first category only.
const KeepCheckpointBytes = 64 << 20

func paramBytes(ps []*optim.Param) int {
	n := 0
	for _, p := range ps {
		n += 4 * len(p.Value)
	}
	return n
}

// ModelConfig is the MGViT configuration the train stage builds for a
// category with numLabeled base and numNovel novel classes.
func ModelConfig(cfg experiments.Config, numLabeled, numNovel int, seed uint64) mgvit.Config {
	return modelConfig(cfg, numLabeled, numNovel, seed)
}

// modelConfig maps the study's model section onto an MGViT config.
func modelConfig(cfg experiments.Config, numLabeled, numNovel int, seed uint64) mgvit.Config {
	m := cfg.Model
	c := mgvit.DefaultConfig(numLabeled, numNovel)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads, c.MLPRatio = m.ImageSize, m.PatchSize, m.Dim, m.Depth, m.Heads, m.MLPRatio
	c.Stem = mgvit.Stem(m.Stem)
	c.MaskFallback = m.MaskFallback
	c.MaskLayers, c.MaskPlacement, c.GradFromBlock = m.MaskLayers, mgvit.Placement(m.MaskPlacement), m.GradFromBlock
	c.ProjHidden, c.ProjOut, c.NumHeads = m.ProjHidden, m.ProjOut, m.NHead
	c.Seed = seed
	// Equal to the reference's init at the reference widths; keeps the
	// projector output from being swamped by its bias after the first SGD
	// step in narrow profiles (see mgvit.Config.WidthScaledProjInit).
	c.WidthScaledProjInit = true
	t := cfg.Train
	c.Loss.StudentTemp, c.Loss.ConTemp, c.Loss.SupConTemp, c.Loss.SupConBaseTemp = t.StudentTemp, t.ContrastTemp, t.SupConTemp, t.SupConTemp
	c.Loss.SupWeight, c.Loss.MemaxWeight = t.SupWeight, t.MemaxWeight
	c.Loss.NoPLR = !t.PLR
	c.Loss.NoLabeled = !t.LabeledBase
	return c
}

// trainConfig maps the study's train section onto a core/train config.
func trainConfig(cfg experiments.Config, epochs, batch int, lr float64, seed uint64) train.Config {
	t := cfg.Train
	c := train.DefaultConfig()
	c.Epochs, c.BatchSize, c.LR = epochs, batch, lr
	c.Momentum, c.WeightDecay, c.Seed, c.ImageSize, c.PLR = t.Momentum, t.WeightDecay, seed, cfg.Model.ImageSize, t.PLR
	c.Teacher = optim.TeacherTemp{Start: t.TeacherTempStart, End: t.TeacherTemp, WarmupEpochs: min(t.TeacherWarmup, epochs), Repeat: t.TeacherRepeat}
	c.HeadInit, c.ScaleAugment, c.EMATeacher = t.HeadInit, t.ScaleAugment, t.EMATeacher
	return c
}

// isBackbone reports whether a parameter belongs to the ViT backbone (not
// the projector or the heads).
func isBackbone(name string) bool {
	return !strings.HasPrefix(name, "projector.") && !strings.HasPrefix(name, "heads.")
}

// pretrainStage trains the backbone self-supervised on every image of the
// study's datasets, then stores the backbone weights. With
// pretrain.enabled false it stores the seeded random initialisation, or
// model.weights when given.
//
// The objective (no labels) is SimCLR-style InfoNCE: two augmented views of
// each image are positives, the other 2B-2 views of the batch negatives, on
// the L2-normalised projector output at temperature pretrainConTemp. With
// pretrain.prototypes 0 that is all (mgvit.LossConfig ContrastiveOnly; the
// heads get no gradient). With pretrain.prototypes > 0 the method's own
// clustering terms are added (mgvit.LossConfig NoLabeled): self-distillation
// and me-max over that many prototypes per head, with the reference
// weights, temperatures and teacher schedule; InfoNCE and me-max keep the
// features and the prototypes from collapsing onto one confident
// prediction; with pretrain.ema_teacher their targets come from an EMA
// teacher. The heads are discarded afterwards: only the backbone is
// stored. pretrain.region_masks adds mask guidance on random region masks,
// pretrain.crop_min_scale random resized crops. Every block is trained, and
// with pretrain.train_embeddings also the patch embedding, [CLS],
// positions and final norm (else they keep their seeded initialisation);
// the projector uses the width-scaled initialisation. SGD with the
// reference momentum and decay, pretrain.lr with the reference cosine
// schedule, pretrain.epochs and pretrain.batch_size.
func pretrainStage(workers int) experiments.StageFunc {
	return func(ctx context.Context, job experiments.Job) error {
		dirs, err := inputs(job, experiments.StageData)
		if err != nil {
			return err
		}
		dataDir := dirs[0]
		ds, err := ReadDatasets(dataDir)
		if err != nil {
			return err
		}
		// Pretraining reads only the backbone shape and the pretrain section
		// (plus the dataset), so one backbone serves every ablation and seed:
		// losses and optimiser use the reference constants, not the train
		// section under study.
		seed := uint64(job.Config.Data.SynthSeed)
		mm := job.Config.Model
		mc := mgvit.DefaultConfig(0, cmp.Or(job.Config.Pretrain.Prototypes, pretrainClusters))
		mc.ImageSize, mc.PatchSize, mc.Dim, mc.Depth, mc.Heads, mc.MLPRatio = mm.ImageSize, mm.PatchSize, mm.Dim, mm.Depth, mm.Heads, mm.MLPRatio
		mc.Stem = mgvit.Stem(mm.Stem)
		mc.ProjHidden, mc.ProjOut, mc.NumHeads = mm.ProjHidden, mm.ProjOut, mm.NHead
		mc.Seed = seed
		mc.MaskPlacement = mgvit.PlacementNone
		mc.MaskLayers = 0
		mc.GradFromBlock = 0
		mc.TrainEmbeddings = job.Config.Pretrain.TrainEmbeddings
		mc.Loss.NoLabeled = true
		mc.Loss.NoPLR = true
		mc.Loss.ContrastiveOnly = job.Config.Pretrain.Prototypes == 0
		mc.Loss.ConTemp = pretrainConTemp
		mc.WidthScaledProjInit = true
		if job.Config.Pretrain.RegionMasks {
			mc.MaskPlacement, mc.MaskLayers = mgvit.PlacementCLS, min(pretrainMaskLayers, mc.Depth)
		}
		m, err := mgvit.New(mc)
		if err != nil {
			return fmt.Errorf("pretrain: %w", err)
		}
		stemFitted := false
		if w := job.Config.Model.Weights; w != "" {
			rep, err := checkpoint.LoadPretrained(w, m.Params())
			if err != nil {
				return err
			}
			stemFitted = slices.Contains(rep.Loaded, mgvit.StemMeanParam) && slices.Contains(rep.Loaded, mgvit.StemStdParam)
			fmt.Fprintf(job.Log, "loaded %d tensors from %s (%d missing)\n", len(rep.Loaded), w, len(rep.Missing))
		}
		p := job.Config.Pretrain
		var items []train.Item
		for _, d := range ds.Datasets {
			set, err := dataset.Open(d.Format, d.Root)
			if err != nil {
				return err
			}
			for _, cat := range d.Categories {
				samples, err := set.Samples(cat)
				if err != nil {
					return err
				}
				for _, s := range samples {
					items = append(items, train.Item{Image: s.ImagePath, Label: -1, Group: s.ImagePath})
				}
			}
		}
		if mc.Stem == mgvit.StemFilterBank && !stemFitted {
			// The stem's standardisation is fitted on the pretraining images
			// whether or not the transformer is pretrained (unless the loaded
			// weights bring theirs).
			if err := train.FitStem(m, items, "", mm.ImageSize, workers); err != nil {
				return fmt.Errorf("pretrain: %w", err)
			}
		}
		if p.Enabled && p.Epochs > 0 {
			tc := train.DefaultConfig()
			tc.Epochs, tc.BatchSize, tc.LR, tc.Seed, tc.ImageSize, tc.PLR = p.Epochs, p.BatchSize, p.LR, seed, mm.ImageSize, false
			tc.CropMinScale, tc.RegionMasks, tc.EMATeacher = p.CropMinScale, p.RegionMasks, p.EMATeacher
			scratch := filepath.Join(job.Out, "run")
			if _, err := train.Run(ctx, m, items, tc, train.Options{OutDir: scratch, Workers: workers,
				Logger: slog.New(slog.NewTextHandler(job.Log, &slog.HandlerOptions{ReplaceAttr: dropTime}))}); err != nil {
				return fmt.Errorf("pretrain: %w", err)
			}
			if err := os.RemoveAll(scratch); err != nil {
				return err
			}
			fmt.Fprintf(job.Log, "pretrained on %d images for %d epochs\n", len(items), p.Epochs)
		}
		var tensors []checkpoint.Tensor
		for _, prm := range m.Params() {
			if isBackbone(prm.Name) {
				tensors = append(tensors, checkpoint.Tensor{Name: prm.Name, Shape: prm.Shape, Data: prm.Value})
			}
		}
		return checkpoint.WriteFile(filepath.Join(job.Out, BackboneFile), tensors, nil)
	}
}

// dropTime removes the timestamp from log lines, keeping stage logs
// identical across runs.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// loadBackbone copies the backbone tensors of a pretrain entry into params.
func loadBackbone(path string, params []*optim.Param) error {
	f, err := checkpoint.ReadFile(path)
	if err != nil {
		return err
	}
	for _, p := range params {
		if !isBackbone(p.Name) {
			continue
		}
		t, ok := f.Lookup(p.Name)
		if !ok {
			return fmt.Errorf("%s: no tensor %s", path, p.Name)
		}
		if len(t.Data) != len(p.Value) {
			return fmt.Errorf("%s: tensor %s has %d values, the model needs %d", path, p.Name, len(t.Data), len(p.Value))
		}
		copy(p.Value, t.Data)
	}
	return nil
}

// categoryClasses are the novel classes of a category: its test anomaly
// types including "good", excluding "combined", sorted.
func categoryClasses(set *dataset.Set, cat string) []string {
	classes := append(set.DefectTypes(cat), dataset.GoodType)
	slices.Sort(classes)
	return classes
}

// trainStage trains MGCRL per dataset and category on the crop items (and
// the labeled base set), writing core/train's outputs to
// <out>/<dataset>/<category>/.
func trainStage(workers int) experiments.StageFunc {
	return func(ctx context.Context, job experiments.Job) error {
		dirs, err := inputs(job, experiments.StageData, experiments.StageCrop, experiments.StagePretrain)
		if err != nil {
			return err
		}
		dataDir, cropDir, preDir := dirs[0], dirs[1], dirs[2]
		ds, err := ReadDatasets(dataDir)
		if err != nil {
			return err
		}
		all, storeRoot, err := ReadCropItems(cropDir)
		if err != nil {
			return err
		}
		var base []train.Item
		if job.Config.Train.LabeledBase {
			bset, err := dataset.Open(dataset.FormatAeBAD, ds.Base)
			if err != nil {
				return err
			}
			samples, err := bset.Samples(bset.Categories[0])
			if err != nil {
				return err
			}
			for _, s := range samples {
				label := slices.Index(ds.BaseClasses, s.Type)
				if label < 0 {
					continue
				}
				base = append(base, train.Item{Image: storeRel(storeRoot, s.ImagePath), Mask: storeRel(storeRoot, s.MaskPath),
					Label: label, Group: storeRel(storeRoot, s.ImagePath)})
			}
		}
		numBase := 0
		if job.Config.Train.LabeledBase {
			numBase = len(ds.BaseClasses)
		}
		seed := uint64(job.Seed)
		t := job.Config.Train
		for _, d := range ds.Datasets {
			set, err := dataset.Open(d.Format, d.Root)
			if err != nil {
				return err
			}
			for _, cat := range d.Categories {
				if err := ctx.Err(); err != nil {
					return err
				}
				classes := categoryClasses(set, cat)
				var items []train.Item
				var truth []int // true class of each unlabelled item (diagnostics)
				for _, it := range all {
					if it.Dataset != d.Name || it.Category != cat || it.Type == dataset.CombinedType {
						continue
					}
					truth = append(truth, slices.Index(classes, it.Type))
					items = append(items, train.Item{
						Image: it.Image, Mask: it.Mask, // relative to the store root
						Label: -1, Weight: float32(crop.Weight(it.Score, job.Config.Crop.AnomalyThred)), Group: it.Group,
					})
				}
				items = append(items, base...)
				m, err := mgvit.New(modelConfig(job.Config, numBase, len(classes), seed))
				if err != nil {
					return fmt.Errorf("train %s/%s: %w", d.Name, cat, err)
				}
				if err := loadBackbone(filepath.Join(preDir, BackboneFile), m.Params()); err != nil {
					return err
				}
				out := filepath.Join(job.Out, d.Name, cat)
				before, err := train.Predict(m, items[:len(truth)], storeRoot, job.Config.Model.ImageSize, 0, workers)
				if err != nil {
					return fmt.Errorf("train %s/%s: %w", d.Name, cat, err)
				}
				preds, err := train.Run(ctx, m, items, trainConfig(job.Config, t.Epochs, t.BatchSize, t.LR, seed), train.Options{OutDir: out, Workers: workers, Root: storeRoot,
					HeadFeatures: before.Features}) // the backbone's features, as head init needs them
				if err != nil {
					return fmt.Errorf("train %s/%s: %w", d.Name, cat, err)
				}
				prior, err := train.FilterBankFeatures(items[:len(truth)], storeRoot, job.Config.Model.ImageSize, job.Config.Model.PatchSize, workers)
				if err != nil {
					return fmt.Errorf("train %s/%s: %w", d.Name, cat, err)
				}
				if err := writeDiagnostics(out, before.Features, preds, truth, numBase, seed, prior); err != nil {
					return fmt.Errorf("train %s/%s: %w", d.Name, cat, err)
				}
				if err := predictCombined(m, combinedItems(all, d.Name, cat), storeRoot, job.Config.Model.ImageSize, preds.Head, workers, out); err != nil {
					return fmt.Errorf("train %s/%s: %w", d.Name, cat, err)
				}
				// The checkpoint is only needed to resume; the predictions are the
				// result. The first category's is kept for the attention figures
				// (Fig. 4/9/10) when the model is small (KeepCheckpointBytes).
				if !(d.Name == ds.Datasets[0].Name && cat == d.Categories[0] && paramBytes(m.Params()) <= KeepCheckpointBytes) {
					if err := os.Remove(filepath.Join(out, train.CheckpointFile)); err != nil {
						return err
					}
				}
				fmt.Fprintf(job.Log, "trained %s/%s: %d unlabeled + %d labeled items, %d classes\n", d.Name, cat, len(items)-len(base), len(base), len(classes))
			}
		}
		return nil
	}
}

// writeDiagnostics stores the run's training diagnostics: the unlabelled
// crops' features from the loaded backbone (before) and after training,
// their spread and k-means NMI, the chosen head's NMI (crop level), and
// k-means NMI on the crops' training-free filter-bank features (prior).
func writeDiagnostics(out string, before [][]float32, preds train.Predictions, truth []int, numLabeled int, seed uint64, prior [][]float32) error {
	diag, err := train.NewDiagnostics(before, preds, truth, numLabeled, seed, prior)
	if err != nil {
		return err
	}
	return diag.Write(out)
}
