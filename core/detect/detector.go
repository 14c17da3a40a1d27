package detect

import (
	"fmt"
	"sort"

	"github.com/anomalyncd/ancd/core/features"
)

// Input is what a detector sees of one category.
type Input struct {
	// Train are the normal training images (unused by musc, gt, gt-noisy).
	Train Images
	// Test are the images to score, in output order.
	Test Images
	// Seed is the category-level seed; item i of a method draws from
	// PCG(Seed, i) (the coreset start uses item index 0 of the train set).
	Seed uint64
	// Workers bounds the goroutines (<= 0: GOMAXPROCS); results do not
	// depend on it.
	Workers int
	// Category and TestTypes (the anomaly type of each test image) locate
	// precomputed maps (method "maps"); other methods ignore them.
	Category  string
	TestTypes []string
}

// Detector produces one anomaly map per test image, at image resolution.
type Detector interface {
	// Name is the method name used on the command line.
	Name() string
	// Detect returns len(in.Test) maps in test order.
	Detect(in Input) ([]Map, error)
}

// Config collects the parameters of every method; the zero value means
// every method's documented defaults (gt-noisy: no noise at all, use
// GTNoisyAtLevel for a chosen level).
type Config struct {
	PatchCore PatchCoreParams
	PaDiM     PaDiMParams
	MuSc      MuScParams
	GTNoisy   GTNoisyParams
	// MapsRoot is the folder of precomputed maps of method "maps", in the
	// layout <MapsRoot>/<category>/<type>/<file>.png.
	MapsRoot string
}

// SetSmoothing sets the map smoothing sigma (px) of every feature-based
// method, patchcore, padim and musc (0: their default 4; negative: none).
func (c *Config) SetSmoothing(sigma float64) {
	c.PatchCore.Smooth, c.PaDiM.Smooth, c.MuSc.Smooth = sigma, sigma, sigma
}

// Methods lists the method names New accepts, sorted.
func Methods() []string {
	m := []string{"gt", "gt-noisy", "maps", "musc", "padim", "patchcore"}
	sort.Strings(m)
	return m
}

// New returns the detector for a method name.
func New(method string, cfg Config) (Detector, error) {
	switch method {
	case "patchcore":
		return PatchCore{cfg.PatchCore}, nil
	case "padim":
		return PaDiM{cfg.PaDiM}, nil
	case "musc":
		return MuSc{cfg.MuSc}, nil
	case "gt":
		return GT{}, nil
	case "gt-noisy":
		return GTNoisy{cfg.GTNoisy}, nil
	case "maps":
		if cfg.MapsRoot == "" {
			return nil, fmt.Errorf("detect: method maps needs the folder of precomputed maps")
		}
		return External{Root: cfg.MapsRoot}, nil
	}
	return nil, fmt.Errorf("detect: unknown method %q (known: %v)", method, Methods())
}

// extracted is the feature grid of one image plus its original size.
type extracted struct {
	grid          *features.Grid
	width, height int
}

// extractAll computes the feature grids of every image in parallel, one
// Extractor per worker.
func extractAll(imgs Images, p features.Params, workers int) ([]extracted, error) {
	n := imgs.Len()
	out := make([]extracted, n)
	ws := workerCount(workers, n)
	exs := make([]*features.Extractor, ws)
	for k := range exs {
		ex, err := features.NewExtractor(p)
		if err != nil {
			return nil, err
		}
		exs[k] = ex
	}
	err := forEach(n, ws, func(w, i int) error {
		img, err := imgs.RGB(i)
		if err != nil {
			return err
		}
		g, err := exs[w].Extract(img)
		if err != nil {
			return fmt.Errorf("%s: %w", imgs.Name(i), err)
		}
		out[i] = extracted{g, img.Bounds().Dx(), img.Bounds().Dy()}
		return nil
	})
	return out, err
}

// grids returns the grid pointers of ex.
func grids(ex []extracted) []*features.Grid {
	g := make([]*features.Grid, len(ex))
	for i, e := range ex {
		g[i] = e.grid
	}
	return g
}

// smoothOrDefault resolves a Smooth parameter: 0 means 4, negative none.
func smoothOrDefault(s float64) float64 {
	if s == 0 {
		return 4
	}
	return max(s, 0)
}

// mapsFromScores converts per-cell scores of each test image to maps.
func mapsFromScores(scores [][]float32, ex []extracted, smooth float64, workers int) ([]Map, error) {
	maps := make([]Map, len(ex))
	ws := workerCount(workers, len(ex))
	blurs := make([]features.Blurrer, ws)
	err := forEach(len(ex), ws, func(w, i int) error {
		m, err := gridToMap(scores[i], ex[i].grid, ex[i].width, ex[i].height, smooth, &blurs[w])
		maps[i] = m
		return err
	})
	return maps, err
}

// sqDist is the squared Euclidean distance of two equal-length vectors.
func sqDist(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		d0, d1, d2, d3 := a[i]-b[i], a[i+1]-b[i+1], a[i+2]-b[i+2], a[i+3]-b[i+3]
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}
