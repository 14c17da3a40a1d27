package mgvit

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/anomalyncd/ancd/core/optim"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// graphKind says what a graph computes.
type graphKind int

const (
	inferGraph     graphKind = iota // features and head logits only
	trainGraph                      // plus losses and parameter gradients
	attentionGraph                  // inference plus every block's [CLS] attention row
)

// graph is one compiled computation for a fixed configuration, dtype and
// number of images. It is built once and reused: inputs are copied into its
// input tensors, then the tape machine runs.
type graph struct {
	cfg    Config
	dt     tensor.Dtype
	images int // images per run (2B for training: view 1 rows, then view 2 rows)
	g      *gorgonia.ExprGraph
	vm     gorgonia.VM
	meta   *stepMeta

	patches     *gorgonia.Node // [images*N, PatchDim] im2col of the images, or the stem's inputs
	stem        *stem          // filter-bank stem (nil for pixels)
	allowed     *gorgonia.Node // [images, T] key allowed (nil without mask)
	paramNodes  []*gorgonia.Node
	paramValues []tensor.Tensor // float64 graphs own copies; float32 alias Param.Value

	logits   []*gorgonia.Node // per head [images, C]
	features *gorgonia.Node   // [images, D] L2-normalised [CLS]

	// training only
	lossNodes  lossNodes
	lossValues lossValues
	gradValues []gorgonia.Value // per param (nil when frozen)

	// read-outs captured during the run
	logitValues  []gorgonia.Value
	featureValue gorgonia.Value
	// attention graphs only: per block, the head-averaged [CLS] attention
	// row [images, T] (see clsAttentionK)
	clsAttnValues []gorgonia.Value

	nextID       int
	requiresGrad map[*gorgonia.Node]bool
}

// lossNodes are the scalar loss nodes of a training graph.
type lossNodes struct {
	distill, memax, ce []*gorgonia.Node // per head
	con, supcon, total *gorgonia.Node
}

// lossValues are the values read from lossNodes during a run.
type lossValues struct {
	distill, memax, ce []gorgonia.Value
	con, supcon, total gorgonia.Value
}

// apply adds a custom op computing k on the inputs.
func (gr *graph) apply(k kernel, inputs ...*gorgonia.Node) *gorgonia.Node {
	op := &customOp{k: k, id: gr.nextID, dt: gr.dt}
	gr.nextID++
	any := false
	for _, in := range inputs {
		op.inShapes = append(op.inShapes, in.Shape().Clone())
		need := gr.requiresGrad[in]
		op.needGrad = append(op.needGrad, need)
		any = any || need
	}
	n, err := gorgonia.ApplyOp(op, inputs...)
	if err != nil {
		panic(fmt.Sprintf("mgvit: building %s: %v", op, err)) // shapes are fixed by construction
	}
	gr.requiresGrad[n] = any
	return n
}

func (gr *graph) newInput(name string, shape ...int) *gorgonia.Node {
	return gorgonia.NewTensor(gr.g, gr.dt, len(shape), gorgonia.WithShape(shape...), gorgonia.WithName(name),
		gorgonia.WithValue(tensor.New(tensor.Of(gr.dt), tensor.WithShape(shape...))))
}

