package mgvit

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// linearK is y = x·Wᵀ (+ b) with x [rows,in], W [out,in] (PyTorch layout), b [out].
type linearK struct {
	rows, in, out int
	bias          bool
}

func (k linearK) name() string {
	return fmt.Sprintf("linear(%dx%d->%d,bias=%v)", k.rows, k.in, k.out, k.bias)
}
func (k linearK) outShape() tensor.Shape { return tensor.Shape{k.rows, k.out} }

func linearForward[T float32 | float64](k linearK, in [][]T, y []T) {
	x, w := in[0], in[1]
	if y32, ok := any(y).([]float32); ok && k.bias {
		// float32 sums start from the bias (sgemmBias).
		sgemmBiasBackend(false, true, k.rows, k.out, k.in, any(x).([]float32), k.in, any(w).([]float32), k.in, any(in[2]).([]float32), y32, k.out)
		return
	}
	gemm(false, true, k.rows, k.out, k.in, x, k.in, w, k.in, 0, y, k.out)
	if k.bias {
		b := in[2][:k.out]
		parallelBlocks(k.rows, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				row := y[r*k.out : (r+1)*k.out]
				for j, v := range b {
					row[j] += v
				}
			}
		})
	}
}

func linearBackward[T float32 | float64](k linearK, in [][]T, dy []T, d [][]T) {
	x, w := in[0], in[1]
	if d[0] != nil {
		gemm(false, false, k.rows, k.in, k.out, dy, k.out, w, k.in, 0, d[0], k.in)
	}
	if d[1] != nil {
		gemm(true, false, k.out, k.in, k.rows, dy, k.out, x, k.in, 0, d[1], k.in)
	}
	if k.bias && d[2] != nil {
		colSum(dy, k.rows, k.out, d[2])
	}
}

// colSum writes the column sums of the rows×cols matrix m into dst,
// accumulating in float64: rows are summed in order within fixed blocks of
// sumBlockRows, and the block sums in block order.
func colSum[T float32 | float64](m []T, rows, cols int, dst []T) {
	acc := blockColSums(rows, cols, func(r int, acc []float64) {
		for j, v := range m[r*cols : (r+1)*cols] {
			acc[j] += float64(v)
		}
	})
	for j := range dst {
		dst[j] = T(acc[j])
	}
}

// sumBlockRows is the number of rows of one partial sum of blockColSums.
const sumBlockRows = 256

// blockColSums returns Σ over rows of the cols-wide vectors that add(r, acc)
// adds into acc, for r in [0, rows): fixed blocks of sumBlockRows rows are
// summed in parallel, each in row order, and the block sums are added in
// block order, so the result does not depend on the number of goroutines.
func blockColSums(rows, cols int, add func(r int, acc []float64)) []float64 {
	blocks := (rows + sumBlockRows - 1) / sumBlockRows
	part := make([]float64, blocks*cols)
	parallelFor(blocks, func(bl int) {
		acc := part[bl*cols : (bl+1)*cols]
		for r := bl * sumBlockRows; r < min(rows, (bl+1)*sumBlockRows); r++ {
			add(r, acc)
		}
	})
	total := make([]float64, cols)
	for bl := range blocks {
		for j, v := range part[bl*cols : (bl+1)*cols] {
			total[j] += v
		}
	}
	return total
}

func (k linearK) forward32(in [][]float32, out []float32) { linearForward(k, in, out) }
func (k linearK) forward64(in [][]float64, out []float64) { linearForward(k, in, out) }
func (k linearK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	linearBackward(k, in, dOut, d)
}
func (k linearK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	linearBackward(k, in, dOut, d)
}

// geluK is the erf GELU, PyTorch's default: y = x·Φ(x). The float64
// kernels (the finite-difference reference) use math.Erf; the float32
// kernels are geluForward32 and geluBackward32 (vecmath.go), within 1e-6
// of them.
type geluK struct{ shape tensor.Shape }

func (k geluK) name() string           { return fmt.Sprintf("gelu%v", k.shape) }
func (k geluK) outShape() tensor.Shape { return k.shape }

func geluForward[T float32 | float64](x, y []T) {
	if x32, ok := any(x).([]float32); ok {
		y32 := any(y).([]float32)
		parallelChunks(len(x), func(lo, hi int) { geluForward32(x32[lo:hi], y32[lo:hi]) })
		return
	}
	parallelChunks(len(x), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			v := float64(x[i])
			y[i] = T(0.5 * v * (1 + math.Erf(v/math.Sqrt2)))
		}
	})
}

