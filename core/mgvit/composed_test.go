package mgvit

// Every custom kernel against the same computation composed from stock
// gorgonia v0.9.18 ops (the "composed version"): forward values and input
// gradients, in float64 to 1e-6 and in float32 (forward32/backward32 against
// the float64 composed values) to a float32 tolerance. The composed graphs
// are also what BenchmarkOps (composed_bench_test.go) times.
//
// gorgonia v0.9.18 pitfalls worked around here:
//   - InverseSqrt has a wrong gradient: Inverse(Sqrt(x)) is used instead.
//   - SoftMax/LogSoftMax nodes of one input get merged by the graph's dedup,
//     and the tensor softmax is not max-stabilised: softmax is written out
//     as Exp(s - shift) / Σ, with the per-row shift (the row maximum,
//     computed in Go from the input values) passed as a constant input. Any
//     per-row constant cancels mathematically, so the shift changes no value
//     and no gradient.
//   - node values may be overwritten by the backward pass: every value and
//     gradient is captured with gorgonia.Read while the machine runs.
//   - gorgonia has no erf: GELU is checked against a plain float64
//     reference written with math.Erf/math.Exp (geluReference).
//   - Mul routes (1,x)/(x,1) shapes to matrix-vector products; the cases
//     avoid unit dimensions in matrix products.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// composedCase is one kernel, its inputs and its composed version.
type composedCase struct {
	name   string
	k      kernel
	shapes []tensor.Shape // of the inputs, as the model graph declares them
	inputs [][]float64
	check  []bool // which input gradients to compare
	// build returns the composed output (shape k.outShape()) from the input
	// nodes; vals are the input values, for constants derived from them
	// (mask biases, softmax shifts, detached targets).
	build func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node
	// ref, when set, stands in for the graph: a plain float64 reference
	// returning the output and the input gradients of Σ r·out.
	ref func(in [][]float64, r []float64) (out []float64, d [][]float64)
	// forwardOnly kernels (clsAttentionK) are compared on the output only.
	forwardOnly bool
}

// composer builds one composed graph in one dtype.
type composer struct {
	g  *gorgonia.ExprGraph
	dt tensor.Dtype
	n  int
}

// mustNode panics on a graph-building error; newComposedGraph recovers it.
func mustNode(n *gorgonia.Node, err error) *gorgonia.Node {
	if err != nil {
		panic(err)
	}
	return n
}

// composedValue converts float64 data to a gorgonia value of dtype dt.
func composedValue(dt tensor.Dtype, shape tensor.Shape, data []float64) gorgonia.Value {
	switch dt {
	case tensor.Float32:
		if len(shape) == 0 {
			return gorgonia.NewF32(float32(data[0]))
		}
		v := make([]float32, len(data))
		for i, x := range data {
			v[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape.Clone()...), tensor.WithBacking(v))
	case tensor.Float64:
		if len(shape) == 0 {
			return gorgonia.NewF64(data[0])
		}
		return tensor.New(tensor.WithShape(shape.Clone()...), tensor.WithBacking(append([]float64(nil), data...)))
	}
	panic(fmt.Sprintf("unsupported dtype %v", dt))
}

// composedData returns a value's data as float64.
func composedData(v gorgonia.Value) []float64 {
	switch x := v.(type) {
	case *gorgonia.F64:
		return []float64{float64(*x)}
	case *gorgonia.F32:
		return []float64{float64(*x)}
	case tensor.Tensor:
		switch d := x.Data().(type) {
		case []float64:
			return append([]float64(nil), d...)
		case []float32:
			return f32sTo64(d)
		case float64:
			return []float64{d}
		case float32:
			return []float64{float64(d)}
		}
	}
	panic(fmt.Sprintf("unsupported value %T", v))
}

func f32sTo64(v []float32) []float64 {
	r := make([]float64, len(v))
	for i, x := range v {
		r[i] = float64(x)
	}
	return r
}

func f64sTo32(v []float64) []float32 {
	r := make([]float32, len(v))
	for i, x := range v {
		r[i] = float32(x)
	}
	return r
}

// node adds an input node holding data (a constant unless differentiated).
func (c *composer) node(shape tensor.Shape, data []float64) *gorgonia.Node {
	c.n++
	name := fmt.Sprintf("in%d", c.n)
	v := composedValue(c.dt, shape, data)
	if len(shape) == 0 {
		return gorgonia.NewScalar(c.g, c.dt, gorgonia.WithName(name), gorgonia.WithValue(v))
	}
	return gorgonia.NewTensor(c.g, c.dt, len(shape), gorgonia.WithShape(shape...), gorgonia.WithName(name), gorgonia.WithValue(v))
}

func (c *composer) scalar(v float64) *gorgonia.Node {
	return c.node(tensor.ScalarShape(), []float64{v})
}

func (c *composer) fill(shape tensor.Shape, v float64) *gorgonia.Node {
	d := make([]float64, shape.TotalSize())
	for i := range d {
		d[i] = v
	}
	return c.node(shape, d)
}

// composedGraph is a compiled composed graph with the Read captures of its
// output and of the gradients of Σ r·out with regard to the checked inputs.
type composedGraph struct {
	vm    gorgonia.VM
	out   gorgonia.Value
	grads []gorgonia.Value // per input; nil where not checked
}

