// Package mgvit owns the mask-guided Vision Transformer (MGViT) of AnomalyNCD
// and its mask-guided contrastive representation learning (MGCRL) losses:
// the model (patch embedding, pre-LayerNorm blocks, mask-guided attention in
// the last blocks, projector and cosine heads), the custom gorgonia ops it is
// built from, the losses, one training step (forward + backward) and inference.
// Its float32 matrix products use the package's own packed sgemm (an
// AVX2/FMA micro-kernel on amd64, a pure-Go one elsewhere) whose results do
// not depend on the number of goroutines.
//
// The epoch loop, optimiser, augmentation and checkpoints live elsewhere
// (core/train, core/optim, core/augment, core/checkpoint); they talk to this
// package through Batch, Losses, Output and the Model methods Params,
// TrainStep and Infer.
package mgvit