// buildGraph builds and compiles a graph over params for the given number
// of images (for training: 2B).
func buildGraph(cfg Config, params []*optim.Param, dt tensor.Dtype, images int, kind graphKind) (*graph, error) {
	gr := &graph{cfg: cfg, dt: dt, images: images, g: gorgonia.NewGraph(), meta: &stepMeta{},
		requiresGrad: map[*gorgonia.Node]bool{}}
	byName := map[string]*gorgonia.Node{}
	for _, p := range params {
		var val tensor.Tensor
		switch dt {
		case tensor.Float32:
			val = tensor.New(tensor.WithShape(p.Shape...), tensor.WithBacking(p.Value))
		case tensor.Float64:
			v := make([]float64, len(p.Value))
			for i, x := range p.Value {
				v[i] = float64(x)
			}
			val = tensor.New(tensor.WithShape(p.Shape...), tensor.WithBacking(v))
		default:
			return nil, fmt.Errorf("mgvit: unsupported dtype %v", dt)
		}
		n := gorgonia.NewTensor(gr.g, dt, len(p.Shape), gorgonia.WithShape(p.Shape...), gorgonia.WithName(p.Name), gorgonia.WithValue(val))
		gr.paramNodes = append(gr.paramNodes, n)
		gr.paramValues = append(gr.paramValues, val)
		gr.requiresGrad[n] = kind == trainGraph && p.Train
		byName[p.Name] = n
	}
	prm := func(name string) *gorgonia.Node { return byName[name] }

	d, t, grid := cfg.Dim, cfg.Tokens(), cfg.Grid()
	np := grid * grid
	pp := cfg.PatchDim()
	gr.patches = gr.newInput("patches", images*np, pp)
	if cfg.Stem == StemFilterBank {
		st, err := newStem(cfg, params)
		if err != nil {
			return nil, err
		}
		gr.stem = st
	}
	anyMasked := false
	for i := range cfg.Depth {
		anyMasked = anyMasked || cfg.Masked(i)
	}
	if anyMasked {
		gr.allowed = gr.newInput("allowed", images, t)
	}

	// Patch embedding: the conv weight [D,3,P,P] is a Linear weight [D,3PP]
	// (the filter-bank stem's is [D,F] already).
	pw := prm("patch_embed.proj.weight")
	pwFlat := pw
	if len(pw.Shape()) != 2 {
		pwFlat = gr.apply(reshapeK{from: pw.Shape().Clone(), to: tensor.Shape{d, pp}}, pw)
	}
	tok := gr.apply(linearK{rows: images * np, in: pp, out: d, bias: true}, gr.patches, pwFlat, prm("patch_embed.proj.bias"))
	x := gr.apply(tokensK{batch: images, patches: np, dim: d}, tok, prm("cls_token"), prm("pos_embed"))

	rows := images * t
	hidden := cfg.MLPHidden()
	if kind == attentionGraph {
		// Allocated once: Read keeps a pointer to each element.
		gr.clsAttnValues = make([]gorgonia.Value, cfg.Depth)
	}
	for i := range cfg.Depth {
		pre := fmt.Sprintf("blocks.%d.", i)
		h := gr.apply(layerNormK{rows: rows, dim: d, eps: cfg.LNEps}, x, prm(pre+"norm1.weight"), prm(pre+"norm1.bias"))
		qkv := gr.apply(linearK{rows: rows, in: d, out: 3 * d, bias: true}, h, prm(pre+"attn.qkv.weight"), prm(pre+"attn.qkv.bias"))
		attnIn := []*gorgonia.Node{qkv}
		ak := attentionK{batch: images, tokens: t, dim: d, heads: cfg.Heads, placement: PlacementNone}
		if cfg.Masked(i) {
			ak.placement = cfg.MaskPlacement
			attnIn = append(attnIn, gr.allowed)
		}
		a := gr.apply(ak, attnIn...)
		if kind == attentionGraph {
			gorgonia.Read(gr.apply(clsAttentionK{attn: ak}, attnIn...), &gr.clsAttnValues[i])
		}
		a = gr.apply(linearK{rows: rows, in: d, out: d, bias: true}, a, prm(pre+"attn.proj.weight"), prm(pre+"attn.proj.bias"))
		x = gr.apply(addK{shape: tensor.Shape{rows, d}}, x, a)
		h = gr.apply(layerNormK{rows: rows, dim: d, eps: cfg.LNEps}, x, prm(pre+"norm2.weight"), prm(pre+"norm2.bias"))
		h = gr.apply(linearK{rows: rows, in: d, out: hidden, bias: true}, h, prm(pre+"mlp.fc1.weight"), prm(pre+"mlp.fc1.bias"))
		h = gr.apply(geluK{shape: tensor.Shape{rows, hidden}}, h)
		h = gr.apply(linearK{rows: rows, in: hidden, out: d, bias: true}, h, prm(pre+"mlp.fc2.weight"), prm(pre+"mlp.fc2.bias"))
		x = gr.apply(addK{shape: tensor.Shape{rows, d}}, x, h)
	}
	cls := gr.apply(clsK{batch: images, tokens: t, dim: d}, x)
	cls = gr.apply(layerNormK{rows: images, dim: d, eps: cfg.LNEps}, cls, prm("norm.weight"), prm("norm.bias"))
	gr.features = gr.apply(l2NormK{rows: images, dim: d}, cls)
	c := cfg.Classes()
	for i := range cfg.NumHeads {
		gr.logits = append(gr.logits, gr.apply(cosineK{rows: images, dim: d, classes: c}, gr.features, prm(fmt.Sprintf("heads.%d.weight_v", i))))
	}

	if kind == trainGraph {
		if err := gr.addLosses(cls, prm, params); err != nil {
			return nil, err
		}
	} else {
		gr.logitValues = make([]gorgonia.Value, len(gr.logits))
		for i, n := range gr.logits {
			gorgonia.Read(n, &gr.logitValues[i])
		}
		gorgonia.Read(gr.features, &gr.featureValue)
	}
	gr.vm = gorgonia.NewTapeMachine(gr.g)
	// gorgonia sets a finalizer on every tape machine (to release CUDA
	// state, which the pure-Go build never holds). The machine sits in a
	// reference cycle with its graph, and a cycle holding a finalized object
	// is never collected: each model's graphs, with every buffer their ops
	// allocated, would stay alive for the life of the process. Dropping the
	// finalizer lets the garbage collector free a model like any value.
	runtime.SetFinalizer(gr.vm, nil)
	return gr, nil
}

