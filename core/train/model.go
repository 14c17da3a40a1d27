package train

import (
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/optim"
)

// StepModel is what the loop needs from a model; *mgvit.Model satisfies it.
// TrainStep fills every trainable Param.Grad; an error wrapping
// mgvit.ErrSkippedBatch means the batch was skipped (no optimiser step).
type StepModel interface {
	Params() []*optim.Param
	TrainStep(b mgvit.Batch, teacherTemp float64) (mgvit.Losses, error)
	Infer(images, masks []float32, n int) (mgvit.Output, error)
}

var _ StepModel = (*mgvit.Model)(nil)
