package train

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/checkpoint"
)

// TestEMATeacherUpdate: each teacher value becomes m·teacher + (1−m)·student.
func TestEMATeacherUpdate(t *testing.T) {
	for _, tc := range []struct {
		momentum         float64
		teacher, student float32
		want             float32
	}{
		{0.5, 2, 4, 3},
		{0.9, 1, 0, 0.9},
		{0.75, -4, 4, -2},
		{0, 1, 5, 5},
	} {
		st := tinyMGViT(t, 2, 2, 16)
		te, err := newEMATeacher(st, tc.momentum)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range st.Params() {
			for j := range p.Value {
				p.Value[j] = tc.student
				te.params[i].Value[j] = tc.teacher
			}
		}
		te.update(st.Params())
		for _, p := range te.params {
			for j, v := range p.Value {
				if v != tc.want {
					t.Fatalf("momentum %g: %s[%d] = %g, want %g", tc.momentum, p.Name, j, v, tc.want)
				}
			}
		}
	}
}

// TestRunWithEMATeacher trains the real model with an EMA teacher for 3
// epochs straight and with a stop after epoch 1: weights, checkpoint
// (which holds the teacher) and outputs are identical; the teacher lags the
// student; and the result differs from training without a teacher.
func TestRunWithEMATeacher(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 8, 3)
	cfg := testConfig()
	cfg.Epochs, cfg.LR, cfg.EMATeacher = 3, 0.05, 0.5
	mFull, _, full := trainStraightAndResumed(t, items, cfg)
	st, err := checkpoint.Load(filepath.Join(full, CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	teacher := map[string][]float32{}
	for _, tn := range st.Params {
		if name, ok := strings.CutPrefix(tn.Name, teacherPrefix); ok {
			teacher[name] = tn.Data
		}
	}
	if len(teacher) != len(mFull.Params()) {
		t.Fatalf("checkpoint holds %d teacher tensors, the model has %d parameters", len(teacher), len(mFull.Params()))
	}
	lags := false
	for _, p := range mFull.Params() {
		if p.Train && !slices.Equal(teacher[p.Name], p.Value) {
			lags = true
		}
		if !p.Train && !slices.Equal(teacher[p.Name], p.Value) {
			t.Errorf("frozen %s differs in the teacher", p.Name)
		}
	}
	if !lags {
		t.Error("the teacher equals the student after training")
	}

	cfg.EMATeacher = 0
	mNone := tinyMGViT(t, 2, 2, cfg.ImageSize)
	if _, err := Run(context.Background(), mNone, items, cfg, Options{OutDir: t.TempDir(), Workers: 2}); err != nil {
		t.Fatal(err)
	}
	same := true
	for i, p := range mNone.Params() {
		if p.Train && !slices.Equal(p.Value, mFull.Params()[i].Value) {
			same = false
		}
	}
	if same {
		t.Error("training with an EMA teacher gave the same weights as without")
	}
}

// TestEMATeacherNeedsAClonableModel: a model that cannot be cloned is
// refused with ema_teacher set, and the momentum must be below 1.
func TestEMATeacherNeedsAClonableModel(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 4, 2)
	cfg := testConfig()
	cfg.EMATeacher = 0.9
	_, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "cloned") {
		t.Errorf("fake model with ema_teacher: err = %v", err)
	}
	cfg.EMATeacher = 1
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "ema_teacher") {
		t.Errorf("ema_teacher 1: err = %v", err)
	}
}
