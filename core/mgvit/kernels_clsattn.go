package mgvit

import "gorgonia.org/tensor"

// clsAttentionK reads out the [CLS] query row of a block's attention
// probabilities, averaged over heads: on the same inputs as the block's
// attentionK (fused qkv [B*T, 3D] and, when masked, keyAllowed [B,T]) it
// outputs [B, T], where column 0 is the [CLS]-to-[CLS] weight and column
// 1+n the weight of patch n. The probabilities come from attnProbs, the very
// code the attention forward uses, so masking and numerics are identical.
// It is forward-only: it appears only in attention read-out graphs, which
// take no gradients, and its backward leaves the input gradients at zero.
type clsAttentionK struct{ attn attentionK }

func (k clsAttentionK) name() string { return "cls-" + k.attn.name() }
func (k clsAttentionK) outShape() tensor.Shape {
	return tensor.Shape{k.attn.batch, k.attn.tokens}
}

func clsAttentionForward[T float32 | float64](k clsAttentionK, in [][]T, y []T) {
	a := k.attn
	qkv := in[0]
	var allowed []T
	if len(in) > 1 {
		allowed = in[1]
	}
	t := a.tokens
	rows := make([]T, a.batch*a.heads*t) // [B, heads, T]
	jobs := a.batch * a.heads
	workers := attnWorkers(jobs)
	ld := probStride[T](t)
	per := t*ld + 2*ld
	scratch := make([]T, workers*per)
	forEachJob(jobs, workers, func(w, job int) {
		s := scratch[w*per : (w+1)*per]
		attnProbs(a, qkv, allowed, job/a.heads, job%a.heads, s[:t*ld], ld, s[t*ld:])
		copy(rows[job*t:(job+1)*t], s[:t])
	})
	// Head mean in a fixed order, in float64, whatever the scheduling.
	for b := range a.batch {
		for j := range t {
			var sum float64
			for h := range a.heads {
				sum += float64(rows[(b*a.heads+h)*t+j])
			}
			y[b*t+j] = T(sum / float64(a.heads))
		}
	}
}

func (k clsAttentionK) forward32(in [][]float32, out []float32)                 { clsAttentionForward(k, in, out) }
func (k clsAttentionK) forward64(in [][]float64, out []float64)                 { clsAttentionForward(k, in, out) }
func (k clsAttentionK) backward32(_ [][]float32, _, _ []float32, _ [][]float32) {}
func (k clsAttentionK) backward64(_ [][]float64, _, _ []float64, _ [][]float64) {}
