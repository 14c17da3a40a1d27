package mgvit

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/features"
	"github.com/anomalyncd/ancd/core/optim"
)

// Stem says what a patch token is made from before the patch embedding.
type Stem string

// The stems.
const (
	// StemPixels: the patch's raw pixels, flattened (3·P·P values), as the
	// reference's ViT (a P×P convolution with stride P). "" means the same.
	StemPixels Stem = "pixels"
	// StemFilterBank: the fixed, training-free multi-scale filter bank of
	// core/features (9 responses at σ = 1, 2, 4 px, 27 values) average-pooled
	// over the patch, standardised with per-response statistics fitted once
	// on the pretraining images (FitStem). A hybrid ViT in the sense of the
	// original ViT paper, which puts a CNN stem under the transformer; here
	// the stem is the same prior the detectors and the Anomaly Clustering
	// baseline use, so a comparison with them asks what the transformer and
	// its training add. Not the reference: a departure for small backbones
	// trained from scratch (docs/tuning.md).
	StemFilterBank Stem = "filterbank"
)

// Names of the filter-bank stem's standardisation statistics: fixed
// (never trained) backbone parameters, set by a StemFit.
const (
	StemMeanParam = "patch_embed.feat_mean"
	StemStdParam  = "patch_embed.feat_std"
)

// StemFeatureParams is the filter bank of StemFilterBank for patch size p:
// responses at σ = 1, 2, 4 px average-pooled over p×p cells, never resized.
func StemFeatureParams(p int) features.Params {
	return features.Params{Stride: p, Sigmas: []float64{1, 2, 4}, MaxSide: -1}
}

// PatchDim is the length of one patch token's input: 3·P·P for pixels,
// the filter bank's dimension for the filter-bank stem.
func (c Config) PatchDim() int {
	if c.Stem == StemFilterBank {
		return StemFeatureParams(c.PatchSize).Dim()
	}
	return 3 * c.PatchSize * c.PatchSize
}

// stem turns images into patch-token inputs for the filter-bank stem. It
// owns one extractor and scratch planes per worker (images are independent,
// so the result does not depend on the number of workers) and is not safe
// for concurrent use.
type stem struct {
	cfg       Config
	workers   []stemWorker
	mean, std []float32 // live parameter storage (StemMeanParam, StemStdParam)
}

type stemWorker struct {
	ext *features.Extractor
	rgb [3][]float32
}

func newStem(c Config, params []*optim.Param) (*stem, error) {
	st := &stem{cfg: c, workers: make([]stemWorker, max(1, runtime.GOMAXPROCS(0)))}
	s := c.ImageSize
	for w := range st.workers {
		ext, err := features.NewExtractor(StemFeatureParams(c.PatchSize))
		if err != nil {
			return nil, err
		}
		st.workers[w].ext = ext
		for ch := range 3 {
			st.workers[w].rgb[ch] = make([]float32, s*s)
		}
	}
	for _, p := range params {
		switch p.Name {
		case StemMeanParam:
			st.mean = p.Value
		case StemStdParam:
			st.std = p.Value
		}
	}
	if len(st.mean) != c.PatchDim() || len(st.std) != c.PatchDim() {
		return nil, fmt.Errorf("mgvit: filter-bank stem needs %s and %s of %d values", StemMeanParam, StemStdParam, c.PatchDim())
	}
	return st, nil
}

// raw returns the unstandardised filter-bank grid of image i of images
// [n,3,S,S] (ImageNet-normalised views), using worker w's buffers.
func (st *stem) raw(w int, images []float32, i int) (*features.Grid, error) {
	s := st.cfg.ImageSize
	wk := &st.workers[w]
	img := images[i*3*s*s : (i+1)*3*s*s]
	for ch := range 3 {
		for j, v := range img[ch*s*s : (ch+1)*s*s] {
			wk.rgb[ch][j] = augment.Denormalize(v, ch)
		}
	}
	g, err := wk.ext.ExtractRGB(wk.rgb[0], wk.rgb[1], wk.rgb[2], s, s)
	if err != nil {
		return nil, err
	}
	if g.Len() != st.cfg.Grid()*st.cfg.Grid() {
		return nil, fmt.Errorf("mgvit: filter bank gave %dx%d cells, the patch grid is %dx%d", g.W, g.H, st.cfg.Grid(), st.cfg.Grid())
	}
	return g, nil
}

// each runs fn(w, i) for i in [0, n), image i on worker i mod workers.
func (st *stem) each(n int, fn func(w, i int) error) error {
	nw := min(len(st.workers), n)
	errs := make([]error, nw)
	var wg sync.WaitGroup
	for w := range nw {
		wg.Go(func() {
			for i := w; i < n; i += nw {
				if err := fn(w, i); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// stemFill writes the standardised stem inputs of n images into dst
// [n*N, F] from image offset first.
func stemFill[T float32 | float64](st *stem, images []float32, n, first int, dst []T) {
	f := st.cfg.PatchDim()
	np := st.cfg.Grid() * st.cfg.Grid()
	err := st.each(n, func(w, i int) error {
		g, err := st.raw(w, images, i)
		if err != nil {
			return err
		}
		for cell := range np {
			row := dst[((first+i)*np+cell)*f:]
			for k, v := range g.Vec(cell) {
				row[k] = T((v - st.mean[k]) / st.std[k])
			}
		}
		return nil
	})
	if err != nil {
		panic(err) // sizes are fixed by construction
	}
}

// StemFit accumulates the filter-bank stem's per-response statistics over
// views (see Model.NewStemFit).
type StemFit struct {
	m         *Model
	st        *stem
	sum, sum2 []float64
	count     int
}

// NewStemFit starts fitting the standardisation of a filter-bank stem;
// feed it views with Add, then Apply. It fails for other stems.
func (m *Model) NewStemFit() (*StemFit, error) {
	if m.cfg.Stem != StemFilterBank {
		return nil, fmt.Errorf("mgvit: stem %q has no statistics to fit", m.cfg.Stem)
	}
	st, err := newStem(m.cfg, m.params)
	if err != nil {
		return nil, err
	}
	f := m.cfg.PatchDim()
	return &StemFit{m: m, st: st, sum: make([]float64, f), sum2: make([]float64, f)}, nil
}

// Add accumulates the patch cells of n views [n,3,S,S] (in order, so the
// result does not depend on how views are chunked beyond float64 rounding
// of the running sums, which follow the same order).
func (sf *StemFit) Add(images []float32, n int) error {
	s := sf.m.cfg.ImageSize
	if len(images) != n*3*s*s {
		return fmt.Errorf("mgvit: stem fit got %d values for %d images of %dx%d", len(images), n, s, s)
	}
	for i := range n {
		g, err := sf.st.raw(0, images, i)
		if err != nil {
			return err
		}
		for cell := range g.Len() {
			for k, v := range g.Vec(cell) {
				sf.sum[k] += float64(v)
				sf.sum2[k] += float64(v) * float64(v)
			}
			sf.count++
		}
	}
	return nil
}

// Apply stores mean and standard deviation (floored at 1e-6) of every
// response in the model's stem parameters.
func (sf *StemFit) Apply() error {
	if sf.count == 0 {
		return fmt.Errorf("mgvit: stem fit saw no images")
	}
	n := float64(sf.count)
	for k := range sf.sum {
		mu := sf.sum[k] / n
		v := max(sf.sum2[k]/n-mu*mu, 0)
		sf.st.mean[k] = float32(mu)
		sf.st.std[k] = float32(max(math.Sqrt(v), 1e-6))
	}
	return nil
}