// newComposedGraph builds tc's composed version in dt, with the cost
// Σ r ⊙ out differentiated by gorgonia.Grad with regard to the checked inputs.
func newComposedGraph(tc composedCase, dt tensor.Dtype, r []float64) (cg *composedGraph, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: building the composed graph: %v", tc.name, p)
		}
	}()
	c := &composer{g: gorgonia.NewGraph(), dt: dt}
	in := make([]*gorgonia.Node, len(tc.inputs))
	for i, v := range tc.inputs {
		in[i] = c.node(tc.shapes[i], v)
	}
	out := tc.build(c, in, tc.inputs)
	if !out.Shape().Eq(tc.k.outShape()) {
		return nil, fmt.Errorf("%s: composed output shape %v, kernel %v", tc.name, out.Shape(), tc.k.outShape())
	}
	cg = &composedGraph{grads: make([]gorgonia.Value, len(in))}
	gorgonia.Read(out, &cg.out)
	if !tc.forwardOnly {
		var cost *gorgonia.Node
		if len(tc.k.outShape()) == 0 {
			cost = mustNode(gorgonia.HadamardProd(out, c.scalar(r[0])))
		} else {
			cost = mustNode(gorgonia.Sum(mustNode(gorgonia.HadamardProd(out, c.node(tc.k.outShape(), r)))))
		}
		var wrt gorgonia.Nodes
		for i, w := range tc.check {
			if w {
				wrt = append(wrt, in[i])
			}
		}
		grads, err := gorgonia.Grad(cost, wrt...)
		if err != nil {
			return nil, fmt.Errorf("%s: Grad: %w", tc.name, err)
		}
		j := 0
		for i, w := range tc.check {
			if w {
				gorgonia.Read(grads[j], &cg.grads[i])
				j++
			}
		}
	}
	cg.vm = gorgonia.NewTapeMachine(c.g)
	return cg, nil
}

func (cg *composedGraph) run() error {
	defer cg.vm.Reset()
	return cg.vm.RunAll()
}

// runComposed64 runs tc's composed version (or its reference) once in float64.
func runComposed64(tc composedCase, r []float64) (out []float64, d [][]float64, err error) {
	if tc.ref != nil {
		out, d = tc.ref(tc.inputs, r)
		return out, d, nil
	}
	cg, err := newComposedGraph(tc, tensor.Float64, r)
	if err != nil {
		return nil, nil, err
	}
	defer cg.vm.Close()
	if err := cg.run(); err != nil {
		return nil, nil, fmt.Errorf("%s: composed run: %w", tc.name, err)
	}
	d = make([][]float64, len(tc.inputs))
	for i, g := range cg.grads {
		if g != nil {
			d[i] = composedData(g)
		}
	}
	return composedData(cg.out), d, nil
}

// runKernel64 runs forward64 and backward64 (upstream gradient r).
func runKernel64(tc composedCase, r []float64) (out []float64, d [][]float64) {
	out = make([]float64, tc.k.outShape().TotalSize())
	tc.k.forward64(tc.inputs, out)
	d = make([][]float64, len(tc.inputs))
	for i, w := range tc.check {
		if w {
			d[i] = make([]float64, len(tc.inputs[i]))
		}
	}
	tc.k.backward64(tc.inputs, out, r, d)
	return out, d
}

// runKernel32 runs forward32 and backward32 on the inputs rounded to float32
// (they are float32-exact by construction) and widens the results.
func runKernel32(tc composedCase, r []float64) (out []float64, d [][]float64) {
	in := make([][]float32, len(tc.inputs))
	for i, v := range tc.inputs {
		in[i] = f64sTo32(v)
	}
	o := make([]float32, tc.k.outShape().TotalSize())
	tc.k.forward32(in, o)
	d32 := make([][]float32, len(in))
	for i, w := range tc.check {
		if w {
			d32[i] = make([]float32, len(in[i]))
		}
	}
	tc.k.backward32(in, o, f64sTo32(r), d32)
	d = make([][]float64, len(in))
	for i, v := range d32 {
		if v != nil {
			d[i] = f32sTo64(v)
		}
	}
	return f32sTo64(o), d
}

// closeScaled reports the worst element of got against want, each allowed
// tol·max(1, |want|); ok is false when any element exceeds it or is NaN.
func closeScaled(got, want []float64, tol float64) (ok bool, msg string) {
	if len(got) != len(want) {
		return false, fmt.Sprintf("length %d, want %d", len(got), len(want))
	}
	worst, at, bad := 0.0, -1, 0
	for i := range got {
		diff := math.Abs(got[i] - want[i])
		rel := diff / max(1, math.Abs(want[i]))
		if math.IsNaN(rel) {
			rel = math.Inf(1)
		}
		if rel > tol {
			bad++
		}
		if rel > worst || at < 0 {
			worst, at = rel, i
		}
	}
	if bad == 0 {
		return true, fmt.Sprintf("worst scaled error %.2g", worst)
	}
	return false, fmt.Sprintf("%d of %d elements off; worst [%d]: got %.12g, want %.12g (scaled error %.3g > %.0e)",
		bad, len(got), at, got[at], want[at], worst, tol)
}

// randVecExact32 is randVec rounded to float32, so the float32 kernels see
// exactly the inputs of the float64 reference.
func randVecExact32(rng *rand.Rand, n int, scale float64) []float64 {
	v := randVec(rng, n, scale)
	for i := range v {
		v[i] = float64(float32(v[i]))
	}
	return v
}

// upstreamGrad is the random upstream gradient r of a kernel's output.
func upstreamGrad(k kernel, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 99))
	if len(k.outShape()) == 0 {
		return []float64{float64(float32(0.5 + rng.Float64()))}
	}
	return randVecExact32(rng, k.outShape().TotalSize(), 1)
}

// --- composed versions -----------------------------------------------------

// linearComposed is x·Wᵀ (+ b).
func linearComposed(k linearK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
		y := mustNode(gorgonia.Mul(in[0], mustNode(gorgonia.Transpose(in[1]))))
		if k.bias {
			y = mustNode(gorgonia.BroadcastAdd(y, in[2], nil, []byte{0}))
		}
		return y
	}
}

// geluReference is exact GELU, y = x·Φ(x), dy/dx = Φ(x) + x·φ(x), in plain
// float64: gorgonia has no erf, so there is no composed version.
func geluReference(in [][]float64, r []float64) ([]float64, [][]float64) {
	x := in[0]
	out := make([]float64, len(x))
	dx := make([]float64, len(x))
	for i, v := range x {
		cdf := 0.5 * math.Erfc(-v/math.Sqrt2)
		pdf := math.Exp(-0.5*v*v) / math.Sqrt(2*math.Pi)
		out[i] = v * cdf
		dx[i] = r[i] * (cdf + v*pdf)
	}
	return out, [][]float64{dx}
}