func geluBackward[T float32 | float64](x, dy, dx []T) {
	if x32, ok := any(x).([]float32); ok {
		dy32, dx32 := any(dy).([]float32), any(dx).([]float32)
		parallelChunks(len(x), func(lo, hi int) { geluBackward32(x32[lo:hi], dy32[lo:hi], dx32[lo:hi]) })
		return
	}
	const invSqrt2Pi = 0.3989422804014327
	parallelChunks(len(x), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			v := float64(x[i])
			cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
			pdf := invSqrt2Pi * math.Exp(-0.5*v*v)
			dx[i] = T(float64(dy[i]) * (cdf + v*pdf))
		}
	})
}

func (k geluK) forward32(in [][]float32, out []float32) { geluForward(in[0], out) }
func (k geluK) forward64(in [][]float64, out []float64) { geluForward(in[0], out) }
func (k geluK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	geluBackward(in[0], dOut, d[0])
}
func (k geluK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	geluBackward(in[0], dOut, d[0])
}

// parallelChunks splits [0,n) into fixed chunks processed in parallel.
func parallelChunks(n int, fn func(lo, hi int)) {
	const chunk = 1 << 14
	parts := (n + chunk - 1) / chunk
	parallelFor(parts, func(p int) { fn(p*chunk, min(n, (p+1)*chunk)) })
}

// layerNormK is LayerNorm over the last dimension: x [rows,dim], gamma, beta [dim].
type layerNormK struct {
	rows, dim int
	eps       float64
}

func (k layerNormK) name() string {
	return fmt.Sprintf("layernorm(%dx%d,eps=%g)", k.rows, k.dim, k.eps)
}
func (k layerNormK) outShape() tensor.Shape { return tensor.Shape{k.rows, k.dim} }

// rowStats returns the mean and 1/sqrt(var+eps) of one row (biased variance).
func rowStats[T float32 | float64](row []T, eps float64) (mean, rstd float64) {
	for _, v := range row {
		mean += float64(v)
	}
	mean /= float64(len(row))
	var vr float64
	for _, v := range row {
		d := float64(v) - mean
		vr += d * d
	}
	vr /= float64(len(row))
	return mean, 1 / math.Sqrt(vr+eps)
}

// rowStats4 is rowStats of four rows of equal length at once. Each row's
// sums are taken in the same order as rowStats; running the four chains
// interleaved only hides the latency of the additions, so the results are
// identical.
func rowStats4[T float32 | float64](r0, r1, r2, r3 []T, eps float64) (mean, rstd [4]float64) {
	n := len(r0)
	r1, r2, r3 = r1[:n], r2[:n], r3[:n]
	var m0, m1, m2, m3 float64
	for j := range r0 {
		m0 += float64(r0[j])
		m1 += float64(r1[j])
		m2 += float64(r2[j])
		m3 += float64(r3[j])
	}
	m0 /= float64(n)
	m1 /= float64(n)
	m2 /= float64(n)
	m3 /= float64(n)
	var v0, v1, v2, v3 float64
	for j := range r0 {
		d0, d1, d2, d3 := float64(r0[j])-m0, float64(r1[j])-m1, float64(r2[j])-m2, float64(r3[j])-m3
		v0 += d0 * d0
		v1 += d1 * d1
		v2 += d2 * d2
		v3 += d3 * d3
	}
	v0 /= float64(n)
	v1 /= float64(n)
	v2 /= float64(n)
	v3 /= float64(n)
	return [4]float64{m0, m1, m2, m3}, [4]float64{1 / math.Sqrt(v0+eps), 1 / math.Sqrt(v1+eps), 1 / math.Sqrt(v2+eps), 1 / math.Sqrt(v3+eps)}
}

// layerNormStats returns the mean and 1/sqrt(var+eps) of every row of the
// rows×dim matrix x, as rowStats computes them, four rows at a time.
func layerNormStats[T float32 | float64](x []T, rows, dim int, eps float64) (mean, rstd []float64) {
	mean, rstd = make([]float64, rows), make([]float64, rows)
	parallelBlocks(rows, func(lo, hi int) {
		r := lo
		for ; r+4 <= hi; r += 4 {
			m, s := rowStats4(x[r*dim:(r+1)*dim], x[(r+1)*dim:(r+2)*dim], x[(r+2)*dim:(r+3)*dim], x[(r+3)*dim:(r+4)*dim], eps)
			copy(mean[r:r+4], m[:])
			copy(rstd[r:r+4], s[:])
		}
		for ; r < hi; r++ {
			mean[r], rstd[r] = rowStats(x[r*dim:(r+1)*dim], eps)
		}
	})
	return mean, rstd
}

