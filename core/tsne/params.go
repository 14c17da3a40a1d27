package tsne

import (
	"fmt"
	"math"
	"runtime"
)

// Method selects the gradient computation.
type Method int

const (
	// Exact uses dense affinities and the exact O(n²) gradient: the zero
	// value and the default, what the figures use (a few hundred crops).
	Exact Method = iota
	// BarnesHut uses sparse kNN affinities and a quad-tree, for sets of
	// thousands of points where the exact gradient gets slow.
	BarnesHut
)

// Params configures Embed. Use DefaultParams and change what you need.
type Params struct {
	Method Method
	// Perplexity is the effective number of neighbours (30).
	Perplexity float64
	// EarlyExaggeration multiplies P during the first ExaggerationIters
	// iterations (12 for 250).
	EarlyExaggeration float64
	ExaggerationIters int
	// Iterations is the total number of iterations, exaggeration included
	// (1000).
	Iterations int
	// LearningRate is the step size (200). With AutoLearningRate it is
	// replaced by max(n/12, 50).
	LearningRate     float64
	AutoLearningRate bool
	// Momentum applies during the exaggeration phase, FinalMomentum after
	// (0.5 and 0.8).
	Momentum, FinalMomentum float64
	// MinGain floors the per-coordinate gains (0.01).
	MinGain float64
	// Theta is the Barnes–Hut opening angle (0.5); 0 makes it exact but slow.
	Theta float64
	// InitStd is the standard deviation of the Gaussian initial embedding
	// (1e-4).
	InitStd float64
	// Seed seeds the initial embedding.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// Results do not depend on it.
	Workers int
}

// DefaultParams returns the parameters listed in the package comment.
func DefaultParams() Params {
	return Params{Method: Exact, Perplexity: 30, EarlyExaggeration: 12, ExaggerationIters: 250,
		Iterations: 1000, LearningRate: 200, Momentum: 0.5, FinalMomentum: 0.8, MinGain: 0.01,
		Theta: 0.5, InitStd: 1e-4}
}

func (p Params) validate(n int) error {
	switch {
	case !(p.Perplexity > 0):
		return fmt.Errorf("tsne: perplexity %v must be > 0", p.Perplexity)
	case p.Iterations < 0 || p.ExaggerationIters < 0:
		return fmt.Errorf("tsne: iterations %d and exaggeration iterations %d must be >= 0", p.Iterations, p.ExaggerationIters)
	case !(p.LearningRate > 0) && !p.AutoLearningRate:
		return fmt.Errorf("tsne: learning rate %v must be > 0", p.LearningRate)
	case p.Theta < 0 || math.IsNaN(p.Theta):
		return fmt.Errorf("tsne: theta %v must be >= 0", p.Theta)
	case p.Method != BarnesHut && p.Method != Exact:
		return fmt.Errorf("tsne: unknown method %d", p.Method)
	case n < 2:
		return fmt.Errorf("tsne: need at least 2 points, got %d", n)
	}
	return nil
}

func (p Params) workers() int {
	if p.Workers > 0 {
		return p.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (p Params) learningRate(n int) float64 {
	if p.AutoLearningRate {
		return max(float64(n)/12, 50)
	}
	return p.LearningRate
}