// geluTanhComposed is the tanh approximation of GELU,
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). It is not the kernel's
// function (within ~1e-3): BenchmarkOps uses it as the composed GELU's cost
// stand-in, and TestComposedGeluTanhStandIn bounds its distance.
func geluTanhComposed(c *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
	x := in[0]
	inner := mustNode(gorgonia.Add(x, mustNode(gorgonia.HadamardProd(mustNode(gorgonia.Cube(x)), c.scalar(0.044715)))))
	inner = mustNode(gorgonia.HadamardProd(inner, c.scalar(math.Sqrt(2/math.Pi))))
	t := mustNode(gorgonia.Add(mustNode(gorgonia.Tanh(inner)), c.scalar(1)))
	return mustNode(gorgonia.HadamardProd(mustNode(gorgonia.HadamardProd(x, c.scalar(0.5))), t))
}

// layerNormComposed is (x - mean)/sqrt(var + eps)·gamma + beta per row,
// with the biased variance.
func layerNormComposed(k layerNormK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
		x, g, b := in[0], in[1], in[2]
		mean := mustNode(gorgonia.Mean(x, 1))
		xc := mustNode(gorgonia.BroadcastSub(x, mean, nil, []byte{1}))
		vr := mustNode(gorgonia.Mean(mustNode(gorgonia.Square(xc)), 1))
		vr = mustNode(gorgonia.Add(vr, c.fill(tensor.Shape{k.rows}, k.eps)))
		rstd := mustNode(gorgonia.Inverse(mustNode(gorgonia.Sqrt(vr)))) // not InverseSqrt: its gradient is wrong
		xh := mustNode(gorgonia.BroadcastHadamardProd(xc, rstd, nil, []byte{1}))
		y := mustNode(gorgonia.BroadcastHadamardProd(xh, g, nil, []byte{0}))
		return mustNode(gorgonia.BroadcastAdd(y, b, nil, []byte{0}))
	}
}

func reshapeComposed(k reshapeK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(_ *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
		return mustNode(gorgonia.Reshape(in[0], k.to.Clone()))
	}
}

func addComposed(_ *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
	return mustNode(gorgonia.Add(in[0], in[1]))
}

// tokensComposed prepends [CLS] to every sample's patch tokens and adds the
// position embedding.
func tokensComposed(k tokensK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
		t, d := k.patches+1, k.dim
		p := mustNode(gorgonia.Reshape(in[0], tensor.Shape{k.batch, k.patches, d}))
		cls := make(gorgonia.Nodes, k.batch)
		for b := range cls {
			cls[b] = in[1] // [1,1,D] once per sample
		}
		clsB := in[1]
		if k.batch > 1 {
			clsB = mustNode(gorgonia.Concat(0, cls...)) // [B,1,D]
		}
		x := mustNode(gorgonia.Concat(1, clsB, p)) // [B,T,D]
		pos := mustNode(gorgonia.Reshape(in[2], tensor.Shape{t, d}))
		x = mustNode(gorgonia.BroadcastAdd(x, pos, nil, []byte{0}))
		return mustNode(gorgonia.Reshape(x, tensor.Shape{k.batch * t, d}))
	}
}

// placementMasks says whether query row i of a (tokens)-row attention is
// masked under pl: the placement rules of attentionK, written out again.
func placementMasks(pl Placement, i int) bool {
	switch pl {
	case PlacementCLS:
		return i == 0
	case PlacementPatch:
		return i >= 1
	case PlacementAll:
		return true
	}
	return false
}

// attentionBias is the constant added to the scaled scores [B·H, T, T]:
// -1e9 on the disallowed keys of masked query rows, minus the row's
// maximum (the softmax shift, computed here in float64 from the input
// values; it cancels in the softmax).
func attentionBias(k attentionK, vals [][]float64) []float64 {
	t, d, h := k.tokens, k.dim, k.heads
	hd := d / h
	scale := 1 / math.Sqrt(float64(hd))
	qkv := vals[0]
	bias := make([]float64, k.batch*h*t*t)
	for b := range k.batch {
		for hh := range h {
			for i := range t {
				row := bias[((b*h+hh)*t+i)*t : ((b*h+hh)*t+i+1)*t]
				mx := math.Inf(-1)
				for j := range t {
					var s float64
					for e := range hd {
						s += qkv[(b*t+i)*3*d+hh*hd+e] * qkv[(b*t+j)*3*d+d+hh*hd+e]
					}
					s *= scale
					if len(vals) > 1 && placementMasks(k.placement, i) && vals[1][b*t+j] < 0.5 {
						row[j] = maskedScore
					}
					mx = max(mx, s+row[j])
				}
				for j := range row {
					row[j] -= mx
				}
			}
		}
	}
	return bias
}

// attentionProbs returns the attention probabilities [B·H, T, T] and the
// values [B·H, T, hd] of fused qkv [B·T, 3D] (per token q|k|v, heads
// contiguous inside each).
func attentionProbs(c *composer, k attentionK, qkv *gorgonia.Node, vals [][]float64) (p, v *gorgonia.Node) {
	t, d, h := k.tokens, k.dim, k.heads
	hd := d / h
	x := mustNode(gorgonia.Reshape(qkv, tensor.Shape{k.batch, t, 3, h, hd}))
	x = mustNode(gorgonia.Transpose(x, 2, 0, 3, 1, 4)) // [3, B, H, T, hd]
	x = mustNode(gorgonia.Reshape(x, tensor.Shape{3, k.batch * h, t, hd}))
	part := func(i int) *gorgonia.Node {
		return mustNode(gorgonia.Reshape(mustNode(gorgonia.Slice(x, gorgonia.S(i))), tensor.Shape{k.batch * h, t, hd}))
	}
	q, kk := part(0), part(1)
	v = part(2)
	s := mustNode(gorgonia.BatchedMatMul(q, kk, false, true))
	s = mustNode(gorgonia.HadamardProd(s, c.scalar(1/math.Sqrt(float64(hd)))))
	s = mustNode(gorgonia.Add(s, c.node(tensor.Shape{k.batch * h, t, t}, attentionBias(k, vals))))
	e := mustNode(gorgonia.Exp(s))
	p = mustNode(gorgonia.BroadcastHadamardDiv(e, mustNode(gorgonia.Sum(e, 2)), nil, []byte{2}))
	return p, v
}

