package baselines

import (
	"fmt"
	"image"
	"math"
	"runtime"

	"github.com/anomalyncd/ancd/core/features"
)

// Image is one unlabeled test image and its anomaly map (a detector's map,
// or the ground-truth mask for Table X), values 0..255 read as [0, 1]. The
// map may have any size: it is laid proportionally over the patch grid. A
// nil Map uses the feature-based fallback score (see the package doc).
type Image struct {
	RGB *image.RGBA
	Map *image.Gray
}

// ACParams configures AnomalyClustering. The zero value means: the
// core/features extractor with its default Params, 3×3 local aggregation,
// temperature 0.1, no L2 normalisation, GOMAXPROCS workers.
type ACParams struct {
	// Extract replaces the default extractor (see PatchFunc); Features and
	// Aggregate are then ignored.
	Extract PatchFunc
	// Features configures the default core/features extractor.
	Features features.Params
	// Aggregate is the local neighbourhood size averaged on the feature
	// grid of the default extractor (0: 3; 1: none).
	Aggregate int
	// Temperature τ of the softmax over patch anomaly scores (0: 0.1).
	// Smaller focuses the embedding on the highest-scoring patches.
	Temperature float64
	// L2Normalize scales every embedding to unit length before clustering.
	L2Normalize bool
	// Workers extracts that many images concurrently (results do not
	// depend on it). 0: GOMAXPROCS.
	Workers int
}

func (p ACParams) withDefaults() ACParams {
	if p.Aggregate == 0 {
		p.Aggregate = 3
	}
	if p.Temperature == 0 {
		p.Temperature = 0.1
	}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	return p
}

// AnomalyClustering clusters imgs into k groups with Anomaly Clustering
// (Sohn et al. 2023): anomaly-map-weighted patch embeddings (Embeddings)
// clustered by Ward linkage. normals == nil is the unsupervised setting;
// labeled normal (train/good) images make it semi-supervised. Labels are
// numbered by first appearance.
func AnomalyClustering(imgs []Image, normals []*image.RGBA, k int, p ACParams) ([]int, error) {
	if k < 1 || k > len(imgs) {
		return nil, fmt.Errorf("baselines: cannot cluster %d images into k = %d clusters", len(imgs), k)
	}
	emb, err := Embeddings(imgs, normals, p)
	if err != nil {
		return nil, err
	}
	return Ward(emb, k)
}

