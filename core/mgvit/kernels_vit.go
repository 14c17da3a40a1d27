package mgvit

import (
	"fmt"
	"math"
	"runtime"

	"gorgonia.org/tensor"
)

// tokensK assembles the token sequence: x[b,0] = cls + pos[0] and
// x[b,1+n] = patch[b,n] + pos[1+n]. Inputs: patch tokens [B*N,D], cls [1,1,D],
// pos [1,1+N,D]; output [B*(1+N), D].
type tokensK struct{ batch, patches, dim int }

func (k tokensK) name() string {
	return fmt.Sprintf("tokens(B=%d,N=%d,D=%d)", k.batch, k.patches, k.dim)
}
func (k tokensK) outShape() tensor.Shape {
	return tensor.Shape{k.batch * (k.patches + 1), k.dim}
}

func tokensForward[T float32 | float64](k tokensK, in [][]T, y []T) {
	p, cls, pos := in[0], in[1], in[2]
	t, d := k.patches+1, k.dim
	for b := range k.batch {
		for j := range d {
			y[b*t*d+j] = cls[j] + pos[j]
		}
		for n := range k.patches {
			dst := y[(b*t+1+n)*d : (b*t+2+n)*d]
			src := p[(b*k.patches+n)*d : (b*k.patches+n+1)*d]
			ps := pos[(1+n)*d : (2+n)*d]
			for j := range dst {
				dst[j] = src[j] + ps[j]
			}
		}
	}
}

func tokensBackward[T float32 | float64](k tokensK, dy []T, d [][]T) {
	t, dim := k.patches+1, k.dim
	if d[0] != nil {
		for b := range k.batch {
			for n := range k.patches {
				copy(d[0][(b*k.patches+n)*dim:(b*k.patches+n+1)*dim], dy[(b*t+1+n)*dim:(b*t+2+n)*dim])
			}
		}
	}
	if d[1] != nil {
		acc := make([]float64, dim)
		for b := range k.batch {
			for j := range dim {
				acc[j] += float64(dy[b*t*dim+j])
			}
		}
		for j := range dim {
			d[1][j] = T(acc[j])
		}
	}
	if d[2] != nil {
		acc := make([]float64, t*dim)
		for b := range k.batch {
			for i, v := range dy[b*t*dim : (b+1)*t*dim] {
				acc[i] += float64(v)
			}
		}
		for i := range acc {
			d[2][i] = T(acc[i])
		}
	}
}

func (k tokensK) forward32(in [][]float32, out []float32) { tokensForward(k, in, out) }
func (k tokensK) forward64(in [][]float64, out []float64) { tokensForward(k, in, out) }
func (k tokensK) backward32(_ [][]float32, _, dOut []float32, d [][]float32) {
	tokensBackward(k, dOut, d)
}
func (k tokensK) backward64(_ [][]float64, _, dOut []float64, d [][]float64) {
	tokensBackward(k, dOut, d)
}

// maskedScore is the additive bias of a disallowed attention score.
const maskedScore = -1e9

// attentionK is multi-head self-attention on fused qkv [B*T, 3D] (per token
// q|k|v, heads contiguous inside each, as timm) producing [B*T, D]. When
// placement is not PlacementNone a second input keyAllowed [B,T] (1 allowed,
// 0 not; the CLS key, index 0, always 1) adds maskedScore to disallowed keys
// of the query rows the placement selects, before the softmax.
type attentionK struct {
	batch, tokens, dim, heads int
	placement                 Placement
}

func (k attentionK) name() string {
	return fmt.Sprintf("attention(B=%d,T=%d,D=%d,H=%d,%s)", k.batch, k.tokens, k.dim, k.heads, k.placement)
}
func (k attentionK) outShape() tensor.Shape { return tensor.Shape{k.batch * k.tokens, k.dim} }

// rowMasked reports whether query row i is subject to the mask.
func (k attentionK) rowMasked(i int) bool {
	switch k.placement {
	case PlacementCLS:
		return i == 0
	case PlacementPatch:
		return i > 0
	case PlacementAll:
		return true
	}
	return false
}