// attentionComposed is softmax(Q·Kᵀ/√hd + mask bias)·V per sample and head.
func attentionComposed(k attentionK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node {
		t, d, h := k.tokens, k.dim, k.heads
		p, v := attentionProbs(c, k, in[0], vals)
		o := mustNode(gorgonia.BatchedMatMul(p, v)) // [B·H, T, hd]
		o = mustNode(gorgonia.Reshape(o, tensor.Shape{k.batch, h, t, d / h}))
		o = mustNode(gorgonia.Transpose(o, 0, 2, 1, 3)) // [B, T, H, hd]
		return mustNode(gorgonia.Reshape(o, tensor.Shape{k.batch * t, d}))
	}
}

// clsAttentionComposed is the [CLS] query row of the probabilities,
// averaged over heads.
func clsAttentionComposed(k clsAttentionK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node {
		a := k.attn
		p, _ := attentionProbs(c, a, in[0], vals)
		p = mustNode(gorgonia.Reshape(p, tensor.Shape{a.batch, a.heads, a.tokens * a.tokens}))
		row := mustNode(gorgonia.Slice(p, nil, nil, gorgonia.S(0, a.tokens))) // [B, H, T]
		return mustNode(gorgonia.Mean(row, 1))
	}
}

func clsComposed(k clsK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
		x := mustNode(gorgonia.Reshape(in[0], tensor.Shape{k.batch, k.tokens * k.dim}))
		return mustNode(gorgonia.Slice(x, nil, gorgonia.S(0, k.dim)))
	}
}

// rowNormaliseNode is x / ‖x‖ per row of a [rows, dim] node (no norm floor:
// the cases have no near-zero rows).
func rowNormaliseNode(x *gorgonia.Node) *gorgonia.Node {
	n := mustNode(gorgonia.Sqrt(mustNode(gorgonia.Sum(mustNode(gorgonia.Square(x)), 1))))
	return mustNode(gorgonia.BroadcastHadamardDiv(x, n, nil, []byte{1}))
}

func l2NormComposed(_ *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
	return rowNormaliseNode(in[0])
}

// cosineComposed is x·Ŵᵀ with Ŵ the row-normalised weight.
func cosineComposed(_ *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
	return mustNode(gorgonia.Mul(in[0], mustNode(gorgonia.Transpose(rowNormaliseNode(in[1])))))
}

func weightedSumComposed(k weightedSumK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, _ [][]float64) *gorgonia.Node {
		var s *gorgonia.Node
		for i, coef := range k.coefs {
			term := mustNode(gorgonia.HadamardProd(in[i], c.scalar(coef)))
			if s == nil {
				s = term
			} else {
				s = mustNode(gorgonia.Add(s, term))
			}
		}
		return s
	}
}

// rowShift returns the row maxima of vals/temp for [rows, cols] values: the
// constant softmax shift of logSoftmaxRows.
func rowShift(vals []float64, rows, cols int, temp float64) []float64 {
	sh := make([]float64, rows)
	for r := range rows {
		sh[r] = math.Inf(-1)
		for _, v := range vals[r*cols : (r+1)*cols] {
			sh[r] = max(sh[r], v/temp)
		}
	}
	return sh
}

// logSoftmaxRows is log softmax(x/temp) per row of x [rows, cols], written
// as s - log Σ exp s with s = x/temp - shift.
func logSoftmaxRows(c *composer, x *gorgonia.Node, xv []float64, rows, cols int, temp float64) *gorgonia.Node {
	s := mustNode(gorgonia.HadamardProd(x, c.scalar(1/temp)))
	s = mustNode(gorgonia.BroadcastSub(s, c.node(tensor.Shape{rows}, rowShift(xv, rows, cols, temp)), nil, []byte{1}))
	lse := mustNode(gorgonia.Log(mustNode(gorgonia.Sum(mustNode(gorgonia.Exp(s)), 1))))
	return mustNode(gorgonia.BroadcastSub(s, lse, nil, []byte{1}))
}

// teacherTargets are distillK's detached targets, written out again:
// softmax at τ_t over the novel columns, mixed with onehot(numLabeled) by
// the row's PLR weight.
func teacherTargets(k distillK, logits []float64) []float64 {
	c := k.classes
	q := make([]float64, 2*k.batch*c)
	for r := range 2 * k.batch {
		row, p := logits[r*c:(r+1)*c], q[r*c:(r+1)*c]
		mx := math.Inf(-1)
		for j := k.numLabeled; j < c; j++ {
			mx = max(mx, row[j]/k.meta.teacherTemp)
		}
		var sum float64
		for j := k.numLabeled; j < c; j++ {
			p[j] = math.Exp(row[j]/k.meta.teacherTemp - mx)
			sum += p[j]
		}
		w := k.meta.weights[r%k.batch]
		omw := float64(1 - float32(w)) // float32 weights, as the reference
		for j := k.numLabeled; j < c; j++ {
			p[j] = omw * p[j] / sum
		}
		if w != 0 {
			p[k.numLabeled] += w
		}
	}
	return q
}

// distillComposed is -Σ_r q'_{other view of r}·log softmax(x_r/τ_s) / 2n
// over the 2n unlabelled rows r of both views, with the targets constant
// (the teacher is detached); labelled rows have weight 0.
func distillComposed(k distillK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node {
		n, cl := 2*k.batch, k.classes
		q := teacherTargets(k, vals[0])
		unl := 0
		for _, l := range k.meta.labels {
			if l < 0 {
				unl += 2
			}
		}
		w := make([]float64, n*cl)
		for r := range n {
			if k.meta.labels[r%k.batch] >= 0 {
				continue
			}
			o := (r + k.batch) % n
			for j := range cl {
				w[r*cl+j] = -q[o*cl+j] / float64(unl)
			}
		}
		ls := logSoftmaxRows(c, in[0], vals[0], n, cl, k.studentTemp)
		return mustNode(gorgonia.Sum(mustNode(gorgonia.HadamardProd(ls, c.node(tensor.Shape{n, cl}, w)))))
	}
}

