package checkpoint

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"github.com/anomalyncd/ancd/internal/atomicfile"
	"github.com/nlpodyssey/safetensors"
)

// Tensor is one named float32 tensor in row-major (PyTorch) layout.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

func (t Tensor) size() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// WriteFile writes tensors and string metadata as a safetensors file at path,
// atomically. Tensors are stored as F32, sorted by name; the JSON header has
// sorted keys and is padded with spaces to a multiple of 8 bytes, so equal
// input gives equal bytes. Names must be unique and shapes must match data.
func WriteFile(path string, tensors []Tensor, meta map[string]string) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, tensors, meta) })
}

// Encode writes the safetensors bytes of tensors and meta to w (see
// [WriteFile]) with nlpodyssey/safetensors, the library that reads them.
func Encode(w io.Writer, tensors []Tensor, meta map[string]string) error {
	views := make(map[string]f32View, len(tensors))
	for _, t := range tensors {
		if t.Name == "__metadata__" || t.Name == "" {
			return fmt.Errorf("checkpoint: invalid tensor name %q", t.Name)
		}
		if _, dup := views[t.Name]; dup {
			return fmt.Errorf("checkpoint: tensor %q appears twice", t.Name)
		}
		if t.size() != len(t.Data) {
			return fmt.Errorf("checkpoint: tensor %q shape %v holds %d values, have %d", t.Name, t.Shape, t.size(), len(t.Data))
		}
		shape := make([]uint64, len(t.Shape))
		for i, d := range t.Shape {
			shape[i] = uint64(d)
		}
		views[t.Name] = f32View{shape: shape, data: t.Data}
	}
	if len(meta) == 0 {
		meta = nil
	}
	if err := safetensors.SerializeToWriter(views, meta, w); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// f32View is a float32 tensor as a safetensors.View; its little-endian
// bytes are made when the writer asks for them, one tensor at a time.
type f32View struct {
	shape []uint64
	data  []float32
}

func (v f32View) DType() safetensors.DType { return safetensors.F32 }
func (v f32View) Shape() []uint64          { return v.shape }
func (v f32View) DataLen() uint64          { return uint64(4 * len(v.data)) }
func (v f32View) Data() []byte {
	b := make([]byte, 0, 4*len(v.data))
	for _, x := range v.data {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

// File is a decoded safetensors file: every tensor converted to float32,
// sorted by name, plus the metadata strings.
type File struct {
	Tensors []Tensor
	Meta    map[string]string
}

// Lookup returns the tensor called name.
func (f File) Lookup(name string) (Tensor, bool) {
	i := sort.Search(len(f.Tensors), func(i int) bool { return f.Tensors[i].Name >= name })
	if i < len(f.Tensors) && f.Tensors[i].Name == name {
		return f.Tensors[i], true
	}
	return Tensor{}, false
}

// ReadFile reads a safetensors file; F32, F64, F16 and BF16 tensors are
// converted to float32, other dtypes are an error naming the tensor.
func ReadFile(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("checkpoint: %w", err)
	}
	st, err := safetensors.Deserialize(raw)
	if err != nil {
		return File{}, fmt.Errorf("checkpoint: read %s: %w", path, err)
	}
	_, md, err := safetensors.ReadMetadata(raw)
	if err != nil {
		return File{}, fmt.Errorf("checkpoint: read %s: %w", path, err)
	}
	f := File{Meta: md.Metadata()}
	for _, nv := range st.Tensors() {
		tv := nv.TensorView
		data, err := toFloat32(tv.DType(), tv.Data())
		if err != nil {
			return File{}, fmt.Errorf("checkpoint: %s: tensor %q: %w", path, nv.Name, err)
		}
		shape := make([]int, len(tv.Shape()))
		for i, d := range tv.Shape() {
			shape[i] = int(d)
		}
		f.Tensors = append(f.Tensors, Tensor{Name: nv.Name, Shape: shape, Data: data})
	}
	sort.Slice(f.Tensors, func(i, j int) bool { return f.Tensors[i].Name < f.Tensors[j].Name })
	return f, nil
}

func toFloat32(dt safetensors.DType, b []byte) ([]float32, error) {
	switch dt {
	case safetensors.F32:
		out := make([]float32, len(b)/4)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		return out, nil
	case safetensors.F64:
		out := make([]float32, len(b)/8)
		for i := range out {
			out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
		return out, nil
	case safetensors.BF16:
		out := make([]float32, len(b)/2)
		for i := range out {
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		}
		return out, nil
	case safetensors.F16:
		out := make([]float32, len(b)/2)
		for i := range out {
			out[i] = half(binary.LittleEndian.Uint16(b[2*i:]))
		}
		return out, nil
	}
	return nil, fmt.Errorf("dtype %s is not a float type", dt)
}

// half converts IEEE binary16 bits to float32.
func half(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	man := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | man<<13)
	case exp == 0 && man == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal
		v := float32(man) / (1 << 24)
		if sign != 0 {
			return -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+112)<<23 | man<<13)
}
