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
	"time"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/optim"
	"github.com/anomalyncd/ancd/core/sampler"
	"github.com/schollz/progressbar/v3"
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
	// Progress receives a progress bar (epoch, loss, images/s, ETA); nil = none.
	Progress io.Writer
	// Logger receives one line per epoch; nil = discard.
	Logger *slog.Logger
	// Root, when set, is the folder relative item paths are resolved
	// against (absolute paths are used as they are). Paths are recorded as
	// given, in the checkpoint's item hash and in the predictions, so items
	// relative to a movable root give outputs that do not depend on where
	// the root is.
	Root string
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
func Run(ctx context.Context, m StepModel, items []Item, cfg Config, opts Options) (Predictions, error) {
	if err := cfg.Validate(); err != nil {
		return Predictions{}, err
	}
	if err := checkItems(items); err != nil {
		return Predictions{}, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return Predictions{}, fmt.Errorf("train: %w", err)
	}
	ckPath := filepath.Join(opts.OutDir, CheckpointFile)
	hash := cfg.hash(items)

	params := m.Params()
	opt, err := optim.NewSGD(params, optim.SGDConfig{Momentum: cfg.Momentum, WeightDecay: cfg.WeightDecay})
	if err != nil {
		return Predictions{}, err
	}
	smp, err := newSampler(items)
	if err != nil {
		return Predictions{}, err
	}
	var augOpts []augment.Option
	if cfg.ScaleAugment {
		augOpts = append(augOpts, augment.ScaledBlur())
	}
	aug, err := augment.New(cfg.ImageSize, workers, augOpts...)
	if err != nil {
		return Predictions{}, err
	}
	sources := newSourceCache(items, opts.Root, sourceCacheBytes)
	lr := optim.ReferenceCosine(cfg.LR, cfg.Epochs)
	lr.EtaMin = cfg.LR * cfg.MinLRFactor
	tau := cfg.teacher().Schedule(cfg.Epochs)

	start, step := 0, 0
	var lastPerHead []float64
	if opts.Resume {
		st, err := checkpoint.Load(ckPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return Predictions{}, err
		default:
			if st.ConfigHash != hash || st.Seed != cfg.Seed {
				return Predictions{}, fmt.Errorf("train: %s was written for config hash %s seed %d, this run is %s seed %d; remove it or choose another output folder",
					ckPath, st.ConfigHash, st.Seed, hash, cfg.Seed)
			}
			if err := st.Restore(params); err != nil {
				return Predictions{}, fmt.Errorf("train: %s: %w", ckPath, err)
			}
			if err := opt.SetState(st.Momentum); err != nil {
				return Predictions{}, fmt.Errorf("train: %s: %w", ckPath, err)
			}
			start, step, lastPerHead = st.Epoch, st.Step, st.ClusterPerHead
			log.Info("resumed", "checkpoint", ckPath, "epoch", start, "step", step)
		}
	}

	if start == 0 && cfg.HeadInit == HeadInitKMeans {
		if err := initHeadsKMeans(m, aug, items, sources.load, cfg.Seed, opts.InferBatch, cfg.ImageSize); err != nil {
			return Predictions{}, err
		}
	}

	bar := newBar(opts.Progress, int64(cfg.Epochs-start)*int64(len(items)))
	s := cfg.ImageSize
	var batch mgvit.Batch
	for e := start; e < cfg.Epochs; e++ {
		t0 := time.Now()
		met := EpochMetrics{Epoch: e, LR: lr.At(e), TeacherTemp: tau[e]}
		var sum lossSum
		order := smp.Epoch(cfg.Seed, e)
		for bi, idx := range sampler.Batches(order, cfg.BatchSize) {
			if err := ctx.Err(); err != nil {
				return Predictions{}, err
			}
			fillBatch(&batch, items, idx, cfg.PLR, s)
			err := aug.TrainBatch(len(idx),
				func(i int) (augment.Source, error) { return sources.load(idx[i]) },
				func(i int) augment.Key { return augment.Key{Seed: cfg.Seed, Epoch: e, Index: bi*cfg.BatchSize + i} },
				&batch.Views, &batch.Masks)
			if err != nil {
				return Predictions{}, fmt.Errorf("train: epoch %d batch %d: %w", e, bi, err)
			}
			losses, err := m.TrainStep(batch, tau[e])
			if errors.Is(err, mgvit.ErrSkippedBatch) {
				met.Skipped++
				bar.add(len(idx))
				continue
			}
			if err != nil {
				return Predictions{}, fmt.Errorf("train: epoch %d batch %d: %w", e, bi, err)
			}
			opt.Step(met.LR)
			step++
			sum.add(losses)
			bar.add(len(idx))
			bar.describe(e, cfg.Epochs, losses.Total)
		}
		sum.fill(&met)
		met.Seconds = time.Since(t0).Seconds()
		met.ImagesPerSec = float64(len(order)) / max(met.Seconds, 1e-9)
		lastPerHead = met.ClusterPerHead
		st := checkpoint.Capture(e+1, step, cfg.Seed, hash, params, opt.State())
		st.ClusterPerHead = met.ClusterPerHead
		if err := checkpoint.Save(ckPath, st); err != nil {
			return Predictions{}, err
		}
		if err := appendMetrics(filepath.Join(opts.OutDir, MetricsFile), met); err != nil {
			return Predictions{}, err
		}
		log.Info("epoch", "epoch", e, "loss", met.Total, "cluster", met.Cluster, "lr", met.LR,
			"teacher_temp", met.TeacherTemp, "skipped", met.Skipped, "images_per_s", met.ImagesPerSec)
		if opts.StopAfter > 0 && e+1 >= opts.StopAfter && e+1 < cfg.Epochs {
			bar.finish()
			return Predictions{}, ErrStopped
		}
	}
	bar.finish()

	head, err := ChooseHead(lastPerHead)
	if err != nil {
		return Predictions{}, err
	}
	preds, err := predict(m, aug, items, sources.load, head, opts.InferBatch, s)
	if err != nil {
		return Predictions{}, err
	}
	preds.ClusterPerHead = lastPerHead
	if err := preds.Write(opts.OutDir); err != nil {
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
	b.Labels = resize(b.Labels, n)
	b.Weights = resize(b.Weights, n)
	for i, j := range idx {
		b.Labels[i] = items[j].Label
		b.Weights[i] = 0
		if plr && !items[j].Labeled() {
			b.Weights[i] = items[j].Weight
		}
	}
	for v := range 2 {
		b.Views[v] = resize(b.Views[v], n*3*s*s)
		b.Masks[v] = resize(b.Masks[v], n*s*s)
	}
}

func resize[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

// predict runs Infer on the test view of every unlabeled item, in item
// order; load(i) decodes item i.
func predict(m StepModel, aug *augment.Augmenter, items []Item, load func(i int) (augment.Source, error), head, chunk, s int) (Predictions, error) {
	if chunk <= 0 {
		chunk = 64
	}
	var unl []int
	for i, it := range items {
		if !it.Labeled() {
			unl = append(unl, i)
		}
	}
	p := Predictions{Head: head}
	var img, mask []float32
	for lo := 0; lo < len(unl); lo += chunk {
		idx := unl[lo:min(lo+chunk, len(unl))]
		n := len(idx)
		img, mask = resize(img, n*3*s*s), resize(mask, n*s*s)
		if err := aug.TestBatch(n, func(i int) (augment.Source, error) { return load(idx[i]) }, img, mask); err != nil {
			return p, fmt.Errorf("train: inference: %w", err)
		}
		out, err := m.Infer(img, mask, n)
		if err != nil {
			return p, fmt.Errorf("train: inference: %w", err)
		}
		if head >= len(out.Logits) || len(out.Logits[head]) != n || len(out.Features) != n {
			return p, fmt.Errorf("train: inference returned %d heads / %d features for %d crops, want head %d", len(out.Logits), len(out.Features), n, head)
		}
		for i, j := range idx {
			it := items[j]
			lg := out.Logits[head][i]
			p.Classes = len(lg)
			p.Crops = append(p.Crops, CropPrediction{Image: it.Image, Mask: it.Mask, Group: it.Group, Logits: append([]float32(nil), lg...)})
			p.Features = append(p.Features, append([]float32(nil), out.Features[i]...))
		}
	}
	return p, nil
}

// bar is an optional progress bar; the zero value does nothing.
type bar struct{ pb *progressbar.ProgressBar }

func newBar(w io.Writer, total int64) bar {
	if w == nil {
		return bar{}
	}
	return bar{progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("img"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(250*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)}
}

func (b bar) add(n int) {
	if b.pb != nil {
		b.pb.Add(n)
	}
}

func (b bar) describe(e, epochs int, loss float64) {
	if b.pb != nil {
		b.pb.Describe(fmt.Sprintf("epoch %d/%d loss %.4f", e+1, epochs, loss))
	}
}

func (b bar) finish() {
	if b.pb != nil {
		b.pb.Finish()
	}
}
