package optim

import (
	"fmt"
	"math"
	"testing"
)

func TestSGDStepMatchesHandComputedPyTorch(t *testing.T) {
	// Two steps by hand with lr 0.1, m 0.9, wd 0.01 (float64 here, compared at 1e-6):
	// decayed weight w0=1, g=0.5:
	//   step1: d=0.5+0.01*1=0.51, buf=0.51, w=1-0.051=0.949
	//   step2 (g=0.5): d=0.5+0.01*0.949=0.50949, buf=0.9*0.51+0.50949=0.96849, w=0.949-0.096849=0.852151
	// bias b0=2, g=-1, no decay:
	//   step1: buf=-1, b=2.1 ; step2: buf=-1.9, b=2.29
	// frozen f0=3: unchanged.
	w := &Param{Name: "w", Shape: []int{1, 1}, Value: []float32{1}, Grad: []float32{0.5}, Train: true, Decay: true}
	b := &Param{Name: "b", Shape: []int{1}, Value: []float32{2}, Grad: []float32{-1}, Train: true}
	f := &Param{Name: "f", Shape: []int{1}, Value: []float32{3}, Grad: []float32{7}, Train: false, Decay: true}
	s, err := NewSGD([]*Param{w, b, f}, SGDConfig{Momentum: 0.9, WeightDecay: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	s.Step(0.1)
	s.Step(0.1)
	tests := []struct {
		name string
		got  float32
		want float64
	}{
		{"decayed weight", w.Value[0], 0.852151},
		{"bias without decay", b.Value[0], 2.29},
		{"frozen", f.Value[0], 3},
	}
	for _, tc := range tests {
		if math.Abs(float64(tc.got)-tc.want) > 1e-6 {
			t.Errorf("%s = %.7f, want %.7f", tc.name, tc.got, tc.want)
		}
	}
	st := s.State()
	if len(st) != 2 || st[0].Name != "w" || st[1].Name != "b" {
		t.Fatalf("state names = %+v, want w, b", st)
	}
	if math.Abs(float64(st[0].Values[0])-0.96849) > 1e-6 || math.Abs(float64(st[1].Values[0])+1.9) > 1e-6 {
		t.Errorf("buffers = %v %v, want 0.96849 -1.9", st[0].Values, st[1].Values)
	}
}

func TestSGDStateRoundTripContinuesIdentically(t *testing.T) {
	mk := func() []*Param {
		return []*Param{{Name: "a", Shape: []int{3}, Value: []float32{1, -2, 3}, Grad: []float32{0.3, 0.1, -0.7}, Train: true, Decay: true}}
	}
	pa, pb := mk(), mk()
	sa, _ := NewSGD(pa, ReferenceSGD())
	sb, _ := NewSGD(pb, ReferenceSGD())
	sa.Step(0.01)
	if err := sb.SetState(sa.State()); err != nil {
		t.Fatal(err)
	}
	copy(pb[0].Value, pa[0].Value)
	sa.Step(0.02)
	sb.Step(0.02)
	for i := range pa[0].Value {
		if pa[0].Value[i] != pb[0].Value[i] {
			t.Fatalf("value %d: %v vs %v after restore", i, pa[0].Value[i], pb[0].Value[i])
		}
	}
}

func TestSGDErrors(t *testing.T) {
	tests := []struct {
		name   string
		params []*Param
		state  []Buffer
	}{
		{"grad length", []*Param{{Name: "x", Shape: []int{2}, Value: make([]float32, 2), Grad: make([]float32, 1), Train: true}}, nil},
		{"shape", []*Param{{Name: "x", Shape: []int{3}, Value: make([]float32, 2), Grad: make([]float32, 2), Train: true}}, nil},
		{"duplicate", []*Param{{Name: "x", Value: []float32{1}, Grad: []float32{1}}, {Name: "x", Value: []float32{1}, Grad: []float32{1}}}, nil},
		{"unknown buffer", []*Param{{Name: "x", Shape: []int{1}, Value: []float32{1}, Grad: []float32{1}, Train: true}}, []Buffer{{Name: "y", Values: []float32{0}}}},
		{"missing buffer", []*Param{{Name: "x", Shape: []int{1}, Value: []float32{1}, Grad: []float32{1}, Train: true}}, []Buffer{}},
		{"buffer size", []*Param{{Name: "x", Shape: []int{1}, Value: []float32{1}, Grad: []float32{1}, Train: true}}, []Buffer{{Name: "x", Values: []float32{0, 0}}}},
	}
	for _, tc := range tests {
		s, err := NewSGD(tc.params, ReferenceSGD())
		if tc.state == nil {
			if err == nil {
				t.Errorf("%s: NewSGD succeeded, want error", tc.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := s.SetState(tc.state); err == nil {
			t.Errorf("%s: SetState succeeded, want error", tc.name)
		}
	}
}

func TestCosineLR(t *testing.T) {
	c := ReferenceCosine(0.003, 50)
	tests := []struct {
		epoch int
		want  float64
	}{
		{0, 0.003},
		{25, 0.000003 + (0.003-0.000003)/2},
		{50, 0.000003},
		{10, 0.000003 + (0.003-0.000003)*(1+math.Cos(math.Pi/5))/2},
	}
	for _, tc := range tests {
		if got := c.At(tc.epoch); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("At(%d) = %g, want %g", tc.epoch, got, tc.want)
		}
	}
}

func TestTeacherTempReference50(t *testing.T) {
	got := ReferenceTeacherTemp(50).Schedule(50)
	if len(got) != 50 {
		t.Fatalf("len = %d", len(got))
	}
	for e, v := range got {
		want := 0.04
		if e < 40 {
			want = 0.07 - (0.03/9)*float64(e/4)
		}
		if math.Abs(v-want) > 1e-15 {
			t.Errorf("epoch %d: %v, want %v", e, v, want)
		}
	}
	if got[36] != 0.04 || got[0] != 0.07 {
		t.Errorf("endpoints %v %v, want exactly 0.07 and 0.04 at e=36", got[0], got[36])
	}
}

func TestTeacherTempScaling(t *testing.T) {
	tests := []struct {
		epochs int
		want   []float64
	}{
		{1, []float64{0.04}},
		{3, []float64{0.07, 0.07, 0.04}},
		{10, []float64{0.07, 0.07, 0.07, 0.07, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04}},
	}
	for _, tc := range tests {
		got := ReferenceTeacherTemp(tc.epochs).Schedule(tc.epochs)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("epochs %d: %v, want %v", tc.epochs, got, tc.want)
		}
	}
	if v := ReferenceTeacherTemp(50).At(45); v != 0.04 {
		t.Errorf("At(45) = %v", v)
	}
}

func ExampleTeacherTemp_Schedule() {
	fmt.Printf("%.4f\n", ReferenceTeacherTemp(50).Schedule(50)[:9])
	// Output: [0.0700 0.0700 0.0700 0.0700 0.0667 0.0667 0.0667 0.0667 0.0633]
}

// BenchmarkSGDStep13M steps about the reference's trainable size (block 11,
// projector and heads: ~13M values).
func BenchmarkSGDStep13M(b *testing.B) {
	n := 13 << 20
	p := &Param{Name: "x", Shape: []int{n}, Value: make([]float32, n), Grad: make([]float32, n), Train: true, Decay: true}
	s, _ := NewSGD([]*Param{p}, ReferenceSGD())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Step(0.003)
	}
}
