package mgvit

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// kernel is the arithmetic behind one custom gorgonia op: a forward pass and
// a hand-written backward pass, in float32 and float64. Shapes are fixed when
// the kernel is built (one graph per configuration and batch size), so the
// kernels see flat slices only.
type kernel interface {
	// name identifies the kernel kind and its configuration.
	name() string
	// outShape is the shape of the forward output; an empty shape is a scalar.
	outShape() tensor.Shape
	forward32(in [][]float32, out []float32)
	forward64(in [][]float64, out []float64)
	// backward writes the gradient of each input i into dIn[i]; dIn[i] is nil
	// when that gradient is not wanted. dIn slices arrive zeroed.
	backward32(in [][]float32, out, dOut []float32, dIn [][]float32)
	backward64(in [][]float64, out, dOut []float64, dIn [][]float64)
}

// customOp runs a kernel's forward pass inside a gorgonia graph. Every
// instance carries a graph-unique id so gorgonia's common-subexpression
// merging never fuses two ops (the SoftMax/LogSoftMax pitfall).
type customOp struct {
	k        kernel
	id       int
	dt       tensor.Dtype
	inShapes []tensor.Shape
	needGrad []bool // per input: gradient flows into it
	out      opBuffer
}

// opBuffer is an op's output storage, allocated on the op's first run and
// rewritten by every later run of its graph: a graph runs one step at a time
// and everything that reads an op's output in a step runs after the op, so
// no value of an earlier step is ever read. Results read out of a graph are
// copied before the next run.
type opBuffer struct {
	f32 []float32
	f64 []float64
}

// get32 returns the float32 buffer of n values; its old contents remain.
func (b *opBuffer) get32(n int) []float32 {
	if len(b.f32) != n {
		b.f32 = make([]float32, n)
	}
	return b.f32
}

func (b *opBuffer) get64(n int) []float64 {
	if len(b.f64) != n {
		b.f64 = make([]float64, n)
	}
	return b.f64
}

func tensorType(dt tensor.Dtype, s tensor.Shape) hm.Type {
	if len(s) == 0 {
		return dt
	}
	return gorgonia.TensorType{Dims: len(s), Of: dt}
}

func (op *customOp) Arity() int { return len(op.inShapes) }
func (op *customOp) Type() hm.Type {
	ts := make([]hm.Type, 0, len(op.inShapes)+1)
	for _, s := range op.inShapes {
		ts = append(ts, tensorType(op.dt, s))
	}
	ts = append(ts, tensorType(op.dt, op.k.outShape()))
	return hm.NewFnType(ts...)
}
func (op *customOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return op.k.outShape().Clone(), nil
}
func (op *customOp) ReturnsPtr() bool     { return false }
func (op *customOp) CallsExtern() bool    { return false }
func (op *customOp) OverwritesInput() int { return -1 }
func (op *customOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "%s#%d", op.k.name(), op.id)
}
func (op *customOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op *customOp) String() string { return fmt.Sprintf("%s#%d", op.k.name(), op.id) }

func (op *customOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != op.Arity() {
		return nil, fmt.Errorf("%s: got %d inputs, want %d", op, len(vals), op.Arity())
	}
	switch op.dt {
	case tensor.Float32:
		in, err := slicesOf[float32](op, vals)
		if err != nil {
			return nil, err
		}
		out := op.out.get32(op.k.outShape().TotalSize()) // kernels write every output value
		op.k.forward32(in, out)
		return wrapValue(out, op.k.outShape()), nil
	case tensor.Float64:
		in, err := slicesOf[float64](op, vals)
		if err != nil {
			return nil, err
		}
		out := op.out.get64(op.k.outShape().TotalSize())
		op.k.forward64(in, out)
		return wrapValue(out, op.k.outShape()), nil
	}
	return nil, fmt.Errorf("%s: unsupported dtype %v", op, op.dt)
}

func (op *customOp) DiffWRT(n int) []bool { return append([]bool(nil), op.needGrad...) }

func (op *customOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	bop := &gradOp{fwd: op}
	args := append(append(gorgonia.Nodes{}, inputs...), output, grad)
	packed, err := gorgonia.ApplyOp(bop, args...)
	if err != nil {
		return nil, fmt.Errorf("%s backward: %w", op, err)
	}
	res := make(gorgonia.Nodes, len(inputs))
	wanted := 0
	for _, w := range op.needGrad {
		if w {
			wanted++
		}
	}
	off := 0
	for i, w := range op.needGrad {
		if !w {
			continue
		}
		if wanted == 1 {
			res[i] = packed
			break
		}
		n := op.inShapes[i].TotalSize()
		res[i], err = gorgonia.ApplyOp(&pickOp{src: bop, id: op.id, index: i, off: off, shape: op.inShapes[i], dt: op.dt, srcLen: bop.packedLen()}, packed)
		if err != nil {
			return nil, fmt.Errorf("%s pick %d: %w", op, i, err)
		}
		off += n
	}
	return res, nil
}

// gradOp runs a kernel's backward pass. Its inputs are the forward inputs,
// the forward output and the output's gradient; its output holds the wanted
// input gradients packed one after another (or, when only one is wanted,
// that gradient in its own shape).
type gradOp struct {
	fwd *customOp
	out opBuffer
}

func (op *gradOp) packedLen() int {
	n := 0
	for i, w := range op.fwd.needGrad {
		if w {
			n += op.fwd.inShapes[i].TotalSize()
		}
	}
	return n
}

func (op *gradOp) outShape() tensor.Shape {
	wanted, last := 0, -1
	for i, w := range op.fwd.needGrad {
		if w {
			wanted++
			last = i
		}
	}
	if wanted == 1 {
		return op.fwd.inShapes[last].Clone()
	}
	return tensor.Shape{op.packedLen()}
}