// ceComposed is the mean over the labelled rows of both views of
// -log softmax(x/τ_s)[label].
func ceComposed(k ceK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node {
		n, cl := 2*k.batch, k.classes
		var rows []int
		for r := range n {
			if k.meta.labels[r%k.batch] >= 0 {
				rows = append(rows, r)
			}
		}
		w := make([]float64, n*cl)
		for _, r := range rows {
			w[r*cl+k.meta.labels[r%k.batch]] = -1 / float64(len(rows))
		}
		ls := logSoftmaxRows(c, in[0], vals[0], n, cl, k.studentTemp)
		return mustNode(gorgonia.Sum(mustNode(gorgonia.HadamardProd(ls, c.node(tensor.Shape{n, cl}, w)))))
	}
}

// memaxComposed is Σ p̄ log p̄ + log C, p̄ the mean softmax(x/τ_s) of the
// unlabelled rows of both views.
func memaxComposed(k memaxK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node {
		n, cl := 2*k.batch, k.classes
		sel := make([]float64, n)
		cnt := 0
		for r := range n {
			if k.meta.labels[r%k.batch] < 0 {
				sel[r] = 1
				cnt++
			}
		}
		for r := range sel {
			sel[r] /= float64(cnt)
		}
		p := mustNode(gorgonia.Exp(logSoftmaxRows(c, in[0], vals[0], n, cl, k.studentTemp)))
		mean := mustNode(gorgonia.Sum(mustNode(gorgonia.BroadcastHadamardProd(p, c.node(tensor.Shape{n}, sel), nil, []byte{1})), 0))
		ent := mustNode(gorgonia.Sum(mustNode(gorgonia.HadamardProd(mean, mustNode(gorgonia.Log(mean))))))
		return mustNode(gorgonia.Add(ent, c.scalar(math.Log(float64(cl)))))
	}
}

// contrastiveComposed gathers the anchors (a constant one-hot matrix),
// forms the scores F·Fᵀ/τ, and averages coef·(log Σ_{j≠i} exp s_ij -
// mean_{p∈P(i)} s_ip) over the anchors. The anchors and positives are
// written out again from the stepMeta labels.
func contrastiveComposed(k contrastiveK) func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node {
	return func(c *composer, in []*gorgonia.Node, vals [][]float64) *gorgonia.Node {
		b := k.rows / 2
		var anchors []int
		for r := range k.rows {
			if !k.supervised || k.meta.labels[r%b] >= 0 {
				anchors = append(anchors, r)
			}
		}
		n := len(anchors)
		gather := make([]float64, n*k.rows)
		for i, r := range anchors {
			gather[i*k.rows+r] = 1
		}
		posW := make([]float64, n*n)
		for i, ri := range anchors {
			var pos []int
			for j, rj := range anchors {
				switch {
				case !k.supervised && rj == (ri+b)%k.rows,
					k.supervised && j != i && k.meta.labels[ri%b] == k.meta.labels[rj%b]:
					pos = append(pos, j)
				}
			}
			for _, j := range pos {
				posW[i*n+j] = 1 / float64(len(pos))
			}
		}
		// softmax shift and self exclusion: bias = -1e9 on the diagonal,
		// minus the row maximum of the other scores (computed in Go)
		shift := make([]float64, n)
		bias := make([]float64, n*n)
		z := vals[0]
		for i, ri := range anchors {
			shift[i] = math.Inf(-1)
			for j, rj := range anchors {
				if j == i {
					bias[i*n+j] = maskedScore
					continue
				}
				var s float64
				for e := range k.dim {
					s += z[ri*k.dim+e] * z[rj*k.dim+e]
				}
				shift[i] = max(shift[i], s/k.temp)
			}
			for j := range n {
				bias[i*n+j] -= shift[i]
			}
		}
		f := mustNode(gorgonia.Mul(c.node(tensor.Shape{n, k.rows}, gather), in[0]))
		s := mustNode(gorgonia.Mul(f, mustNode(gorgonia.Transpose(f))))
		s = mustNode(gorgonia.HadamardProd(s, c.scalar(1/k.temp)))
		sum := mustNode(gorgonia.Sum(mustNode(gorgonia.Exp(mustNode(gorgonia.Add(s, c.node(tensor.Shape{n, n}, bias))))), 1))
		lse := mustNode(gorgonia.Add(mustNode(gorgonia.Log(sum)), c.node(tensor.Shape{n}, shift)))
		pm := mustNode(gorgonia.Sum(mustNode(gorgonia.HadamardProd(s, c.node(tensor.Shape{n, n}, posW))), 1))
		loss := mustNode(gorgonia.Mean(mustNode(gorgonia.Sub(lse, pm))))
		return mustNode(gorgonia.HadamardProd(loss, c.scalar(k.coef)))
	}
}

// --- cases -----------------------------------------------------------------

func linearCase(rng *rand.Rand, name string, k linearK) composedCase {
	tc := composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.rows, k.in}, {k.out, k.in}},
		inputs: [][]float64{randVecExact32(rng, k.rows*k.in, 1), randVecExact32(rng, k.out*k.in, 1/math.Sqrt(float64(k.in)))},
		check:  []bool{true, true}, build: linearComposed(k)}
	if k.bias {
		tc.shapes = append(tc.shapes, tensor.Shape{k.out})
		tc.inputs = append(tc.inputs, randVecExact32(rng, k.out, 1))
		tc.check = append(tc.check, true)
	}
	return tc
}

func geluCase(rng *rand.Rand, name string, rows, cols int) composedCase {
	return composedCase{name: name, k: geluK{shape: tensor.Shape{rows, cols}},
		shapes: []tensor.Shape{{rows, cols}}, inputs: [][]float64{randVecExact32(rng, rows*cols, 2)},
		check: []bool{true}, ref: geluReference, build: geluTanhComposed}
}

