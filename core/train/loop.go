package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/optim"
	"github.com/anomalyncd/ancd/core/sampler"
	"github.com/anomalyncd/ancd/internal/buf"
)

// ErrStopped is returned when Options.StopAfter ends a run early; the
// checkpoint of the last completed epoch is on disk and a run with
// Options.Resume continues from it.
var ErrStopped = errors.New("train: stopped after the requested epoch")

// Options control how a run is executed; none of them changes the result.
type Options struct {
	OutDir string // output folder (created); see the package doc for its files
	// Workers is the number of augmentation goroutines (0 = GOMAXPROCS).
	Workers int
	// Resume continues from OutDir's checkpoint when there is one. The
	// checkpoint must come from the same Config and items.
	Resume bool
	// StopAfter, when > 0, stops with ErrStopped once that many epochs are
	// complete (a simulated kill for tests, or a time-boxed run).
	StopAfter int
	// InferBatch is the number of crops per Infer call (0 = 64).
	InferBatch int
	// Progress, when set, is called after every batch (skipped ones too);
	// nil = no reports. Drawing is the caller's business (cmd/ancd uses mpb).
	Progress func(Progress)
	// Logger receives one line per epoch; nil = discard.
	Logger *slog.Logger
	// HeadFeatures, when set, are the unlabelled items' features on their
	// test views under the model as given (in item order, as Predict
	// returns them); HeadInitKMeans clusters them instead of inferring
	// them again. A caller that has them already (for diagnostics) saves a
	// pass over the crops.
	HeadFeatures [][]float32
	// Root, when set, is the folder relative item paths are resolved
	// against (absolute paths are used as they are). Paths are recorded as
	// given, in the checkpoint's item hash and in the predictions, so items
	// relative to a movable root give outputs that do not depend on where
	// the root is.
	Root string
}

// Progress is one report of a running training (see Options.Progress).
type Progress struct {
	Epoch, Epochs int     // current epoch (0-based) and the run's total
	Done, Total   int64   // samples drawn so far in this run (resumed epochs excluded) and in all
	Loss          float64 // total loss of the last non-skipped batch (0 before the first)
}

// Run trains m on items and writes the checkpoint, the metrics log and the
// predictions into opts.OutDir (see the package doc). Per epoch e:
//
//	order  = balanced sampler draws for (seed, e)
//	for each batch of BatchSize positions in order:
//	    views = two train views per sample, keyed (seed, e, position, view)
//	    losses = m.TrainStep(views, τ_e)   (skipped batch: no optimiser step)
//	    SGD step with lr_e (cosine, per epoch)
//	checkpoint (atomic), one metrics line
//
// then the head choice and inference on every unlabeled item's test view.
// A fresh run with Config.HeadInit kmeans first sets the heads from the
// model's features.
func Run(ctx context.Context, m StepModel, items []Item, cfg Config, opts Options) (Predictions, error) {
	r, err := newRun(m, items, cfg, opts)
	if err != nil {
		return Predictions{}, err
	}
	if err := r.resume(); err != nil {
		return Predictions{}, err
	}
	r.total = int64(cfg.Epochs-r.start) * int64(len(items))
	if r.start == 0 && cfg.HeadInit == HeadInitKMeans {
		if err := initHeadsKMeans(m, r.aug, items, r.sources.load, cfg.Seed, opts.InferBatch, opts.HeadFeatures); err != nil {
			return Predictions{}, err
		}
	}
	if r.start == 0 && r.teacher != nil {
		r.teacher.sync(r.params)
	}
	for e := r.start; e < cfg.Epochs; e++ {
		met, err := r.trainOneEpoch(ctx, e)
		if err != nil {
			return Predictions{}, err
		}
		if err := r.save(met); err != nil {
			return Predictions{}, err
		}
		if opts.StopAfter > 0 && e+1 >= opts.StopAfter && e+1 < cfg.Epochs {
			return Predictions{}, ErrStopped
		}
	}
	return r.predict()
}

// run is the state of one Run: the model, its optimiser and schedules, and
// where the loop stands.
type run struct {
	m       StepModel
	items   []Item
	cfg     Config
	opts    Options
	log     *slog.Logger
	params  []*optim.Param
	opt     *optim.SGD
	smp     sampler.Weighted
	aug     *augment.Augmenter
	sources *sourceCache
	lr      optim.CosineLR
	tau     []float64
	teacher *emaTeacher // nil unless Config.EMATeacher > 0
	hash    string
	ckPath  string

	start, step int       // first epoch to run, SGD steps so far
	lastPerHead []float64 // last completed epoch's mean cluster loss per head
	done, total int64     // progress counters (samples)
	lastLoss    float64
}