// addLosses appends the projector, the MGCRL losses and their gradients.
func (gr *graph) addLosses(cls *gorgonia.Node, prm func(string) *gorgonia.Node, params []*optim.Param) error {
	cfg, lc := gr.cfg, gr.cfg.Loss
	b := gr.images / 2
	widths := []int{cfg.Dim, cfg.ProjHidden, cfg.ProjHidden, cfg.ProjOut}
	z := cls
	for i := range 3 {
		z = gr.apply(linearK{rows: gr.images, in: widths[i], out: widths[i+1], bias: true}, z,
			prm(fmt.Sprintf("projector.%d.weight", i)), prm(fmt.Sprintf("projector.%d.bias", i)))
		if i < 2 {
			z = gr.apply(geluK{shape: tensor.Shape{gr.images, widths[i+1]}}, z)
		}
	}
	zn := gr.apply(l2NormK{rows: gr.images, dim: cfg.ProjOut}, z)
	ln := &gr.lossNodes
	ln.con = gr.apply(contrastiveK{rows: gr.images, dim: cfg.ProjOut, temp: lc.ConTemp, coef: 1, meta: gr.meta}, zn)
	var terms []*gorgonia.Node
	var coefs []float64
	nh := float64(cfg.NumHeads)
	lam := lc.SupWeight
	if lc.ContrastiveOnly {
		terms, coefs = []*gorgonia.Node{ln.con}, []float64{1}
		ln.total = gr.apply(weightedSumK{coefs: coefs}, terms...)
		return gr.addGradients(params)
	}
	for h, lg := range gr.logits {
		dist := gr.apply(distillK{head: h, batch: b, classes: cfg.Classes(), numLabeled: cfg.NumLabeled, studentTemp: lc.StudentTemp, meta: gr.meta}, lg)
		mm := gr.apply(memaxK{batch: b, classes: cfg.Classes(), studentTemp: lc.StudentTemp, meta: gr.meta}, lg)
		ln.distill = append(ln.distill, dist)
		ln.memax = append(ln.memax, mm)
		terms = append(terms, dist, mm)
		coefs = append(coefs, (1-lam)/nh, (1-lam)*lc.MemaxWeight/nh)
		if !lc.NoLabeled {
			ce := gr.apply(ceK{batch: b, classes: cfg.Classes(), studentTemp: lc.StudentTemp, meta: gr.meta}, lg)
			ln.ce = append(ln.ce, ce)
			terms = append(terms, ce)
			coefs = append(coefs, lam/nh)
		}
	}
	terms = append(terms, ln.con)
	coefs = append(coefs, 1-lam)
	if !lc.NoLabeled {
		ln.supcon = gr.apply(contrastiveK{rows: gr.images, dim: cfg.ProjOut, temp: lc.SupConTemp,
			coef: lc.SupConTemp / lc.SupConBaseTemp, supervised: true, meta: gr.meta}, zn)
		terms = append(terms, ln.supcon)
		coefs = append(coefs, lam)
	}
	ln.total = gr.apply(weightedSumK{coefs: coefs}, terms...)
	return gr.addGradients(params)
}