func layerNormCase(rng *rand.Rand, name string, k layerNormK) composedCase {
	return composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.rows, k.dim}, {k.dim}, {k.dim}},
		inputs: [][]float64{randVecExact32(rng, k.rows*k.dim, 1), randVecExact32(rng, k.dim, 1), randVecExact32(rng, k.dim, 1)},
		check:  []bool{true, true, true}, build: layerNormComposed(k)}
}

func addCase(rng *rand.Rand, name string, rows, cols int) composedCase {
	return composedCase{name: name, k: addK{shape: tensor.Shape{rows, cols}},
		shapes: []tensor.Shape{{rows, cols}, {rows, cols}},
		inputs: [][]float64{randVecExact32(rng, rows*cols, 1), randVecExact32(rng, rows*cols, 1)},
		check:  []bool{true, true}, build: addComposed}
}

func tokensCase(rng *rand.Rand, name string, k tokensK) composedCase {
	t := k.patches + 1
	return composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.batch * k.patches, k.dim}, {1, 1, k.dim}, {1, t, k.dim}},
		inputs: [][]float64{randVecExact32(rng, k.batch*k.patches*k.dim, 1), randVecExact32(rng, k.dim, 1), randVecExact32(rng, t*k.dim, 1)},
		check:  []bool{true, true, true}, build: tokensComposed(k)}
}

// randomKeyAllowed is a random [B,T] key mask (the CLS key always allowed).
func randomKeyAllowed(rng *rand.Rand, batch, tokens int) []float64 {
	a := make([]float64, batch*tokens)
	for i := range a {
		if i%tokens == 0 || rng.IntN(2) == 0 {
			a[i] = 1
		}
	}
	return a
}

// attentionCase has unit-variance qkv, so the scaled scores q·k/√hd are
// O(1) and the softmax is neither flat nor saturated; masked cases get a
// random key mask.
func attentionCase(rng *rand.Rand, name string, k attentionK) composedCase {
	t := k.tokens
	tc := composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.batch * t, 3 * k.dim}},
		inputs: [][]float64{randVecExact32(rng, k.batch*t*3*k.dim, 1)},
		check:  []bool{true}, build: attentionComposed(k)}
	if k.placement != PlacementNone {
		tc.shapes = append(tc.shapes, tensor.Shape{k.batch, t})
		tc.inputs = append(tc.inputs, randomKeyAllowed(rng, k.batch, t))
		tc.check = append(tc.check, false)
	}
	return tc
}

func clsAttentionCase(rng *rand.Rand, name string, k attentionK) composedCase {
	tc := attentionCase(rng, name, k)
	ck := clsAttentionK{attn: k}
	tc.k, tc.build, tc.forwardOnly = ck, clsAttentionComposed(ck), true
	return tc
}

func clsCase(rng *rand.Rand, name string, k clsK) composedCase {
	return composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.batch * k.tokens, k.dim}},
		inputs: [][]float64{randVecExact32(rng, k.batch*k.tokens*k.dim, 1)},
		check:  []bool{true}, build: clsComposed(k)}
}

func l2NormCase(rng *rand.Rand, name string, k l2NormK) composedCase {
	return composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.rows, k.dim}},
		inputs: [][]float64{randVecExact32(rng, k.rows*k.dim, 1)},
		check:  []bool{true}, build: l2NormComposed}
}

func cosineCase(rng *rand.Rand, name string, k cosineK) composedCase {
	return composedCase{name: name, k: k,
		shapes: []tensor.Shape{{k.rows, k.dim}, {k.classes, k.dim}},
		inputs: [][]float64{randVecExact32(rng, k.rows*k.dim, 1), randVecExact32(rng, k.classes*k.dim, 1)},
		check:  []bool{true, true}, build: cosineComposed}
}

func scalarLossCase(name string, k kernel, shape tensor.Shape, x []float64,
	build func(*composer, []*gorgonia.Node, [][]float64) *gorgonia.Node) composedCase {
	return composedCase{name: name, k: k, shapes: []tensor.Shape{shape}, inputs: [][]float64{x},
		check: []bool{true}, build: build}
}

