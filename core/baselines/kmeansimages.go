package baselines

import (
	"fmt"
	"image"
	"math"
	"runtime"

	"github.com/anomalyncd/ancd/core/features"
)

// EmbedFunc returns one whole-image embedding (e.g. mgvit's L2-normalised
// [CLS] feature). Like PatchFunc it is called concurrently unless Workers
// is 1.
type EmbedFunc func(img *image.RGBA) ([]float32, error)

// ImageKMeansParams configures KMeansImages. The zero value means: the mean
// of the default core/features patch features (no local aggregation) as the
// embedding, each dimension z-scored over the images, k-means with the
// KMeansParams defaults.
type ImageKMeansParams struct {
	KMeans KMeansParams
	// Embed, when set, gives the embedding directly; Extract and Features
	// are then ignored.
	Embed EmbedFunc
	// Extract replaces the default patch extractor; the embedding is the
	// plain mean of its patches.
	Extract PatchFunc
	// Features configures the default core/features extractor.
	Features features.Params
	// RawEmbeddings skips the per-dimension z-scoring over the images.
	RawEmbeddings bool
	// Workers embeds that many images concurrently (results do not depend
	// on it). 0: GOMAXPROCS.
	Workers int
}

// KMeansImages clusters imgs into k groups by k-means on frozen whole-image
// embeddings (see ImageKMeansParams), seeded by seed. Labels are numbered
// by first appearance.
func KMeansImages(imgs []*image.RGBA, k int, seed uint64, p ImageKMeansParams) ([]int, error) {
	if k < 1 || k > len(imgs) {
		return nil, fmt.Errorf("baselines: cannot cluster %d images into k = %d clusters", len(imgs), k)
	}
	x, err := ImageEmbeddings(imgs, p)
	if err != nil {
		return nil, err
	}
	return KMeans(x, k, seed, p.KMeans)
}

// ImageEmbeddings returns the whole-image embeddings KMeansImages clusters.
func ImageEmbeddings(imgs []*image.RGBA, p ImageKMeansParams) ([][]float64, error) {
	if len(imgs) == 0 {
		return nil, fmt.Errorf("baselines: no images to embed")
	}
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var embed func() (EmbedFunc, error)
	if p.Embed != nil {
		embed = func() (EmbedFunc, error) { return p.Embed, nil }
	} else {
		source, err := newPatchSource(p.Extract, p.Features, 1)
		if err != nil {
			return nil, err
		}
		embed = func() (EmbedFunc, error) {
			f, err := source()
			if err != nil {
				return nil, err
			}
			return func(img *image.RGBA) ([]float32, error) {
				ps, err := extractOne(f, img, "image", 0)
				if err != nil {
					return nil, err
				}
				w := make([]float64, len(ps.patches))
				for i := range w {
					w[i] = 1 / float64(len(w))
				}
				m := weightedMean(ps.patches, w)
				out := make([]float32, len(m))
				for i, v := range m {
					out[i] = float32(v)
				}
				return out, nil
			}, nil
		}
	}
	x := make([][]float64, len(imgs))
	err := forEach(len(imgs), workers, func(int) func(int) error {
		f, ferr := embed()
		return func(i int) error {
			if ferr != nil {
				return ferr
			}
			if imgs[i] == nil {
				return fmt.Errorf("baselines: image %d is nil", i)
			}
			e, err := f(imgs[i])
			if err != nil {
				return fmt.Errorf("baselines: embedding image %d: %w", i, err)
			}
			if len(e) == 0 {
				return fmt.Errorf("baselines: image %d has an empty embedding", i)
			}
			x[i] = make([]float64, len(e))
			for d, v := range e {
				x[i][d] = float64(v)
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	for i := range x {
		if len(x[i]) != len(x[0]) {
			return nil, fmt.Errorf("baselines: image %d embedding has %d dimensions, image 0 has %d", i, len(x[i]), len(x[0]))
		}
	}
	if !p.RawEmbeddings {
		ZScore(x)
	}
	return x, nil
}

// ZScore standardises every column of x in place (population std; columns
// with std < 1e-12 are only centred). x must not be empty.
func ZScore(x [][]float64) {
	n := float64(len(x))
	for d := range x[0] {
		var s, sq float64
		for _, row := range x {
			s += row[d]
			sq += row[d] * row[d]
		}
		m := s / n
		inv := 1.0
		if v := sq/n - m*m; v > 1e-24 {
			inv = 1 / math.Sqrt(v)
		}
		for _, row := range x {
			row[d] = (row[d] - m) * inv
		}
	}
}
