package mgvit

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTeacherLogitsAreTheDistillationTargets: Infer's logits on the two
// views, view 1 rows first, as the teacher give the reference loss (the
// heads' own logits), and the views swapped do not; other teacher logits
// change the cluster loss, and as they are constants of the step the
// analytic gradient then matches finite differences without the frozen-
// targets hook (with the heads' own logits as the teacher it would not:
// the targets would move with the parameters).
func TestTeacherLogitsAreTheDistillationTargets(t *testing.T) {
	c := tinyConfig()
	m32, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	b32 := syntheticBatch(c, 4, 2, 5)
	ref32, err := m32.TrainStep(b32, 0.07)
	if err != nil {
		t.Fatal(err)
	}
	teacher := func(first, second int) [][]float32 {
		out, err := m32.Infer(append(append([]float32(nil), b32.Views[first]...), b32.Views[second]...),
			append(append([]float32(nil), b32.Masks[first]...), b32.Masks[second]...), 8)
		if err != nil {
			t.Fatal(err)
		}
		tl := make([][]float32, len(out.Logits))
		for h, rows := range out.Logits {
			for _, r := range rows {
				tl[h] = append(tl[h], r...)
			}
		}
		return tl
	}
	b32.TeacherLogits = teacher(0, 1)
	own, err := m32.TrainStep(b32, 0.07)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(own.Cluster-ref32.Cluster) > 1e-4*max(1, math.Abs(ref32.Cluster)) {
		t.Errorf("Infer's own logits as teacher: cluster %.9g, reference %.9g", own.Cluster, ref32.Cluster)
	}
	b32.TeacherLogits = teacher(1, 0)
	swapped, err := m32.TrainStep(b32, 0.07)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(swapped.Cluster-ref32.Cluster) < 1e-3 {
		t.Errorf("views swapped in the teacher: cluster %.9g, the same as the reference %.9g", swapped.Cluster, ref32.Cluster)
	}

	gr, m := float64Graph(t, c, true)
	b := syntheticBatch(c, 4, 2, 5)
	gr.setBatch(b, 0.07)
	if err := gr.run(); err != nil {
		t.Fatal(err)
	}
	refCluster := gr.losses().Cluster
	own64 := b32.TeacherLogits
	rng := rand.New(rand.NewPCG(3, 4))
	other := make([][]float32, len(own64))
	for h := range own64 {
		for range own64[h] {
			other[h] = append(other[h], float32(rng.Float64()*2-1))
		}
	}
	b.TeacherLogits = other
	gr.setBatch(b, 0.07)
	if err := gr.run(); err != nil {
		t.Fatal(err)
	}
	if c := gr.losses().Cluster; math.Abs(c-refCluster) < 1e-6 {
		t.Errorf("other teacher logits: cluster loss %.9g, the same as with the heads' own (%.9g)", c, refCluster)
	}
	analytics := gradientCopies(gr)
	fdRng := rand.New(rand.NewPCG(9, 9))
	for i, p := range m.params {
		if p.Name != "heads.0.weight_v" && p.Name != "blocks.1.attn.qkv.weight" {
			continue
		}
		vals := gr.paramValues[i].Data().([]float64)
		for range 4 {
			j := fdRng.IntN(len(vals))
			num := numericDerivative(t, gr, vals, j, 1e-6)
			if math.Abs(num-analytics[i][j]) > 1e-5*max(1, math.Abs(num)) {
				t.Errorf("%s[%d]: analytic %.9g, numeric %.9g", p.Name, j, analytics[i][j], num)
			}
		}
	}
}

// TestTeacherLogitsShapeChecked: a teacher for the wrong number of heads or
// rows is refused before the step.
func TestTeacherLogitsShapeChecked(t *testing.T) {
	c := tinyConfig()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	b := syntheticBatch(c, 4, 2, 5)
	row := make([]float32, 2*4*c.Classes())
	for _, tc := range []struct {
		name    string
		teacher [][]float32
		want    string
	}{
		{"one head short", [][]float32{row}, "teacher logits for 1 heads"},
		{"rows short", [][]float32{row, row[:len(row)-c.Classes()]}, "teacher logits of head 1"},
	} {
		b.TeacherLogits = tc.teacher
		if _, err := m.TrainStep(b, 0.07); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	b.TeacherLogits = [][]float32{row, row}
	if _, err := m.TrainStep(b, 0.07); err != nil {
		t.Errorf("well-shaped teacher: %v", err)
	}
}

// TestCloneIsIndependent: a clone starts with the same values and does not
// share storage.
func TestCloneIsIndependent(t *testing.T) {
	m, err := New(tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	c, err := m.Clone()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range m.Params() {
		q := c.Params()[i]
		if q.Name != p.Name || len(q.Value) != len(p.Value) {
			t.Fatalf("param %d: %s vs %s", i, q.Name, p.Name)
		}
		for j := range p.Value {
			if p.Value[j] != q.Value[j] {
				t.Fatalf("%s[%d] differs", p.Name, j)
			}
		}
		q.Value[0]++
		if p.Value[0] == q.Value[0] {
			t.Fatalf("%s: the clone shares storage", p.Name)
		}
	}
}