func (op *gradOp) Arity() int { return op.fwd.Arity() + 2 }
func (op *gradOp) Type() hm.Type {
	ts := make([]hm.Type, 0, op.Arity()+1)
	for _, s := range op.fwd.inShapes {
		ts = append(ts, tensorType(op.fwd.dt, s))
	}
	o := tensorType(op.fwd.dt, op.fwd.k.outShape())
	ts = append(ts, o, o, tensorType(op.fwd.dt, op.outShape()))
	return hm.NewFnType(ts...)
}
func (op *gradOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) { return op.outShape(), nil }
func (op *gradOp) ReturnsPtr() bool                                      { return false }
func (op *gradOp) CallsExtern() bool                                     { return false }
func (op *gradOp) OverwritesInput() int                                  { return -1 }
func (op *gradOp) WriteHash(h hash.Hash)                                 { fmt.Fprintf(h, "grad(%s)", op.fwd) }
func (op *gradOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op *gradOp) String() string { return fmt.Sprintf("grad(%s)", op.fwd) }

func (op *gradOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != op.Arity() {
		return nil, fmt.Errorf("%s: got %d inputs, want %d", op, len(vals), op.Arity())
	}
	n := op.fwd.Arity()
	switch op.fwd.dt {
	case tensor.Float32:
		all, err := slicesOf[float32](op, vals)
		if err != nil {
			return nil, err
		}
		packed := op.out.get32(op.packedLen())
		clear(packed) // kernels accumulate into zeroed gradients
		op.fwd.k.backward32(all[:n], all[n], all[n+1], op.split32(packed))
		return wrapValue(packed, op.outShape()), nil
	case tensor.Float64:
		all, err := slicesOf[float64](op, vals)
		if err != nil {
			return nil, err
		}
		packed := op.out.get64(op.packedLen())
		clear(packed)
		op.fwd.k.backward64(all[:n], all[n], all[n+1], split(op.fwd, packed))
		return wrapValue(packed, op.outShape()), nil
	}
	return nil, fmt.Errorf("%s: unsupported dtype %v", op, op.fwd.dt)
}

func (op *gradOp) split32(packed []float32) [][]float32 { return split(op.fwd, packed) }

// split cuts a packed gradient buffer into per-input views (nil where no
// gradient is wanted).
func split[T float32 | float64](op *customOp, packed []T) [][]T {
	res := make([][]T, len(op.inShapes))
	off := 0
	for i, w := range op.needGrad {
		if !w {
			continue
		}
		n := op.inShapes[i].TotalSize()
		res[i] = packed[off : off+n : off+n]
		off += n
	}
	return res
}

// pickOp views one input's gradient inside a gradOp's packed output,
// without copying: every region of the packed buffer has exactly one pick,
// and the picks are the packed value's only readers.
type pickOp struct {
	src    *gradOp
	id     int
	index  int
	off    int
	srcLen int
	shape  tensor.Shape
	dt     tensor.Dtype
}

func (op *pickOp) Arity() int { return 1 }
func (op *pickOp) Type() hm.Type {
	return hm.NewFnType(tensorType(op.dt, tensor.Shape{op.srcLen}), tensorType(op.dt, op.shape))
}
func (op *pickOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return op.shape.Clone(), nil
}
func (op *pickOp) ReturnsPtr() bool      { return false }
func (op *pickOp) CallsExtern() bool     { return false }
func (op *pickOp) OverwritesInput() int  { return -1 }
func (op *pickOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op *pickOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op *pickOp) String() string { return fmt.Sprintf("pick(%s,%d)", op.src, op.index) }
func (op *pickOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	n := op.shape.TotalSize()
	switch op.dt {
	case tensor.Float32:
		all, err := slicesOf[float32](op, vals)
		if err != nil {
			return nil, err
		}
		return wrapValue(all[0][op.off:op.off+n:op.off+n], op.shape), nil
	case tensor.Float64:
		all, err := slicesOf[float64](op, vals)
		if err != nil {
			return nil, err
		}
		return wrapValue(all[0][op.off:op.off+n:op.off+n], op.shape), nil
	}
	return nil, fmt.Errorf("%s: unsupported dtype %v", op, op.dt)
}

// slicesOf returns the flat data of each value (scalars as 1-element slices).
func slicesOf[T float32 | float64](op fmt.Stringer, vals []gorgonia.Value) ([][]T, error) {
	res := make([][]T, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case tensor.Tensor:
			d, ok := x.Data().([]T)
			if !ok {
				if s, ok := x.Data().(T); ok { // 0-d tensor
					res[i] = []T{s}
					continue
				}
				return nil, fmt.Errorf("%s: input %d has data %T", op, i, x.Data())
			}
			res[i] = d
		case *gorgonia.F32:
			s, ok := any(float32(*x)).(T)
			if !ok {
				return nil, fmt.Errorf("%s: input %d is float32, want %T", op, i, *new(T))
			}
			res[i] = []T{s}
		case *gorgonia.F64:
			s, ok := any(float64(*x)).(T)
			if !ok {
				return nil, fmt.Errorf("%s: input %d is float64, want %T", op, i, *new(T))
			}
			res[i] = []T{s}
		default:
			return nil, fmt.Errorf("%s: input %d has unsupported type %T", op, i, v)
		}
	}
	return res, nil
}

// wrapValue turns a flat result into a gorgonia value of the given shape.
func wrapValue[T float32 | float64](data []T, s tensor.Shape) gorgonia.Value {
	if len(s) == 0 {
		switch x := any(data[0]).(type) {
		case float32:
			return gorgonia.NewF32(x)
		case float64:
			return gorgonia.NewF64(x)
		}
	}
	return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(data))
}