// probStride is the row stride of a [T,T] probability matrix: float32
// rows are padded to a multiple of 8 for softmax32, with probability 0 on
// the padding.
func probStride[T float32 | float64](t int) int {
	var z T
	if _, ok := any(z).(float32); ok {
		return (t + 7) &^ 7
	}
	return t
}

// attnProbs writes the attention probabilities of sample b, head h into the
// rows of p (stride ld = probStride(T)): softmax over keys of q·kᵀ/sqrt(hd),
// plus maskedScore on disallowed keys of the masked query rows. q and k are
// read in place from qkv. bias is scratch of 2·ld values.
func attnProbs[T float32 | float64](k attentionK, qkv, allowed []T, b, h int, p []T, ld int, bias []T) {
	t, d := k.tokens, k.dim
	hd := d / k.heads
	base := b * t * 3 * d
	gemm(false, true, t, t, hd, qkv[base+h*hd:], 3*d, qkv[base+d+h*hd:], 3*d, 0, p, ld)
	scale := 1 / math.Sqrt(float64(hd))
	if p32, ok := any(p).([]float32); ok {
		var a32 []float32
		if allowed != nil {
			a32 = any(allowed).([]float32)[b*t : (b+1)*t]
		}
		attnSoftmax32(k, p32, ld, float32(scale), a32, any(bias).([]float32))
		return
	}
	for i := range t {
		row := p[i*ld : i*ld+t]
		mx := math.Inf(-1)
		masked := allowed != nil && k.rowMasked(i)
		for j := range row {
			v := float64(row[j]) * scale
			if masked && allowed[b*t+j] < 0.5 {
				v += maskedScore
			}
			row[j] = T(v)
			mx = max(mx, v)
		}
		var sum float64
		for j := range row {
			e := math.Exp(float64(row[j]) - mx)
			row[j] = T(e)
			sum += e
		}
		for j := range row {
			row[j] = T(float64(row[j]) / sum)
		}
	}
}

// attnSoftmax32 applies softmax32 to the padded rows of p: the bias is
// maskedScore on the padding and, in masked rows, on disallowed keys.
func attnSoftmax32(k attentionK, p []float32, ld int, scale float32, allowed, bias []float32) {
	t := k.tokens
	free, masked := bias[:ld], bias[ld:2*ld]
	for j := range ld {
		free[j], masked[j] = 0, 0
		if j >= t {
			free[j], masked[j] = maskedScore, maskedScore
		} else if allowed != nil && allowed[j] < 0.5 {
			masked[j] = maskedScore
		}
	}
	for i := range t {
		row := p[i*ld : (i+1)*ld]
		if allowed != nil && k.rowMasked(i) {
			softmax32(row, masked, scale)
		} else {
			softmax32(row, free, scale)
		}
	}
}

// attnWorkers is the number of goroutines of the attention kernels; each
// (sample, head) job writes its own rows and columns of the output, so the
// result does not depend on it.
func attnWorkers(jobs int) int { return max(1, min(runtime.GOMAXPROCS(0), jobs)) }

func attentionForward[T float32 | float64](k attentionK, in [][]T, y []T) {
	qkv := in[0]
	var allowed []T
	if len(in) > 1 {
		allowed = in[1]
	}
	t, d := k.tokens, k.dim
	hd := d / k.heads
	ld := probStride[T](t)
	per := t*ld + 2*ld // probabilities, softmax biases
	jobs := k.batch * k.heads
	workers := attnWorkers(jobs)
	scratch := make([]T, workers*per)
	forEachJob(jobs, workers, func(w, job int) {
		b, h := job/k.heads, job%k.heads
		s := scratch[w*per : (w+1)*per]
		p := s[:t*ld]
		attnProbs(k, qkv, allowed, b, h, p, ld, s[t*ld:])
		base := b * t * 3 * d
		gemm(false, false, t, hd, t, p, ld, qkv[base+2*d+h*hd:], 3*d, 0, y[b*t*d+h*hd:], d)
	})
}

