package checkpoint

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/optim"
)

func TestSafetensorsRoundTripAndDeterministicBytes(t *testing.T) {
	tensors := []Tensor{
		{Name: "b", Shape: []int{2, 2}, Data: []float32{1, -2, 3.5, float32(math.Inf(1))}},
		{Name: "a", Shape: []int{3}, Data: []float32{0.1, 0.2, 0.3}},
		{Name: "scalar", Shape: []int{}, Data: []float32{7}},
	}
	meta := map[string]string{"epoch": "3", "note": "x"}
	var b1, b2 bytes.Buffer
	if err := Encode(&b1, tensors, meta); err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(tensors)
	slices.Reverse(rev)
	if err := Encode(&b2, rev, meta); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Error("input order changed the bytes")
	}
	if hl := binary.LittleEndian.Uint64(b1.Bytes()); (8+hl)%8 != 0 {
		t.Errorf("header length %d leaves data unaligned", hl)
	}
	path := filepath.Join(t.TempDir(), "x.safetensors")
	if err := WriteFile(path, tensors, meta); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(f.Tensors); got != "[{a [3] [0.1 0.2 0.3]} {b [2 2] [1 -2 3.5 +Inf]} {scalar [] [7]}]" {
		t.Errorf("tensors = %s", got)
	}
	if f.Meta["epoch"] != "3" || f.Meta["note"] != "x" {
		t.Errorf("meta = %v", f.Meta)
	}
	if _, ok := f.Lookup("b"); !ok {
		t.Error("Lookup(b) failed")
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		tensors []Tensor
		want    string
	}{
		{"dup", []Tensor{{Name: "a", Shape: []int{1}, Data: []float32{1}}, {Name: "a", Shape: []int{1}, Data: []float32{1}}}, `"a" appears twice`},
		{"shape", []Tensor{{Name: "w", Shape: []int{2, 2}, Data: []float32{1}}}, `"w" shape [2 2]`},
	}
	for _, tc := range tests {
		err := Encode(&bytes.Buffer{}, tc.tensors, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want mention of %s", tc.name, err, tc.want)
		}
	}
}

// writeRaw writes a safetensors file with one tensor of the given dtype and bytes.
func writeRaw(t *testing.T, dtype string, shape string, data []byte) string {
	t.Helper()
	h := fmt.Sprintf(`{"x":{"dtype":"%s","shape":%s,"data_offsets":[0,%d]}}`, dtype, shape, len(data))
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(h)))
	b.WriteString(h)
	b.Write(data)
	p := filepath.Join(t.TempDir(), "raw.safetensors")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadDTypes(t *testing.T) {
	tests := []struct {
		dtype string
		data  []byte
		want  string
	}{
		{"F16", []byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00}, "[1 -2 5.9604645e-08]"},
		{"BF16", []byte{0x80, 0x3f, 0x40, 0x40, 0x00, 0x00}, "[1 3 0]"},
		{"F64", binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, math.Float64bits(0.5)), math.Float64bits(-1)), math.Float64bits(2)), "[0.5 -1 2]"},
	}
	for _, tc := range tests {
		f, err := ReadFile(writeRaw(t, tc.dtype, "[3]", tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.dtype, err)
		}
		if got := fmt.Sprint(f.Tensors[0].Data); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.dtype, got, tc.want)
		}
	}
	if _, err := ReadFile(writeRaw(t, "I32", "[1]", []byte{1, 0, 0, 0})); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("I32 tensor: err = %v, want an error naming x", err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	params := []*optim.Param{
		{Name: "w", Shape: []int{2, 1}, Value: []float32{1, 2}, Grad: []float32{0, 0}, Train: true},
		{Name: "frozen", Shape: []int{1}, Value: []float32{5}, Grad: []float32{0}},
	}
	mom := []optim.Buffer{{Name: "w", Shape: []int{2, 1}, Values: []float32{0.25, -0.5}}}
	path := filepath.Join(t.TempDir(), "ck", "last.safetensors")
	st0 := Capture(4, 40, 1<<63+5, "abc", params, mom)
	st0.ClusterPerHead = []float64{0.1, 1.0 / 3, -2e-300}
	if err := Save(path, st0); err != nil {
		t.Fatal(err)
	}
	st, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Epoch != 4 || st.Step != 40 || st.Seed != 1<<63+5 || st.ConfigHash != "abc" {
		t.Errorf("scalars = %d %d %d %q", st.Epoch, st.Step, st.Seed, st.ConfigHash)
	}
	if fmt.Sprint(st.ClusterPerHead) != fmt.Sprint(st0.ClusterPerHead) || st.ClusterPerHead[1] != 1.0/3 {
		t.Errorf("cluster per head = %v, want %v", st.ClusterPerHead, st0.ClusterPerHead)
	}
	if fmt.Sprint(st.Momentum) != fmt.Sprint(mom) {
		t.Errorf("momentum = %v, want %v", st.Momentum, mom)
	}
	params[0].Value[0], params[1].Value[0] = 9, 9
	if err := st.Restore(params); err != nil {
		t.Fatal(err)
	}
	if params[0].Value[0] != 1 || params[1].Value[0] != 5 {
		t.Errorf("restored values %v %v", params[0].Value, params[1].Value)
	}
	other := []*optim.Param{{Name: "w", Shape: []int{2}, Value: make([]float32, 2)}, {Name: "frozen", Shape: []int{1}, Value: make([]float32, 1)}}
	if err := st.Restore(other); err == nil || !strings.Contains(err.Error(), `"w"`) {
		t.Errorf("shape mismatch: err = %v", err)
	}
}

