package detect

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/anomalyncd/ancd/core/features"
)

// PaDiMParams configures padim. The zero value means the defaults.
type PaDiMParams struct {
	// Features configures the extractor (zero: features defaults).
	Features features.Params
	// Epsilon is the ridge added to every per-position covariance
	// diagonal, in standardised feature units (0: 0.01, as PaDiM).
	Epsilon float64
	// Smooth is the map smoothing sigma in working pixels (0: 4;
	// negative: none).
	Smooth float64
}

func (p PaDiMParams) resolved() PaDiMParams {
	if p.Epsilon == 0 {
		p.Epsilon = 0.01
	}
	p.Smooth = smoothOrDefault(p.Smooth)
	return p
}

// PaDiM is the per-position Gaussian detector.
type PaDiM struct{ Params PaDiMParams }

// Name implements Detector.
func (PaDiM) Name() string { return "padim" }

// gaussian is the fitted model of one grid position.
type gaussian struct {
	mean []float64
	prec []float64 // inverse covariance, row-major dim x dim
}

// Detect implements Detector.
func (d PaDiM) Detect(in Input) ([]Map, error) {
	p := d.Params.resolved()
	if !(p.Epsilon > 0) {
		return nil, fmt.Errorf("padim: epsilon %v must be > 0", p.Epsilon)
	}
	if in.Train == nil || in.Train.Len() < 2 {
		return nil, fmt.Errorf("padim: needs at least 2 normal training images")
	}
	train, err := extractAll(in.Train, p.Features, in.Workers)
	if err != nil {
		return nil, err
	}
	test, err := extractAll(in.Test, p.Features, in.Workers)
	if err != nil {
		return nil, err
	}
	g0 := train[0].grid
	for i, set := range [][]extracted{train, test} {
		imgs := []Images{in.Train, in.Test}[i]
		for j, e := range set {
			if e.grid.W != g0.W || e.grid.H != g0.H {
				return nil, fmt.Errorf("padim: %s has a %dx%d feature grid, %s has %dx%d: all images must share one size",
					imgs.Name(j), e.grid.W, e.grid.H, in.Train.Name(0), g0.W, g0.H)
			}
		}
	}
	std, err := features.FitStandardizer(grids(train))
	if err != nil {
		return nil, err
	}
	for _, set := range [][]extracted{train, test} {
		for _, e := range set {
			std.Apply(e.grid)
		}
	}
	model := make([]gaussian, g0.Len())
	err = forEach(g0.Len(), in.Workers, func(_, pos int) error {
		g, err := fitGaussian(train, pos, p.Epsilon)
		if err != nil {
			return fmt.Errorf("padim: position %d: %w", pos, err)
		}
		model[pos] = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	scores := make([][]float32, len(test))
	err = forEach(len(test), in.Workers, func(_, i int) error {
		g := test[i].grid
		s := make([]float32, g.Len())
		diff := make([]float64, g.D)
		for c := range s {
			s[c] = float32(model[c].mahalanobis(g.Vec(c), diff))
		}
		scores[i] = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return mapsFromScores(scores, test, p.Smooth, in.Workers)
}

// fitGaussian estimates mean and regularised inverse covariance (unbiased
// sample covariance + eps*I) at one position over the training grids.
func fitGaussian(train []extracted, pos int, eps float64) (gaussian, error) {
	dim := train[0].grid.D
	n := float64(len(train))
	mean := make([]float64, dim)
	for _, e := range train {
		for k, v := range e.grid.Vec(pos) {
			mean[k] += float64(v)
		}
	}
	for k := range mean {
		mean[k] /= n
	}
	cov := mat.NewSymDense(dim, nil)
	c := make([]float64, dim)
	for _, e := range train {
		for k, v := range e.grid.Vec(pos) {
			c[k] = float64(v) - mean[k]
		}
		for a := range dim {
			for b := a; b < dim; b++ {
				cov.SetSym(a, b, cov.At(a, b)+c[a]*c[b])
			}
		}
	}
	for a := range dim {
		for b := a; b < dim; b++ {
			v := cov.At(a, b) / (n - 1)
			if a == b {
				v += eps
			}
			cov.SetSym(a, b, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return gaussian{}, fmt.Errorf("covariance not positive definite")
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return gaussian{}, err
	}
	prec := make([]float64, dim*dim)
	for a := range dim {
		for b := range dim {
			prec[a*dim+b] = inv.At(a, b)
		}
	}
	return gaussian{mean, prec}, nil
}

// mahalanobis returns sqrt((v-mean)^T prec (v-mean)); diff is scratch.
func (g gaussian) mahalanobis(v []float32, diff []float64) float64 {
	dim := len(g.mean)
	for k := range dim {
		diff[k] = float64(v[k]) - g.mean[k]
	}
	var s float64
	for a := range dim {
		row := g.prec[a*dim : (a+1)*dim]
		var t float64
		for b, p := range row {
			t += p * diff[b]
		}
		s += diff[a] * t
	}
	return math.Sqrt(max(s, 0))
}
