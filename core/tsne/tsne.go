package tsne

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Embed maps the rows of x (n points, equal dimension) to 2-D with t-SNE and
// returns n rows of 2 coordinates. The result depends only on x and p, not
// on p.Workers.
func Embed(x [][]float64, p Params) ([][2]float64, error) {
	n := len(x)
	if err := p.validate(n); err != nil {
		return nil, err
	}
	dim := len(x[0])
	for i, row := range x {
		if len(row) != dim {
			return nil, fmt.Errorf("tsne: row %d has %d values, want %d", i, len(row), dim)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("tsne: x[%d][%d] = %v is not finite", i, j, v)
			}
		}
	}
	workers := p.workers()
	var grad gradientFunc
	switch p.Method {
	case Exact:
		grad = newExactGradient(denseP(x, p.Perplexity, workers), n, workers)
	default:
		k := max(1, min(n-1, int(3*p.Perplexity)))
		grad = newBarnesHutGradient(knnP(x, p.Perplexity, k, workers), n, p.Theta, workers)
	}
	y := initialEmbedding(n, p.Seed, p.InitStd)
	lr := p.learningRate(n)
	exIters := min(p.ExaggerationIters, p.Iterations)
	optimise(y, grad, p.EarlyExaggeration, exIters, p.Momentum, lr, p.MinGain)
	optimise(y, grad, 1, p.Iterations-exIters, p.FinalMomentum, lr, p.MinGain)
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{y[2*i], y[2*i+1]}
	}
	return out, nil
}

// initialEmbedding draws y_i ~ N(0, std²) per coordinate from a PCG source
// seeded by (seed, i).
func initialEmbedding(n int, seed uint64, std float64) []float64 {
	y := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		y[2*i] = std * rng.NormFloat64()
		y[2*i+1] = std * rng.NormFloat64()
	}
	return y
}

// gradientFunc writes the KL gradient at y into grad, with P multiplied by
// exaggeration.
type gradientFunc func(y, grad []float64, exaggeration float64)

// optimise runs iters steps of gradient descent with momentum and gains,
// starting from a zero update and unit gains.
func optimise(y []float64, grad gradientFunc, exaggeration float64, iters int, momentum, lr, minGain float64) {
	update := make([]float64, len(y))
	gains := make([]float64, len(y))
	for k := range gains {
		gains[k] = 1
	}
	g := make([]float64, len(y))
	for it := 0; it < iters; it++ {
		grad(y, g, exaggeration)
		for k := range y {
			if update[k]*g[k] < 0 {
				gains[k] += 0.2
			} else {
				gains[k] *= 0.8
			}
			gains[k] = max(gains[k], minGain)
			update[k] = momentum*update[k] - lr*gains[k]*g[k]
			y[k] += update[k]
		}
	}
}

// newExactGradient returns the exact gradient
// 4 Σ_j (e·p_ij − q_ij) (1+|y_i−y_j|²)⁻¹ (y_i − y_j).
func newExactGradient(p []float64, n, workers int) gradientFunc {
	num := make([]float64, n*n)
	rowZ := make([]float64, n)
	return func(y, grad []float64, ex float64) {
		parallelRange(n, workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				z := 0.0
				for j := 0; j < n; j++ {
					if j == i {
						num[i*n+j] = 0
						continue
					}
					dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
					q := 1 / (1 + dx*dx + dy*dy)
					num[i*n+j] = q
					z += q
				}
				rowZ[i] = z
			}
		})
		z := 0.0
		for _, v := range rowZ {
			z += v
		}
		parallelRange(n, workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				gx, gy := 0.0, 0.0
				for j := 0; j < n; j++ {
					if j == i {
						continue
					}
					q := num[i*n+j]
					m := (ex*p[i*n+j] - max(q/z, machineEps)) * q
					gx += m * (y[2*i] - y[2*j])
					gy += m * (y[2*i+1] - y[2*j+1])
				}
				grad[2*i], grad[2*i+1] = 4*gx, 4*gy
			}
		})
	}
}

// newBarnesHutGradient returns the Barnes–Hut gradient
// 4 (Σ_j e·p_ij q_ij (y_i − y_j) − Σ_j q_ij² (y_i − y_j) / Z).
func newBarnesHutGradient(p sparseP, n int, theta float64, workers int) gradientFunc {
	var nodes []quadNode
	rep := make([]float64, 2*n)
	rowZ := make([]float64, n)
	return func(y, grad []float64, ex float64) {
		tree := buildQuadTree(y, nodes)
		nodes = tree.nodes
		theta2 := theta * theta
		parallelRange(n, workers, func(lo, hi int) {
			var stack []int32
			for i := lo; i < hi; i++ {
				var fx, fy, z float64
				fx, fy, z, stack = tree.repulsion(i, theta2, stack)
				rep[2*i], rep[2*i+1], rowZ[i] = fx, fy, z
			}
		})
		z := 0.0
		for _, v := range rowZ {
			z += v
		}
		z = max(z, machineEps)
		parallelRange(n, workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				ax, ay := 0.0, 0.0
				for t := p.rowPtr[i]; t < p.rowPtr[i+1]; t++ {
					j := p.cols[t]
					dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
					m := ex * p.vals[t] / (1 + dx*dx + dy*dy)
					ax += m * dx
					ay += m * dy
				}
				grad[2*i] = 4 * (ax - rep[2*i]/z)
				grad[2*i+1] = 4 * (ay - rep[2*i+1]/z)
			}
		})
	}
}