func seq(n int, start float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = start + float32(i)
	}
	return v
}

func TestLoadPretrainedHuggingFaceNames(t *testing.T) {
	const d = 2
	file := []Tensor{
		{Name: "vit.embeddings.cls_token", Shape: []int{1, 1, d}, Data: seq(d, 100)},
		{Name: "vit.embeddings.position_embeddings", Shape: []int{1, 5, d}, Data: seq(5*d, 200)},
		{Name: "vit.encoder.layer.0.attention.attention.query.weight", Shape: []int{d, d}, Data: seq(4, 0)},
		{Name: "vit.encoder.layer.0.attention.attention.key.weight", Shape: []int{d, d}, Data: seq(4, 10)},
		{Name: "vit.encoder.layer.0.attention.attention.value.weight", Shape: []int{d, d}, Data: seq(4, 20)},
		{Name: "vit.encoder.layer.0.layernorm_before.bias", Shape: []int{d}, Data: seq(d, 30)},
		{Name: "vit.pooler.dense.bias", Shape: []int{d}, Data: seq(d, 0)},
	}
	path := filepath.Join(t.TempDir(), "dino.safetensors")
	if err := WriteFile(path, file, nil); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, shape ...int) *optim.Param {
		n := 1
		for _, s := range shape {
			n *= s
		}
		return &optim.Param{Name: name, Shape: shape, Value: make([]float32, n), Grad: make([]float32, n)}
	}
	params := []*optim.Param{mk("cls_token", 1, 1, d), mk("pos_embed", 1, 5, d), mk("blocks.0.attn.qkv.weight", 3*d, d),
		mk("blocks.0.norm1.bias", d), mk("heads.0.weight_v", 3, d)}
	rep, err := LoadPretrained(path, params)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(params[2].Value) != "[0 1 2 3 10 11 12 13 20 21 22 23]" {
		t.Errorf("qkv = %v, want q|k|v stacked", params[2].Value)
	}
	if params[0].Value[1] != 101 || params[3].Value[0] != 30 || params[1].Value[9] != 209 {
		t.Errorf("direct copies wrong: %v %v %v", params[0].Value, params[3].Value, params[1].Value)
	}
	if fmt.Sprint(rep.Missing) != "[heads.0.weight_v]" || fmt.Sprint(rep.Unused) != "[pooler.dense.bias]" || len(rep.Loaded) != 4 {
		t.Errorf("report = %+v", rep)
	}

	// shape mismatch names the tensor
	bad := []*optim.Param{mk("blocks.0.norm1.bias", d+1)}
	if _, err := LoadPretrained(path, bad); err == nil || !strings.Contains(err.Error(), "layernorm_before.bias") {
		t.Errorf("shape mismatch err = %v", err)
	}
}

func TestLoadPretrainedInterpolatesPosEmbed(t *testing.T) {
	// a 2x2 grid of a constant plus a linear ramp, resized to 4x4
	const d = 1
	data := []float32{-7, 1, 1, 1, 1}
	path := filepath.Join(t.TempDir(), "timm.safetensors")
	if err := WriteFile(path, []Tensor{{Name: "pos_embed", Shape: []int{1, 5, d}, Data: data}}, nil); err != nil {
		t.Fatal(err)
	}
	p := &optim.Param{Name: "pos_embed", Shape: []int{1, 17, d}, Value: make([]float32, 17), Grad: make([]float32, 17)}
	rep, err := LoadPretrained(path, []*optim.Param{p})
	if err != nil {
		t.Fatal(err)
	}
	if p.Value[0] != -7 {
		t.Errorf("class row = %v, want -7", p.Value[0])
	}
	for i, v := range p.Value[1:] {
		if math.Abs(float64(v)-1) > 1e-6 {
			t.Errorf("grid value %d = %v, want 1 (constant grid)", i, v)
		}
	}
	if fmt.Sprint(rep.Interpolated) != "[pos_embed]" {
		t.Errorf("interpolated = %v", rep.Interpolated)
	}
	p2 := &optim.Param{Name: "pos_embed", Shape: []int{1, 7, d}, Value: make([]float32, 7)}
	if _, err := LoadPretrained(path, []*optim.Param{p2}); err == nil {
		t.Error("non-square grid accepted")
	}
}

func TestBicubicMatchesPyTorchWeights(t *testing.T) {
	// upsampling 2→4, output 1: src = 1.5*0.5-0.5 = 0.25; PyTorch weights at t=0.25
	taps := bicubicTaps(2, 4)[1]
	want := []float64{-0.10546875, 0.87890625, 0.26171875, -0.03515625}
	for k := range 4 {
		if math.Abs(taps[k].w-want[k]) > 1e-12 {
			t.Errorf("weight %d = %v, want %v", k, taps[k].w, want[k])
		}
	}
	if taps[0].idx != 0 || taps[3].idx != 1 {
		t.Errorf("indices %v, want clamped 0..1", taps)
	}
}

func ExampleTimmName() {
	fmt.Println(TimmName("vit.encoder.layer.11.intermediate.dense.weight"))
	fmt.Println(TimmName("vit.encoder.layer.3.attention.attention.key.bias"))
	fmt.Println(TimmName("blocks.0.norm1.weight"))
	// Output:
	// blocks.11.mlp.fc1.weight -1
	// blocks.3.attn.qkv.bias 1
	// blocks.0.norm1.weight -1
}
