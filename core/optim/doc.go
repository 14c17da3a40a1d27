// Package optim owns the training-time numerics that do not belong to the
// model: the shared [Param] type (one learnable tensor as optimisers and
// checkpoints see it), SGD with momentum and decoupled-by-flag weight decay
// in PyTorch semantics, the per-epoch cosine learning-rate schedule and the
// reference's staircase teacher-temperature schedule.
//
// Nothing here knows about images, files or the model's architecture.
package optim