// newRun validates the inputs and builds everything a run needs.
func newRun(m StepModel, items []Item, cfg Config, opts Options) (*run, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkItems(items); err != nil {
		return nil, err
	}
	r := &run{m: m, items: items, cfg: cfg, opts: opts, log: opts.Logger, params: m.Params()}
	if r.log == nil {
		r.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	r.ckPath = filepath.Join(opts.OutDir, CheckpointFile)
	r.hash = cfg.hash(items)
	var err error
	if r.opt, err = optim.NewSGD(r.params, optim.SGDConfig{Momentum: cfg.Momentum, WeightDecay: cfg.WeightDecay}); err != nil {
		return nil, err
	}
	if r.smp, err = newSampler(items); err != nil {
		return nil, err
	}
	var augOpts []augment.Option
	if cfg.ScaleAugment {
		augOpts = append(augOpts, augment.ScaledBlur())
	}
	if cfg.CropMinScale > 0 {
		augOpts = append(augOpts, augment.ResizedCrop(cfg.CropMinScale))
	}
	if cfg.RegionMasks {
		augOpts = append(augOpts, augment.RegionMasks())
	}
	if r.aug, err = augment.New(cfg.ImageSize, workers, augOpts...); err != nil {
		return nil, err
	}
	if cfg.EMATeacher > 0 {
		if r.teacher, err = newEMATeacher(m, cfg.EMATeacher); err != nil {
			return nil, err
		}
	}
	r.sources = newSourceCache(items, opts.Root, sourceCacheBytes)
	r.lr = optim.ReferenceCosine(cfg.LR, cfg.Epochs)
	r.lr.EtaMin = cfg.LR * cfg.MinLRFactor
	r.tau = cfg.teacher().Schedule(cfg.Epochs)
	return r, nil
}

// checkpointParams are the tensors a checkpoint holds: the model's, then
// the EMA teacher's when there is one.
func (r *run) checkpointParams() []*optim.Param {
	if r.teacher == nil {
		return r.params
	}
	return append(slices.Clip(r.params), r.teacher.checkpointParams()...)
}

// resume restores parameters, momentum and position from the checkpoint
// when Options.Resume is set and one exists.
func (r *run) resume() error {
	if !r.opts.Resume {
		return nil
	}
	st, err := checkpoint.Load(r.ckPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	}
	if st.ConfigHash != r.hash || st.Seed != r.cfg.Seed {
		return fmt.Errorf("train: %s was written for config hash %s seed %d, this run is %s seed %d; remove it or choose another output folder",
			r.ckPath, st.ConfigHash, st.Seed, r.hash, r.cfg.Seed)
	}
	if err := st.Restore(r.checkpointParams()); err != nil {
		return fmt.Errorf("train: %s: %w", r.ckPath, err)
	}
	if err := r.opt.SetState(st.Momentum); err != nil {
		return fmt.Errorf("train: %s: %w", r.ckPath, err)
	}
	r.start, r.step, r.lastPerHead = st.Epoch, st.Step, st.ClusterPerHead
	r.log.Info("resumed", "checkpoint", r.ckPath, "epoch", r.start, "step", r.step)
	return nil
}

// trainOneEpoch runs the batches of epoch e and returns its metrics.
func (r *run) trainOneEpoch(ctx context.Context, e int) (EpochMetrics, error) {
	cfg, s := r.cfg, r.cfg.ImageSize
	t0 := time.Now()
	met := EpochMetrics{Epoch: e, LR: r.lr.At(e), TeacherTemp: r.tau[e]}
	var sum lossSum
	var batch mgvit.Batch
	order := r.smp.Epoch(cfg.Seed, e)
	for bi, idx := range sampler.Batches(order, cfg.BatchSize) {
		if err := ctx.Err(); err != nil {
			return met, err
		}
		fillBatch(&batch, r.items, idx, cfg.PLR, s)
		err := r.aug.TrainBatch(len(idx),
			func(i int) (augment.Source, error) { return r.sources.load(idx[i]) },
			func(i int) augment.Key { return augment.Key{Seed: cfg.Seed, Epoch: e, Index: bi*cfg.BatchSize + i} },
			&batch.Views, &batch.Masks)
		if err != nil {
			return met, fmt.Errorf("train: epoch %d batch %d: %w", e, bi, err)
		}
		if r.teacher != nil {
			if err := r.teacher.logits(&batch); err != nil {
				return met, fmt.Errorf("train: epoch %d batch %d: %w", e, bi, err)
			}
		}
		losses, err := r.m.TrainStep(batch, r.tau[e])
		switch {
		case errors.Is(err, mgvit.ErrSkippedBatch):
			met.Skipped++
		case err != nil:
			return met, fmt.Errorf("train: epoch %d batch %d: %w", e, bi, err)
		default:
			r.opt.Step(met.LR)
			if r.teacher != nil {
				r.teacher.update(r.params)
			}
			r.step++
			sum.add(losses)
			r.lastLoss = losses.Total
		}
		r.done += int64(len(idx))
		if r.opts.Progress != nil {
			r.opts.Progress(Progress{Epoch: e, Epochs: cfg.Epochs, Done: r.done, Total: r.total, Loss: r.lastLoss})
		}
	}
	sum.fill(&met)
	met.Seconds = time.Since(t0).Seconds()
	met.ImagesPerSec = float64(len(order)) / max(met.Seconds, 1e-9)
	return met, nil
}

// save writes the checkpoint after epoch met.Epoch (atomically) and its
// metrics line.
func (r *run) save(met EpochMetrics) error {
	r.lastPerHead = met.ClusterPerHead
	st := checkpoint.Capture(met.Epoch+1, r.step, r.cfg.Seed, r.hash, r.checkpointParams(), r.opt.State())
	st.ClusterPerHead = met.ClusterPerHead
	if err := checkpoint.Save(r.ckPath, st); err != nil {
		return err
	}
	if err := appendMetrics(filepath.Join(r.opts.OutDir, MetricsFile), met); err != nil {
		return err
	}
	r.log.Info("epoch", "epoch", met.Epoch, "loss", met.Total, "cluster", met.Cluster, "lr", met.LR,
		"teacher_temp", met.TeacherTemp, "skipped", met.Skipped, "images_per_s", met.ImagesPerSec)
	return nil
}

// predict chooses the head and writes the predictions of the unlabeled items.
func (r *run) predict() (Predictions, error) {
	head, err := ChooseHead(r.lastPerHead)
	if err != nil {
		return Predictions{}, err
	}
	preds, err := predict(r.m, r.aug, r.items, r.sources.load, head, r.opts.InferBatch)
	if err != nil {
		return Predictions{}, err
	}
	preds.ClusterPerHead = r.lastPerHead
	if err := preds.Write(r.opts.OutDir); err != nil {
		return Predictions{}, err
	}
	return preds, nil
}

// newSampler builds the balanced sampler; without labeled items every
// item gets weight 1 (the model must then be configured to train without
// labels, or it skips every batch).
func newSampler(items []Item) (sampler.Weighted, error) {
	labeled := make([]bool, len(items))
	nLab := 0
	for i, it := range items {
		labeled[i] = it.Labeled()
		if labeled[i] {
			nLab++
		}
	}
	var w []float64
	if nLab == 0 || nLab == len(items) {
		w = make([]float64, len(items))
		for i := range w {
			w[i] = 1
		}
	} else {
		var err error
		if w, err = sampler.Balanced(labeled); err != nil {
			return sampler.Weighted{}, err
		}
	}
	return sampler.NewWeighted(w)
}

// fillBatch sets labels and weights and sizes the view buffers for idx.
func fillBatch(b *mgvit.Batch, items []Item, idx []int, plr bool, s int) {
	n := len(idx)
	b.Labels = buf.Resize(b.Labels, n)
	b.Weights = buf.Resize(b.Weights, n)
	for i, j := range idx {
		b.Labels[i] = items[j].Label
		b.Weights[i] = 0
		if plr && !items[j].Labeled() {
			b.Weights[i] = items[j].Weight
		}
	}
	for v := range 2 {
		b.Views[v] = buf.Resize(b.Views[v], n*3*s*s)
		b.Masks[v] = buf.Resize(b.Masks[v], n*s*s)
	}
}

// predict runs Infer on the test view of every unlabeled item, in item
// order; load(i) decodes item i.
func predict(m StepModel, aug *augment.Augmenter, items []Item, load func(i int) (augment.Source, error), head, chunk int) (Predictions, error) {
	var unl []int
	for i, it := range items {
		if !it.Labeled() {
			unl = append(unl, i)
		}
	}
	p := Predictions{Head: head}
	err := eachTestBatch(aug, unl, load, chunk, func(img, mask []float32, idx []int) error {
		n := len(idx)
		out, err := m.Infer(img, mask, n)
		if err != nil {
			return err
		}
		if head >= len(out.Logits) || len(out.Logits[head]) != n || len(out.Features) != n {
			return fmt.Errorf("inference returned %d heads / %d features for %d crops, want head %d", len(out.Logits), len(out.Features), n, head)
		}
		for i, j := range idx {
			it := items[j]
			lg := out.Logits[head][i]
			p.Classes = len(lg)
			p.Crops = append(p.Crops, CropPrediction{Image: it.Image, Mask: it.Mask, Group: it.Group, Logits: append([]float32(nil), lg...)})
			p.Features = append(p.Features, append([]float32(nil), out.Features[i]...))
		}
		return nil
	})
	if err != nil {
		return p, fmt.Errorf("train: inference: %w", err)
	}
	return p, nil
}