// composedCases covers every kernel: the small shapes of fdCases and one
// realistic shape each (the benchmark model's D=96, 65 tokens).
func composedCases() []composedCase {
	rng := rand.New(rand.NewPCG(11, 12))
	meta := testMeta()
	const b, c = 5, 6
	cases := []composedCase{
		linearCase(rng, "linear", linearK{rows: 3, in: 4, out: 5, bias: true}),
		linearCase(rng, "linear-nobias", linearK{rows: 3, in: 4, out: 5}),
		linearCase(rng, "linear-65x96-288", linearK{rows: 65, in: 96, out: 288, bias: true}),
		geluCase(rng, "gelu", 3, 4),
		geluCase(rng, "gelu-65x384", 65, 384),
		layerNormCase(rng, "layernorm", layerNormK{rows: 3, dim: 5, eps: 1e-6}),
		layerNormCase(rng, "layernorm-65x96", layerNormK{rows: 65, dim: 96, eps: 1e-6}),
		{name: "reshape", k: reshapeK{from: tensor.Shape{4, 3, 2, 2}, to: tensor.Shape{4, 12}},
			shapes: []tensor.Shape{{4, 3, 2, 2}}, inputs: [][]float64{randVecExact32(rng, 48, 1)}, check: []bool{true},
			build: reshapeComposed(reshapeK{from: tensor.Shape{4, 3, 2, 2}, to: tensor.Shape{4, 12}})},
		addCase(rng, "add", 2, 3),
		addCase(rng, "add-65x96", 65, 96),
		tokensCase(rng, "tokens", tokensK{batch: 2, patches: 3, dim: 2}),
		tokensCase(rng, "tokens-B2-N64-D96", tokensK{batch: 2, patches: 64, dim: 96}),
		clsCase(rng, "cls", clsK{batch: 2, tokens: 3, dim: 2}),
		clsCase(rng, "cls-B2-T65-D96", clsK{batch: 2, tokens: 65, dim: 96}),
		l2NormCase(rng, "l2norm", l2NormK{rows: 3, dim: 4}),
		l2NormCase(rng, "l2norm-64x96", l2NormK{rows: 64, dim: 96}),
		cosineCase(rng, "cosine", cosineK{rows: 3, dim: 4, classes: 5}),
		cosineCase(rng, "cosine-64x96-5", cosineK{rows: 64, dim: 96, classes: 5}),
		{name: "weighted-sum", k: weightedSumK{coefs: []float64{0.7, -2}},
			shapes: []tensor.Shape{tensor.ScalarShape(), tensor.ScalarShape()},
			inputs: [][]float64{{1.5}, {0.3}}, check: []bool{true, true},
			build: weightedSumComposed(weightedSumK{coefs: []float64{0.7, -2}})},
	}
	for _, pl := range []Placement{PlacementNone, PlacementCLS, PlacementPatch, PlacementAll} {
		cases = append(cases,
			attentionCase(rng, "attention-"+string(pl), attentionK{batch: 2, tokens: 5, dim: 4, heads: 2, placement: pl}),
			attentionCase(rng, "attention-B2-T17-D24-H4-"+string(pl), attentionK{batch: 2, tokens: 17, dim: 24, heads: 4, placement: pl}),
			clsAttentionCase(rng, "cls-attention-B2-T17-D24-H4-"+string(pl), attentionK{batch: 2, tokens: 17, dim: 24, heads: 4, placement: pl}),
		)
	}
	logits := randVecExact32(rng, 2*b*c, 0.3)
	noPLR := *meta
	noPLR.weights = make([]float64, b)
	feat := randVecExact32(rng, 2*b*3, 0.6)
	cases = append(cases,
		scalarLossCase("distill-plr", distillK{batch: b, classes: c, numLabeled: 2, studentTemp: 0.1, meta: meta}, tensor.Shape{2 * b, c}, logits,
			distillComposed(distillK{batch: b, classes: c, numLabeled: 2, studentTemp: 0.1, meta: meta})),
		scalarLossCase("distill-noplr", distillK{batch: b, classes: c, numLabeled: 2, studentTemp: 0.1, meta: &noPLR}, tensor.Shape{2 * b, c}, logits,
			distillComposed(distillK{batch: b, classes: c, numLabeled: 2, studentTemp: 0.1, meta: &noPLR})),
		scalarLossCase("distill-no-base", distillK{batch: b, classes: c, studentTemp: 0.1, meta: meta}, tensor.Shape{2 * b, c}, logits,
			distillComposed(distillK{batch: b, classes: c, studentTemp: 0.1, meta: meta})),
		scalarLossCase("memax", memaxK{batch: b, classes: c, studentTemp: 0.1, meta: meta}, tensor.Shape{2 * b, c}, logits,
			memaxComposed(memaxK{batch: b, classes: c, studentTemp: 0.1, meta: meta})),
		scalarLossCase("ce", ceK{batch: b, classes: c, studentTemp: 0.1, meta: meta}, tensor.Shape{2 * b, c}, logits,
			ceComposed(ceK{batch: b, classes: c, studentTemp: 0.1, meta: meta})),
		scalarLossCase("infonce", contrastiveK{rows: 2 * b, dim: 3, temp: 1, coef: 1, meta: meta}, tensor.Shape{2 * b, 3}, feat,
			contrastiveComposed(contrastiveK{rows: 2 * b, dim: 3, temp: 1, coef: 1, meta: meta})),
		scalarLossCase("infonce-t0.1", contrastiveK{rows: 2 * b, dim: 3, temp: 0.1, coef: 1, meta: meta}, tensor.Shape{2 * b, 3}, feat,
			contrastiveComposed(contrastiveK{rows: 2 * b, dim: 3, temp: 0.1, coef: 1, meta: meta})),
		scalarLossCase("supcon", contrastiveK{rows: 2 * b, dim: 3, temp: 0.07, coef: 1, supervised: true, meta: meta}, tensor.Shape{2 * b, 3}, feat,
			contrastiveComposed(contrastiveK{rows: 2 * b, dim: 3, temp: 0.07, coef: 1, supervised: true, meta: meta})),
		scalarLossCase("supcon-coef", contrastiveK{rows: 2 * b, dim: 3, temp: 0.1, coef: 0.1 / 0.07, supervised: true, meta: meta}, tensor.Shape{2 * b, 3}, feat,
			contrastiveComposed(contrastiveK{rows: 2 * b, dim: 3, temp: 0.1, coef: 0.1 / 0.07, supervised: true, meta: meta})),
	)
	return cases
}

// checkAgainstComposed compares one kernel run (out, d) with the composed
// values at tol.
func checkAgainstComposed(t *testing.T, tc composedCase, what string, out, wantOut []float64, d, wantD [][]float64, tol float64) {
	t.Helper()
	if ok, msg := closeScaled(out, wantOut, tol); !ok {
		t.Errorf("%s forward: %s", what, msg)
	} else {
		t.Logf("%s forward: %s", what, msg)
	}
	if tc.forwardOnly {
		return
	}
	for i, w := range tc.check {
		if !w {
			continue
		}
		if ok, msg := closeScaled(d[i], wantD[i], tol); !ok {
			t.Errorf("%s backward, input %d: %s", what, i, msg)
		} else {
			t.Logf("%s backward, input %d: %s", what, i, msg)
		}
	}
}

