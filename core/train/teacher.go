package train

import (
	"fmt"

	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/optim"
)

// teacherPrefix names the teacher's tensors in the checkpoint.
const teacherPrefix = "teacher/"

// cloner is a StepModel that can make an independent copy of itself (same
// architecture and parameter values, its own storage); *mgvit.Model is
// one. Config.EMATeacher needs it.
type cloner interface {
	Clone() (*mgvit.Model, error)
}

// emaTeacher is the exponential moving average of the student's parameters
// (DINO's teacher). After every optimiser step each teacher value becomes
// m·teacher + (1−m)·student, in float32 with each product rounded before
// the sum, so the result does not depend on FMA fusion. Its logits on a
// batch's two train views are the source of the self-distillation targets
// (mgvit.Batch.TeacherLogits).
type emaTeacher struct {
	model    *mgvit.Model
	params   []*optim.Param // the teacher's, in the student's order
	momentum float32
	images   []float32 // both views, view 1 first (scratch)
	masks    []float32
}

// newEMATeacher clones student as a teacher with the given momentum.
func newEMATeacher(student StepModel, momentum float64) (*emaTeacher, error) {
	c, ok := student.(cloner)
	if !ok {
		return nil, fmt.Errorf("train: ema_teacher needs a model that can be cloned, %T cannot", student)
	}
	tm, err := c.Clone()
	if err != nil {
		return nil, fmt.Errorf("train: ema_teacher: %w", err)
	}
	// A clone has the model's parameters in the same order.
	return &emaTeacher{model: tm, params: tm.Params(), momentum: float32(momentum)}, nil
}

// sync copies the student's values into the teacher (the start of a run,
// after the heads are initialised).
func (t *emaTeacher) sync(student []*optim.Param) {
	for i, p := range student {
		copy(t.params[i].Value, p.Value)
	}
}

// update moves the teacher towards the student after an optimiser step.
func (t *emaTeacher) update(student []*optim.Param) {
	m, om := t.momentum, 1-t.momentum
	for i, p := range student {
		tv := t.params[i].Value
		for j, v := range p.Value {
			tv[j] = float32(m*tv[j]) + float32(om*v)
		}
	}
}

// logits sets b.TeacherLogits to the teacher's logits on b's two views
// (reusing its outer slice from the previous batch).
func (t *emaTeacher) logits(b *mgvit.Batch) error {
	n := len(b.Labels)
	t.images = append(append(t.images[:0], b.Views[0]...), b.Views[1]...)
	t.masks = append(append(t.masks[:0], b.Masks[0]...), b.Masks[1]...)
	out, err := t.model.Infer(t.images, t.masks, 2*n)
	if err != nil {
		return fmt.Errorf("ema teacher: %w", err)
	}
	b.TeacherLogits = b.TeacherLogits[:0]
	for _, rows := range out.Logits {
		var flat []float32
		for _, r := range rows {
			flat = append(flat, r...)
		}
		b.TeacherLogits = append(b.TeacherLogits, flat)
	}
	return nil
}

// checkpointParams are the teacher's tensors under checkpoint names; they
// share the teacher's storage, so restoring them restores the teacher.
func (t *emaTeacher) checkpointParams() []*optim.Param {
	out := make([]*optim.Param, len(t.params))
	for i, p := range t.params {
		out[i] = &optim.Param{Name: teacherPrefix + p.Name, Shape: p.Shape, Value: p.Value}
	}
	return out
}
