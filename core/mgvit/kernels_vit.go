package mgvit

import (
	"fmt"
	"math"

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

// attnScratch holds one (sample, head) slice of q, k, v and the probabilities.
type attnScratch[T float32 | float64] struct {
	q, k, v, p []T
}

// load copies sample b, head h of qkv into s and computes the attention
// probabilities s.p [T,T].
func attnLoad[T float32 | float64](k attentionK, qkv, allowed []T, b, h int, s *attnScratch[T]) {
	t, d := k.tokens, k.dim
	hd := d / k.heads
	for i := range t {
		base := (b*t + i) * 3 * d
		copy(s.q[i*hd:(i+1)*hd], qkv[base+h*hd:base+(h+1)*hd])
		copy(s.k[i*hd:(i+1)*hd], qkv[base+d+h*hd:base+d+(h+1)*hd])
		copy(s.v[i*hd:(i+1)*hd], qkv[base+2*d+h*hd:base+2*d+(h+1)*hd])
	}
	gemm(false, true, t, t, hd, s.q, hd, s.k, hd, 0, s.p, t)
	scale := 1 / math.Sqrt(float64(hd))
	for i := range t {
		row := s.p[i*t : (i+1)*t]
		masked := allowed != nil && k.rowMasked(i)
		mx := math.Inf(-1)
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

func newAttnScratch[T float32 | float64](t, hd int) *attnScratch[T] {
	return &attnScratch[T]{q: make([]T, t*hd), k: make([]T, t*hd), v: make([]T, t*hd), p: make([]T, t*t)}
}

func attentionForward[T float32 | float64](k attentionK, in [][]T, y []T) {
	qkv := in[0]
	var allowed []T
	if len(in) > 1 {
		allowed = in[1]
	}
	t, d := k.tokens, k.dim
	hd := d / k.heads
	parallelFor(k.batch*k.heads, func(job int) {
		b, h := job/k.heads, job%k.heads
		s := newAttnScratch[T](t, hd)
		attnLoad(k, qkv, allowed, b, h, s)
		o := make([]T, t*hd)
		gemm(false, false, t, hd, t, s.p, t, s.v, hd, 0, o, hd)
		for i := range t {
			copy(y[(b*t+i)*d+h*hd:(b*t+i)*d+(h+1)*hd], o[i*hd:(i+1)*hd])
		}
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
	parallelFor(k.batch*k.heads, func(job int) {
		b, h := job/k.heads, job%k.heads
		s := newAttnScratch[T](t, hd)
		attnLoad(k, qkv, allowed, b, h, s)
		do := make([]T, t*hd)
		for i := range t {
			copy(do[i*hd:(i+1)*hd], dy[(b*t+i)*dim+h*hd:(b*t+i)*dim+(h+1)*hd])
		}
		dv := make([]T, t*hd)
		gemm(true, false, t, hd, t, s.p, t, do, hd, 0, dv, hd)
		ds := make([]T, t*t)
		gemm(false, true, t, t, hd, do, hd, s.v, hd, 0, ds, t)
		for i := range t {
			pr, dr := s.p[i*t:(i+1)*t], ds[i*t:(i+1)*t]
			var dot float64
			for j := range pr {
				dot += float64(pr[j]) * float64(dr[j])
			}
			for j := range pr {
				dr[j] = T(float64(pr[j])*(float64(dr[j])-dot)) * scale
			}
		}
		dq := make([]T, t*hd)
		dk := make([]T, t*hd)
		gemm(false, false, t, hd, t, ds, t, s.k, hd, 0, dq, hd)
		gemm(true, false, t, hd, t, ds, t, s.q, hd, 0, dk, hd)
		for i := range t {
			base := (b*t + i) * 3 * dim
			copy(dqkv[base+h*hd:base+(h+1)*hd], dq[i*hd:(i+1)*hd])
			copy(dqkv[base+dim+h*hd:base+dim+(h+1)*hd], dk[i*hd:(i+1)*hd])
			copy(dqkv[base+2*dim+h*hd:base+2*dim+(h+1)*hd], dv[i*hd:(i+1)*hd])
		}
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