func attentionBackward[T float32 | float64](k attentionK, in [][]T, dy []T, d [][]T) {
	if d[0] == nil {
		return
	}
	qkv, dqkv := in[0], d[0]
	var allowed []T
	if len(in) > 1 {
		allowed = in[1]
	}
	t, dim := k.tokens, k.dim
	hd := dim / k.heads
	scale := T(1 / math.Sqrt(float64(hd)))
	ld := probStride[T](t)
	per := 2*t*ld + 2*ld // probabilities, their gradient, softmax biases
	jobs := k.batch * k.heads
	workers := attnWorkers(jobs)
	scratch := make([]T, workers*per)
	forEachJob(jobs, workers, func(w, job int) {
		b, h := job/k.heads, job%k.heads
		s := scratch[w*per : (w+1)*per]
		p, ds := s[:t*ld], s[t*ld:2*t*ld]
		attnProbs(k, qkv, allowed, b, h, p, ld, s[2*t*ld:])
		base := b * t * 3 * dim
		q, kk, v := qkv[base+h*hd:], qkv[base+dim+h*hd:], qkv[base+2*dim+h*hd:]
		dq, dk, dv := dqkv[base+h*hd:], dqkv[base+dim+h*hd:], dqkv[base+2*dim+h*hd:]
		do := dy[b*t*dim+h*hd:]
		gemm(true, false, t, hd, t, p, ld, do, dim, 0, dv, 3*dim)
		gemm(false, true, t, t, hd, do, dim, v, 3*dim, 0, ds, ld)
		for i := range t {
			pr, dr := p[i*ld:i*ld+t], ds[i*ld:i*ld+t]
			var dot float64
			for j := range pr {
				dot += float64(pr[j]) * float64(dr[j])
			}
			for j := range pr {
				dr[j] = T(float64(pr[j])*(float64(dr[j])-dot)) * scale
			}
		}
		gemm(false, false, t, hd, t, ds, ld, kk, 3*dim, 0, dq, 3*dim)
		gemm(true, false, t, hd, t, ds, ld, q, 3*dim, 0, dk, 3*dim)
	})
}

func (k attentionK) forward32(in [][]float32, out []float32) { attentionForward(k, in, out) }
func (k attentionK) forward64(in [][]float64, out []float64) { attentionForward(k, in, out) }
func (k attentionK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	attentionBackward(k, in, dOut, d)
}
func (k attentionK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	attentionBackward(k, in, dOut, d)
}

// clsK picks the [CLS] token of every sample: [B*T, D] -> [B, D].
type clsK struct{ batch, tokens, dim int }

func (k clsK) name() string           { return fmt.Sprintf("cls(B=%d,T=%d,D=%d)", k.batch, k.tokens, k.dim) }
func (k clsK) outShape() tensor.Shape { return tensor.Shape{k.batch, k.dim} }
func clsForward[T float32 | float64](k clsK, x, y []T) {
	for b := range k.batch {
		copy(y[b*k.dim:(b+1)*k.dim], x[b*k.tokens*k.dim:b*k.tokens*k.dim+k.dim])
	}
}
func clsBackward[T float32 | float64](k clsK, dy, dx []T) {
	for b := range k.batch {
		copy(dx[b*k.tokens*k.dim:b*k.tokens*k.dim+k.dim], dy[b*k.dim:(b+1)*k.dim])
	}
}
func (k clsK) forward32(in [][]float32, out []float32) { clsForward(k, in[0], out) }
func (k clsK) forward64(in [][]float64, out []float64) { clsForward(k, in[0], out) }
func (k clsK) backward32(_ [][]float32, _, dOut []float32, d [][]float32) {
	clsBackward(k, dOut, d[0])
}
func (k clsK) backward64(_ [][]float64, _, dOut []float64, d [][]float64) {
	clsBackward(k, dOut, d[0])
}

// normEps is the lower bound on a norm, as torch.nn.functional.normalize.
const normEps = 1e-12

// l2NormK normalises every row of [rows, dim] to unit L2 norm.
type l2NormK struct{ rows, dim int }

func (k l2NormK) name() string           { return fmt.Sprintf("l2norm(%dx%d)", k.rows, k.dim) }
func (k l2NormK) outShape() tensor.Shape { return tensor.Shape{k.rows, k.dim} }

