// Package mgvit owns the mask-guided Vision Transformer (MGViT) of AnomalyNCD
// and its mask-guided contrastive representation learning (MGCRL) losses:
// the model (patch embedding, pre-LayerNorm blocks, mask-guided attention in
// the last blocks, projector and cosine heads), the custom gorgonia ops it is
// built from, the losses, one training step (forward + backward) and inference.
//
// The epoch loop, optimiser, augmentation and checkpoints live elsewhere
// (core/train, core/optim, core/augment, core/checkpoint); they talk to this
// package through Batch, Losses, Output and the Model methods Params,
// TrainStep and Infer.
package mgvit
