package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// legacyEncode is the hand-written safetensors writer that Encode replaced
// (nlpodyssey/safetensors now writes the bytes); kept here to show that the
// library writes the same files.
func legacyEncode(w io.Writer, tensors []Tensor, meta map[string]string) error {
	type headerEntry struct {
		DType       string `json:"dtype"`
		Shape       []int  `json:"shape"`
		DataOffsets [2]int `json:"data_offsets"`
	}
	sorted := append([]Tensor(nil), tensors...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	header := make(map[string]any, len(sorted)+1)
	off := 0
	for _, t := range sorted {
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = headerEntry{DType: "F32", Shape: shape, DataOffsets: [2]int{off, off + 4*len(t.Data)}}
		off += 4 * len(t.Data)
	}
	if len(meta) > 0 {
		header["__metadata__"] = meta
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return err
	}
	if pad := (8 - len(hj)%8) % 8; pad > 0 {
		hj = append(hj, bytes.Repeat([]byte(" "), pad)...)
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(hj)))
	buf := append(n[:], hj...)
	for _, t := range sorted {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	_, err = w.Write(buf)
	return err
}

// TestEncodeMatchesLegacyBytes: the library's writer gives byte-identical
// files to the hand-written one for checkpoints, features, scalars, empty
// tensors, metadata or none.
func TestEncodeMatchesLegacyBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	vals := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	cases := []struct {
		name    string
		tensors []Tensor
		meta    map[string]string
	}{
		{"none", nil, nil},
		{"one scalar", []Tensor{{Name: "s", Shape: nil, Data: vals(1)}}, nil},
		{"model-like, unsorted, with metadata", []Tensor{
			{Name: "blocks.1.attn.qkv.weight", Shape: []int{12, 4}, Data: vals(48)},
			{Name: "blocks.0.attn.qkv.weight", Shape: []int{12, 4}, Data: vals(48)},
			{Name: "cls_token", Shape: []int{1, 1, 4}, Data: vals(4)},
			{Name: "empty", Shape: []int{0, 3}, Data: nil},
		}, map[string]string{"format": "pt", "epoch": "3", "ünïcode": "ω"}},
		{"features", []Tensor{{Name: "features", Shape: []int{37, 5}, Data: vals(185)}}, map[string]string{}},
	}
	for _, tc := range cases {
		var got, want bytes.Buffer
		if err := Encode(&got, tc.tensors, tc.meta); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := legacyEncode(&want, tc.tensors, tc.meta); err != nil {
			t.Fatalf("%s: legacy: %v", tc.name, err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: bytes differ from the hand-written writer\n got %q\nwant %q", tc.name, got.Bytes()[:min(got.Len(), 200)], want.Bytes()[:min(want.Len(), 200)])
		}
	}
}