// addGradients adds the gradient of the total loss with respect to every
// trainable parameter the loss depends on (with LossConfig.ContrastiveOnly
// the heads are not part of the loss and keep a zero gradient), and the
// read-outs of gradients and losses.
func (gr *graph) addGradients(params []*optim.Param) error {
	ln := &gr.lossNodes
	var wrt gorgonia.Nodes
	var wrtIdx []int
	for i, p := range params {
		if gr.cfg.Loss.ContrastiveOnly && strings.HasPrefix(p.Name, "heads.") {
			continue
		}
		if p.Train {
			wrt = append(wrt, gr.paramNodes[i])
			wrtIdx = append(wrtIdx, i)
		}
	}
	grads, err := gorgonia.Grad(ln.total, wrt...)
	if err != nil {
		return fmt.Errorf("mgvit: gradient graph: %w", err)
	}
	gr.gradValues = make([]gorgonia.Value, len(params))
	for j, gn := range grads {
		gorgonia.Read(gn, &gr.gradValues[wrtIdx[j]])
	}
	lv := &gr.lossValues
	lv.distill = make([]gorgonia.Value, len(ln.distill))
	lv.memax = make([]gorgonia.Value, len(ln.memax))
	lv.ce = make([]gorgonia.Value, len(ln.ce))
	for i := range ln.distill {
		gorgonia.Read(ln.distill[i], &lv.distill[i])
		gorgonia.Read(ln.memax[i], &lv.memax[i])
	}
	for i := range ln.ce {
		gorgonia.Read(ln.ce[i], &lv.ce[i])
	}
	gorgonia.Read(ln.con, &lv.con)
	if ln.supcon != nil {
		gorgonia.Read(ln.supcon, &lv.supcon)
	}
	gorgonia.Read(ln.total, &lv.total)
	return nil
}

// run executes the graph once.
func (gr *graph) run() error {
	defer gr.vm.Reset()
	if err := gr.vm.RunAll(); err != nil {
		return fmt.Errorf("mgvit: running graph: %w", err)
	}
	return nil
}

// reshapeK views a tensor under another shape of the same size.
type reshapeK struct{ from, to tensor.Shape }

func (k reshapeK) name() string           { return fmt.Sprintf("reshape(%v->%v)", k.from, k.to) }
func (k reshapeK) outShape() tensor.Shape { return k.to }
func (k reshapeK) forward32(in [][]float32, out []float32) {
	copy(out, in[0])
}
func (k reshapeK) forward64(in [][]float64, out []float64) { copy(out, in[0]) }
func (k reshapeK) backward32(_ [][]float32, _, dOut []float32, d [][]float32) {
	copy(d[0], dOut)
}
func (k reshapeK) backward64(_ [][]float64, _, dOut []float64, d [][]float64) {
	copy(d[0], dOut)
}

// scalarOf returns a read scalar value as float64.
func scalarOf(v gorgonia.Value) float64 {
	switch x := v.(type) {
	case *gorgonia.F32:
		return float64(*x)
	case *gorgonia.F64:
		return float64(*x)
	case tensor.Tensor:
		switch d := x.Data().(type) {
		case float32:
			return float64(d)
		case float64:
			return d
		case []float32:
			return float64(d[0])
		case []float64:
			return d[0]
		}
	}
	return 0
}

// floatsOf copies a read tensor value into float64.
func floatsOf(v gorgonia.Value) []float64 {
	t, ok := v.(tensor.Tensor)
	if !ok {
		return []float64{scalarOf(v)}
	}
	switch d := t.Data().(type) {
	case []float32:
		r := make([]float64, len(d))
		for i, x := range d {
			r[i] = float64(x)
		}
		return r
	case []float64:
		return append([]float64(nil), d...)
	}
	return nil
}