// Embeddings returns the Anomaly Clustering embedding of every image,
//
//	e = s ⊙ (Σ_p w_p f_p − μ),   w = softmax(m / τ),
//
// with μ, s the per-dimension patch mean and 1/std (1 where std < 1e-6)
// over the normals' patches when normals != nil, else over the patches of
// imgs (see the package doc for the rationale).
func Embeddings(imgs []Image, normals []*image.RGBA, p ACParams) ([][]float64, error) {
	if len(imgs) == 0 {
		return nil, fmt.Errorf("baselines: no images to embed")
	}
	if normals != nil && len(normals) == 0 {
		return nil, fmt.Errorf("baselines: semi-supervised setting with no normal images (pass nil for unsupervised)")
	}
	if p.Temperature < 0 || math.IsNaN(p.Temperature) {
		return nil, fmt.Errorf("baselines: temperature %v must be > 0", p.Temperature)
	}
	if p.Aggregate < 0 {
		return nil, fmt.Errorf("baselines: aggregate %d must be >= 0", p.Aggregate)
	}
	p = p.withDefaults()
	source, err := newPatchSource(p.Extract, p.Features, p.Aggregate)
	if err != nil {
		return nil, err
	}

	var ref momentSum
	if normals != nil {
		parts := make([]momentSum, len(normals))
		err := forEach(len(normals), p.Workers, func(int) func(int) error {
			f, ferr := source()
			return func(i int) error {
				if ferr != nil {
					return ferr
				}
				ps, err := extractOne(f, normals[i], "normal image", i)
				if err == nil {
					parts[i].add(ps.patches)
				}
				return err
			}
		})
		if err != nil {
			return nil, err
		}
		if ref, err = combine(parts, "normal image"); err != nil {
			return nil, err
		}
	}

	// One pass over the test images: moments (unsupervised reference),
	// the map-weighted raw mean, and the patches of map-less images.
	type pass struct {
		moments  momentSum
		weighted []float64
		kept     patchSet
	}
	res := make([]pass, len(imgs))
	err = forEach(len(imgs), p.Workers, func(int) func(int) error {
		f, ferr := source()
		return func(i int) error {
			if ferr != nil {
				return ferr
			}
			ps, err := extractOne(f, imgs[i].RGB, "image", i)
			if err != nil {
				return err
			}
			if normals == nil {
				res[i].moments.add(ps.patches)
			}
			if imgs[i].Map == nil {
				res[i].kept = ps
				return nil
			}
			w := softmax(poolMap(imgs[i].Map, ps.w, ps.h), p.Temperature)
			res[i].weighted = weightedMean(ps.patches, w)
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	if normals == nil {
		parts := make([]momentSum, len(res))
		for i := range res {
			parts[i] = res[i].moments
		}
		if ref, err = combine(parts, "image"); err != nil {
			return nil, err
		}
	}
	mean, scale := ref.meanScale()

	out := make([][]float64, len(imgs))
	for i := range res {
		wm := res[i].weighted
		if wm == nil {
			ps := res[i].kept
			if len(ps.patches[0]) != len(mean) {
				return nil, fmt.Errorf("baselines: image %d has %d-dim features, reference has %d", i, len(ps.patches[0]), len(mean))
			}
			w := softmax(fallbackScores(ps.patches, mean, scale), p.Temperature)
			wm = weightedMean(ps.patches, w)
			res[i].kept = patchSet{}
		}
		if len(wm) != len(mean) {
			return nil, fmt.Errorf("baselines: image %d has %d-dim features, reference has %d", i, len(wm), len(mean))
		}
		e := make([]float64, len(wm))
		for d, v := range wm {
			e[d] = (v - mean[d]) * scale[d]
		}
		if p.L2Normalize {
			l2normalize(e)
		}
		out[i] = e
	}
	return out, nil
}

// momentSum accumulates per-dimension sums and sums of squares of patches.
type momentSum struct {
	n       int
	sum, sq []float64
}

func (m *momentSum) add(patches [][]float32) {
	d := len(patches[0])
	if m.sum == nil {
		m.sum, m.sq = make([]float64, d), make([]float64, d)
	}
	for _, v := range patches {
		for k, x := range v {
			f := float64(x)
			m.sum[k] += f
			m.sq[k] += f * f
		}
	}
	m.n += len(patches)
}

// combine adds parts in order and checks that their dimensions agree.
func combine(parts []momentSum, what string) (momentSum, error) {
	var t momentSum
	for i, p := range parts {
		if t.sum == nil {
			t.sum, t.sq = make([]float64, len(p.sum)), make([]float64, len(p.sum))
		}
		if len(p.sum) != len(t.sum) {
			return momentSum{}, fmt.Errorf("baselines: %s %d has %d-dim features, %s 0 has %d", what, i, len(p.sum), what, len(t.sum))
		}
		for k := range p.sum {
			t.sum[k] += p.sum[k]
			t.sq[k] += p.sq[k]
		}
		t.n += p.n
	}
	return t, nil
}

// meanScale returns the mean and 1/std per dimension (1 when std < 1e-6).
func (m momentSum) meanScale() (mean, scale []float64) {
	mean, scale = make([]float64, len(m.sum)), make([]float64, len(m.sum))
	for k := range m.sum {
		mu := m.sum[k] / float64(m.n)
		v := m.sq[k]/float64(m.n) - mu*mu
		mean[k], scale[k] = mu, 1
		if v > 1e-12 {
			scale[k] = 1 / math.Sqrt(v)
		}
	}
	return mean, scale
}

// softmax returns exp(s/τ) normalised to sum 1 (max-shifted).
func softmax(s []float64, tau float64) []float64 {
	hi := math.Inf(-1)
	for _, v := range s {
		hi = max(hi, v)
	}
	w := make([]float64, len(s))
	var total float64
	for i, v := range s {
		w[i] = math.Exp((v - hi) / tau)
		total += w[i]
	}
	for i := range w {
		w[i] /= total
	}
	return w
}

// weightedMean returns Σ_p w_p · patches[p].
func weightedMean(patches [][]float32, w []float64) []float64 {
	out := make([]float64, len(patches[0]))
	for p, v := range patches {
		for k, x := range v {
			out[k] += w[p] * float64(x)
		}
	}
	return out
}

// fallbackScores is the per-patch RMS of the standardised feature,
// min–max scaled to [0, 1] within the image (all 0 when constant).
func fallbackScores(patches [][]float32, mean, scale []float64) []float64 {
	s := make([]float64, len(patches))
	lo, hi := math.Inf(1), math.Inf(-1)
	for p, v := range patches {
		var acc float64
		for k, x := range v {
			z := (float64(x) - mean[k]) * scale[k]
			acc += z * z
		}
		s[p] = math.Sqrt(acc / float64(len(v)))
		lo, hi = min(lo, s[p]), max(hi, s[p])
	}
	for p := range s {
		if hi > lo {
			s[p] = (s[p] - lo) / (hi - lo)
		} else {
			s[p] = 0
		}
	}
	return s
}

func l2normalize(e []float64) {
	var n float64
	for _, v := range e {
		n += v * v
	}
	if n > 0 {
		inv := 1 / math.Sqrt(n)
		for i := range e {
			e[i] *= inv
		}
	}
}