// TestComposed checks every kernel against its composed version: output
// and input gradients of Σ r·out, scaled by max(1, |value|). forward64 and
// backward64 must agree to 1e-6; forward32 and backward32 (the training
// path, with its float32 fast paths) to 1e-4 of the float64 composed values.
func TestComposed(t *testing.T) {
	for _, prec := range []struct {
		name string
		run  func(composedCase, []float64) ([]float64, [][]float64)
		tol  float64
	}{
		{"float64", runKernel64, 1e-6},
		{"float32", runKernel32, 1e-4},
	} {
		t.Run(prec.name, func(t *testing.T) {
			for i, tc := range composedCases() {
				t.Run(tc.name, func(t *testing.T) {
					r := upstreamGrad(tc.k, uint64(i))
					wantOut, wantD, err := runComposed64(tc, r)
					if err != nil {
						t.Fatal(err)
					}
					out, d := prec.run(tc, r)
					checkAgainstComposed(t, tc, prec.name, out, wantOut, d, wantD, prec.tol)
				})
			}
		})
	}
}

// TestComposedFloat32Graphs checks that the float32 composed graphs, the
// ones BenchmarkOps times, compute what the float64 ones do (to 1e-4 scaled
// by max(1, |value|)).
func TestComposedFloat32Graphs(t *testing.T) {
	for i, tc := range composedCases() {
		if tc.ref != nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			r := upstreamGrad(tc.k, uint64(i))
			wantOut, wantD, err := runComposed64(tc, r)
			if err != nil {
				t.Fatal(err)
			}
			cg, err := newComposedGraph(tc, tensor.Float32, r)
			if err != nil {
				t.Fatal(err)
			}
			defer cg.vm.Close()
			if err := cg.run(); err != nil {
				t.Fatal(err)
			}
			d := make([][]float64, len(tc.inputs))
			for i, g := range cg.grads {
				if g != nil {
					d[i] = composedData(g)
				}
			}
			checkAgainstComposed(t, tc, "float32 graph", composedData(cg.out), wantOut, d, wantD, 1e-4)
		})
	}
}

// TestComposedGeluTanhStandIn bounds the distance of the tanh-approximated
// GELU that BenchmarkOps/gelu/composed times from the exact GELU kernel
// (it is a cost stand-in, not a numerical match: gorgonia has no erf).
func TestComposedGeluTanhStandIn(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tc := geluCase(rng, "gelu-tanh", 16, 32)
	tc.ref = nil
	r := upstreamGrad(tc.k, 1)
	wantOut, wantD, err := runComposed64(tc, r)
	if err != nil {
		t.Fatal(err)
	}
	out, d := runKernel64(tc, r)
	checkAgainstComposed(t, tc, "tanh-approx", out, wantOut, d, wantD, 1e-2)
}

// extraFDCases are finite-difference cases for the kernels fdCases
// (grad_test.go) leaves out.
func extraFDCases() []fdCase {
	rng := rand.New(rand.NewPCG(13, 14))
	return []fdCase{
		{"reshape", reshapeK{from: tensor.Shape{2, 3, 2}, to: tensor.Shape{2, 6}}, [][]float64{randVec(rng, 12, 1)}, []bool{true}},
	}
}

// TestComposedFiniteDifferences checks the backward64 of extraFDCases
// against central differences of Σ r·forward64, as grad_test.go does for
// fdCases.
func TestComposedFiniteDifferences(t *testing.T) {
	for _, tc := range extraFDCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := upstreamGrad(tc.k, 7)
			out := make([]float64, tc.k.outShape().TotalSize())
			tc.k.forward64(tc.inputs, out)
			d := make([][]float64, len(tc.inputs))
			for i, w := range tc.check {
				if w {
					d[i] = make([]float64, len(tc.inputs[i]))
				}
			}
			tc.k.backward64(tc.inputs, out, r, d)
			const h = 1e-6
			for i, w := range tc.check {
				if !w {
					continue
				}
				for j := range tc.inputs[i] {
					orig := tc.inputs[i][j]
					tc.inputs[i][j] = orig + h
					fp := objective(tc.k, tc.inputs, r)
					tc.inputs[i][j] = orig - h
					fm := objective(tc.k, tc.inputs, r)
					tc.inputs[i][j] = orig
					num := (fp - fm) / (2 * h)
					if diff := math.Abs(num - d[i][j]); diff > 1e-6*max(1, math.Abs(num)) {
						t.Fatalf("input %d[%d]: analytic %.9g, numeric %.9g", i, j, d[i][j], num)
					}
				}
			}
		})
	}
}

// kernelTypesInSources lists the types of the package's non-test sources that have
// a backward64 method, i.e. every kernel.
func kernelTypesInSources(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "backward64" || len(fn.Recv.List) != 1 {
				continue
			}
			typ := fn.Recv.List[0].Type
			if st, ok := typ.(*ast.StarExpr); ok {
				typ = st.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				seen[id.Name] = true
			}
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func kernelTypeName(k kernel) string {
	s := fmt.Sprintf("%T", k)
	return s[strings.LastIndexByte(s, '.')+1:]
}

// TestComposedCoverage checks that every kernel type of the package has a
// runComposed64 case here and a finite-difference case in fdCases or
// extraFDCases. clsAttentionK
// is forward-only (its backward is a documented no-op), so it has no
// finite-difference case; its forward is compared with the composed one.
func TestComposedCoverage(t *testing.T) {
	forwardOnly := map[string]bool{"clsAttentionK": true}
	composedHas, fdHas, benchHas := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, tc := range composedCases() {
		composedHas[kernelTypeName(tc.k)] = true
	}
	for i, bc := range benchOpCases() {
		benchHas[kernelTypeName(bc.make(rand.New(rand.NewPCG(uint64(i), 31))).k)] = true
	}
	for _, tc := range append(fdCases(), extraFDCases()...) {
		fdHas[kernelTypeName(tc.k)] = true
	}
	types := kernelTypesInSources(t)
	if len(types) == 0 {
		t.Fatal("found no kernel types")
	}
	for _, n := range types {
		if !composedHas[n] {
			t.Errorf("kernel %s has no composed case", n)
		}
		if !fdHas[n] && !forwardOnly[n] {
			t.Errorf("kernel %s has no finite-difference case in fdCases or extraFDCases", n)
		}
		if !benchHas[n] && n != "clsAttentionK" {
			t.Errorf("kernel %s has no BenchmarkOps case", n)
		}
	}
}