func layerNormForward[T float32 | float64](k layerNormK, in [][]T, y []T) {
	x, g, b := in[0], in[1], in[2]
	mean, rstd := layerNormStats(x, k.rows, k.dim, k.eps)
	parallelRows(k.rows, func(r int) {
		row := x[r*k.dim : (r+1)*k.dim]
		out := y[r*k.dim : (r+1)*k.dim]
		for j, v := range row {
			out[j] = T((float64(v)-mean[r])*rstd[r]*float64(g[j]) + float64(b[j]))
		}
	})
}

func layerNormBackward[T float32 | float64](k layerNormK, in [][]T, dy []T, d [][]T) {
	x, g := in[0], in[1]
	mean, rstd := layerNormStats(x, k.rows, k.dim, k.eps)
	if d[0] != nil {
		parallelRows(k.rows, func(r int) {
			row := x[r*k.dim : (r+1)*k.dim]
			dyr := dy[r*k.dim : (r+1)*k.dim]
			mean, rstd := mean[r], rstd[r]
			var sumD, sumDX float64
			for j, v := range row {
				dxh := float64(dyr[j]) * float64(g[j])
				sumD += dxh
				sumDX += dxh * (float64(v) - mean) * rstd
			}
			n := float64(k.dim)
			dx := d[0][r*k.dim : (r+1)*k.dim]
			for j, v := range row {
				xh := (float64(v) - mean) * rstd
				dxh := float64(dyr[j]) * float64(g[j])
				dx[j] = T(rstd * (dxh - sumD/n - xh*sumDX/n))
			}
		})
	}
	if d[1] != nil || d[2] != nil {
		// [dγ | dβ] as one 2·dim-wide column sum.
		sums := blockColSums(k.rows, 2*k.dim, func(r int, acc []float64) {
			row := x[r*k.dim : (r+1)*k.dim]
			dyr := dy[r*k.dim : (r+1)*k.dim]
			for j, v := range row {
				acc[j] += float64(dyr[j]) * (float64(v) - mean[r]) * rstd[r]
				acc[k.dim+j] += float64(dyr[j])
			}
		})
		for j := range k.dim {
			if d[1] != nil {
				d[1][j] = T(sums[j])
			}
			if d[2] != nil {
				d[2][j] = T(sums[k.dim+j])
			}
		}
	}
}

// parallelBlocks runs fn on fixed blocks [lo, hi) of 64 rows in parallel.
func parallelBlocks(rows int, fn func(lo, hi int)) {
	const block = 64
	parts := (rows + block - 1) / block
	parallelFor(parts, func(p int) { fn(p*block, min(rows, (p+1)*block)) })
}

// parallelRows runs fn for every row, rows split in fixed blocks.
func parallelRows(rows int, fn func(r int)) {
	const block = 64
	parts := (rows + block - 1) / block
	parallelFor(parts, func(p int) {
		for r := p * block; r < min(rows, (p+1)*block); r++ {
			fn(r)
		}
	})
}

func (k layerNormK) forward32(in [][]float32, out []float32) { layerNormForward(k, in, out) }
func (k layerNormK) forward64(in [][]float64, out []float64) { layerNormForward(k, in, out) }
func (k layerNormK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	layerNormBackward(k, in, dOut, d)
}
func (k layerNormK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	layerNormBackward(k, in, dOut, d)
}

// addK is the elementwise sum of two same-shaped tensors (residual connections).
type addK struct{ shape tensor.Shape }

func (k addK) name() string           { return fmt.Sprintf("add%v", k.shape) }
func (k addK) outShape() tensor.Shape { return k.shape }
func addForward[T float32 | float64](in [][]T, y []T) {
	a, b := in[0], in[1]
	parallelChunks(len(y), func(lo, hi int) {
		a, b, y := a[lo:hi], b[lo:hi], y[lo:hi]
		for i := range y {
			y[i] = a[i] + b[i]
		}
	})
}
func addBackward[T float32 | float64](dy []T, d [][]T) {
	parallelChunks(len(dy), func(lo, hi int) {
		for _, di := range d {
			if di != nil {
				copy(di[lo:hi], dy[lo:hi])
			}
		}
	})
}
func (k addK) forward32(in [][]float32, out []float32) { addForward(in, out) }
func (k addK) forward64(in [][]float64, out []float64) { addForward(in, out) }
func (k addK) backward32(_ [][]float32, _, dOut []float32, d [][]float32) {
	addBackward(dOut, d)
}
func (k addK) backward64(_ [][]float64, _, dOut []float64, d [][]float64) {
	addBackward(dOut, d)
}