func rowNorm[T float32 | float64](row []T) float64 {
	var s float64
	for _, v := range row {
		s += float64(v) * float64(v)
	}
	return max(math.Sqrt(s), normEps)
}

func l2NormForward[T float32 | float64](k l2NormK, x, y []T) {
	for r := range k.rows {
		row := x[r*k.dim : (r+1)*k.dim]
		n := rowNorm(row)
		for j, v := range row {
			y[r*k.dim+j] = T(float64(v) / n)
		}
	}
}

func l2NormBackward[T float32 | float64](k l2NormK, x, dy, dx []T) {
	for r := range k.rows {
		row := x[r*k.dim : (r+1)*k.dim]
		dr := dy[r*k.dim : (r+1)*k.dim]
		n := rowNorm(row)
		var dot float64 // y·dy
		for j, v := range row {
			dot += float64(v) / n * float64(dr[j])
		}
		for j, v := range row {
			dx[r*k.dim+j] = T((float64(dr[j]) - float64(v)/n*dot) / n)
		}
	}
}

func (k l2NormK) forward32(in [][]float32, out []float32) { l2NormForward(k, in[0], out) }
func (k l2NormK) forward64(in [][]float64, out []float64) { l2NormForward(k, in[0], out) }
func (k l2NormK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	l2NormBackward(k, in[0], dOut, d[0])
}
func (k l2NormK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	l2NormBackward(k, in[0], dOut, d[0])
}

// cosineK is a weight-normalised linear classifier with g fixed at 1 and no
// bias: logits = x·Ŵᵀ with Ŵ the row-normalised weight_v [classes, dim]. x is
// expected to be L2-normalised already, making the logits cosines.
type cosineK struct{ rows, dim, classes int }

func (k cosineK) name() string {
	return fmt.Sprintf("cosine(%dx%d->%d)", k.rows, k.dim, k.classes)
}
func (k cosineK) outShape() tensor.Shape { return tensor.Shape{k.rows, k.classes} }

func normalisedRows[T float32 | float64](v []T, rows, dim int) ([]T, []float64) {
	w := make([]T, len(v))
	norms := make([]float64, rows)
	for c := range rows {
		row := v[c*dim : (c+1)*dim]
		norms[c] = rowNorm(row)
		for j, x := range row {
			w[c*dim+j] = T(float64(x) / norms[c])
		}
	}
	return w, norms
}

func cosineForward[T float32 | float64](k cosineK, in [][]T, y []T) {
	w, _ := normalisedRows(in[1], k.classes, k.dim)
	gemm(false, true, k.rows, k.classes, k.dim, in[0], k.dim, w, k.dim, 0, y, k.classes)
}

func cosineBackward[T float32 | float64](k cosineK, in [][]T, dy []T, d [][]T) {
	w, norms := normalisedRows(in[1], k.classes, k.dim)
	if d[0] != nil {
		gemm(false, false, k.rows, k.dim, k.classes, dy, k.classes, w, k.dim, 0, d[0], k.dim)
	}
	if d[1] != nil {
		dw := make([]T, k.classes*k.dim)
		gemm(true, false, k.classes, k.dim, k.rows, dy, k.classes, in[0], k.dim, 0, dw, k.dim)
		for c := range k.classes {
			wr, dr := w[c*k.dim:(c+1)*k.dim], dw[c*k.dim:(c+1)*k.dim]
			var dot float64
			for j := range wr {
				dot += float64(wr[j]) * float64(dr[j])
			}
			for j := range wr {
				d[1][c*k.dim+j] = T((float64(dr[j]) - float64(wr[j])*dot) / norms[c])
			}
		}
	}
}

func (k cosineK) forward32(in [][]float32, out []float32) { cosineForward(k, in, out) }
func (k cosineK) forward64(in [][]float64, out []float64) { cosineForward(k, in, out) }
func (k cosineK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	cosineBackward(k, in, dOut, d)
}
func (k cosineK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	cosineBackward(k, in, dOut, d)
}
