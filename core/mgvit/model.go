package mgvit

import (
	"errors"
	"fmt"

	"github.com/anomalyncd/ancd/core/optim"
	"gorgonia.org/tensor"
)

// ErrSkippedBatch is returned (wrapped) by TrainStep when a batch lacks the
// rows the losses need; the gradients are then all zero, as the reference
// skips such a batch.
var ErrSkippedBatch = errors.New("mgvit: batch skipped")

// inferChunk is the number of images one inference graph processes.
const inferChunk = 64

// Model is an MGViT with its projector and cosine heads, computed in
// float32. It holds one compiled graph per training batch size and one for
// inference; it is not safe for concurrent use.
type Model struct {
	cfg    Config
	params []*optim.Param
	train  map[int]*graph // by batch size B
	infer  *graph
	attn   *graph // inference plus [CLS] attention read-outs, built on first use
}

// New builds a model with deterministically initialised parameters
// (truncated normal std 0.02 for weights, [CLS] and positions; LayerNorm
// 1/0; biases 0), seeded from cfg.Seed.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Model{cfg: cfg, params: newParams(cfg), train: map[int]*graph{}}, nil
}

// Clone returns an independent model with m's configuration and a copy of
// its parameter values.
func (m *Model) Clone() (*Model, error) {
	c, err := New(m.cfg)
	if err != nil {
		return nil, err
	}
	for i, p := range m.params {
		copy(c.params[i].Value, p.Value)
	}
	return c, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Params returns every parameter in checkpoint order. Their Value slices are
// the model's live storage.
func (m *Model) Params() []*optim.Param { return m.params }

// checkBatch validates the shapes of b and applies the skip rule.
func (m *Model) checkBatch(b Batch) error {
	n := len(b.Labels)
	s := m.cfg.ImageSize
	if n == 0 {
		return fmt.Errorf("%w: empty batch", ErrSkippedBatch)
	}
	for v := range 2 {
		if len(b.Views[v]) != n*3*s*s {
			return fmt.Errorf("mgvit: view %d has %d values, want %d (B=%d, S=%d)", v, len(b.Views[v]), n*3*s*s, n, s)
		}
		if len(b.Masks[v]) != n*s*s {
			return fmt.Errorf("mgvit: mask %d has %d values, want %d", v, len(b.Masks[v]), n*s*s)
		}
	}
	if len(b.Weights) != n {
		return fmt.Errorf("mgvit: %d weights for %d labels", len(b.Weights), n)
	}
	if b.TeacherLogits != nil {
		if len(b.TeacherLogits) != m.cfg.NumHeads {
			return fmt.Errorf("mgvit: teacher logits for %d heads, the model has %d", len(b.TeacherLogits), m.cfg.NumHeads)
		}
		for h, tl := range b.TeacherLogits {
			if len(tl) != 2*n*m.cfg.Classes() {
				return fmt.Errorf("mgvit: teacher logits of head %d have %d values, want %d (2B×C)", h, len(tl), 2*n*m.cfg.Classes())
			}
		}
	}
	lab, unl := 0, 0
	for i, l := range b.Labels {
		switch {
		case l < 0:
			unl++
		case l < m.cfg.NumLabeled:
			lab++
		default:
			return fmt.Errorf("mgvit: label %d of row %d outside [-1,%d)", l, i, m.cfg.NumLabeled)
		}
	}
	if m.cfg.Loss.NoLabeled {
		if lab > 0 {
			return fmt.Errorf("mgvit: no_labeled is set but the batch has %d labelled rows", lab)
		}
		return nil
	}
	if lab == 0 || unl == 0 {
		return fmt.Errorf("%w: %d labelled and %d unlabelled rows", ErrSkippedBatch, lab, unl)
	}
	return nil
}

// TrainStep runs forward and backward on one batch at teacher temperature
// τ_t, fills Grad of every trainable parameter and returns the losses. On a
// skipped batch (see ErrSkippedBatch and LossConfig.NoLabeled) the
// gradients are zeroed and the error is returned.
func (m *Model) TrainStep(b Batch, teacherTemp float64) (Losses, error) {
	if err := m.checkBatch(b); err != nil {
		m.zeroGrads()
		return Losses{}, err
	}
	if teacherTemp <= 0 {
		return Losses{}, fmt.Errorf("mgvit: teacher temperature %g must be positive", teacherTemp)
	}
	bs := len(b.Labels)
	gr, ok := m.train[bs]
	if !ok {
		var err error
		if gr, err = buildGraph(m.cfg, m.params, tensor.Float32, 2*bs, trainGraph); err != nil {
			return Losses{}, err
		}
		m.train[bs] = gr
	}
	gr.setBatch(b, teacherTemp)
	if err := gr.run(); err != nil {
		return Losses{}, err
	}
	for i, p := range m.params {
		if gv := gr.gradValues[i]; gv != nil {
			copy(p.Grad, gv.Data().([]float32))
		} else {
			clear(p.Grad) // frozen, or not part of the loss
		}
	}
	return gr.losses(), nil
}

func (m *Model) zeroGrads() {
	for _, p := range m.params {
		clear(p.Grad)
	}
}

// setBatch copies a batch into the graph's inputs and step metadata.
func (gr *graph) setBatch(b Batch, teacherTemp float64) {
	bs := len(b.Labels)
	for v := range 2 {
		fillInputs(gr, b.Views[v], b.Masks[v], bs, v*bs)
	}
	gr.meta.labels = append(gr.meta.labels[:0], b.Labels...)
	gr.meta.weights = gr.meta.weights[:0]
	for _, w := range b.Weights {
		if gr.cfg.Loss.NoPLR {
			w = 0
		}
		gr.meta.weights = append(gr.meta.weights, float64(w))
	}
	gr.meta.teacherTemp = teacherTemp
	gr.meta.teacherLogits = b.TeacherLogits
}

// fillInputs writes n images and masks at image offset first.
func fillInputs(gr *graph, images, masks []float32, n, first int) {
	switch dst := gr.patches.Value().Data().(type) {
	case []float32:
		fillPatches(gr, images, n, first, dst)
	case []float64:
		fillPatches(gr, images, n, first, dst)
	}
	if gr.allowed == nil {
		return
	}
	switch dst := gr.allowed.Value().Data().(type) {
	case []float32:
		poolMask(gr.cfg, masks, n, first, dst)
	case []float64:
		poolMask(gr.cfg, masks, n, first, dst)
	}
}

// fillPatches writes the patch-token inputs of n images at image offset
// first: the filter-bank stem's, or the pixels (im2col).
func fillPatches[T float32 | float64](gr *graph, images []float32, n, first int, dst []T) {
	if gr.stem != nil {
		stemFill(gr.stem, images, n, first, dst)
		return
	}
	im2col(gr.cfg, images, n, first, dst)
}

// losses converts the read loss values, combining them as the reference.
func (gr *graph) losses() Losses {
	lv, lc := gr.lossValues, gr.cfg.Loss
	nh := float64(len(lv.distill))
	var l Losses
	// One entry per head even when the cluster terms are off
	// (ContrastiveOnly): they are then all 0.
	l.ClusterPerHead = make([]float64, gr.cfg.NumHeads)
	for i := range lv.distill {
		l.ClusterPerHead[i] = scalarOf(lv.distill[i]) + lc.MemaxWeight*scalarOf(lv.memax[i])
		l.Cluster += l.ClusterPerHead[i] / nh
	}
	for i := range lv.ce {
		l.Cls += scalarOf(lv.ce[i]) / nh
	}
	l.Contrastive = scalarOf(lv.con)
	if lv.supcon != nil {
		l.SupCon = scalarOf(lv.supcon)
	}
	l.Total = scalarOf(lv.total)
	return l
}

// Infer computes the head logits and L2-normalised [CLS] features of n
// images [n,3,S,S] with masks [n,S,S].
func (m *Model) Infer(images, masks []float32, n int) (Output, error) {
	s := m.cfg.ImageSize
	if len(images) != n*3*s*s || len(masks) != n*s*s {
		return Output{}, fmt.Errorf("mgvit: infer got %d image and %d mask values for n=%d, S=%d", len(images), len(masks), n, s)
	}
	if m.infer == nil {
		gr, err := buildGraph(m.cfg, m.params, tensor.Float32, inferChunk, inferGraph)
		if err != nil {
			return Output{}, err
		}
		m.infer = gr
	}
	gr := m.infer
	out := Output{Logits: make([][][]float32, m.cfg.NumHeads)}
	c, d := m.cfg.Classes(), m.cfg.Dim
	for lo := 0; lo < n; lo += inferChunk {
		k := min(inferChunk, n-lo)
		clear(gr.patches.Value().Data().([]float32))
		if gr.allowed != nil {
			clear(gr.allowed.Value().Data().([]float32))
		}
		fillInputs(gr, images[lo*3*s*s:(lo+k)*3*s*s], masks[lo*s*s:(lo+k)*s*s], k, 0)
		if err := gr.run(); err != nil {
			return Output{}, err
		}
		for h := range m.cfg.NumHeads {
			lg := gr.logitValues[h].Data().([]float32)
			for i := range k {
				out.Logits[h] = append(out.Logits[h], append([]float32(nil), lg[i*c:(i+1)*c]...))
			}
		}
		f := gr.featureValue.Data().([]float32)
		for i := range k {
			out.Features = append(out.Features, append([]float32(nil), f[i*d:(i+1)*d]...))
		}
	}
	return out, nil
}
