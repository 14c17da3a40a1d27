// Package mgvit owns the mask-guided Vision Transformer (MGViT) of AnomalyNCD
// and its mask-guided contrastive representation learning (MGCRL) losses:
// the model (patch embedding, pre-LayerNorm blocks, mask-guided attention in
// the last blocks, projector and cosine heads), the custom gorgonia ops it is
// built from, the losses, one training step (forward + backward) and inference.
// Its float32 matrix products use the package's own packed sgemm (an
// AVX2/FMA micro-kernel on amd64, a pure-Go one elsewhere; OpenBLAS with
// -tags openblas) whose results do not depend on the number of goroutines.
// The float32 GELU and the attention softmax run 8 lanes at a time in assembly
// (vecmath.go), with portable Go versions of the same formulas; the float64
// kernels, the finite-difference reference, stay exact. A graph's ops keep
// their output buffers from one step to the next, so a training step
// allocates almost nothing.
//
// Two opt-in departures from the reference make training from scratch with
// a narrow model work (both off in DefaultConfig, both used by the study's
// stages):
//
//   - Config.WidthScaledProjInit. The projector output z is L2-normalised
//     before InfoNCE/SupCon, so dLoss/dz scales with 1/|z|. With the
//     reference's std 0.02 and narrow widths (quick profile: 48→128→128→64)
//     each layer shrinks its input (std 0.02·sqrt(fan-in) ≪ 1), so |z| is
//     tiny at initialisation, unlike with the reference's 768→2048→2048→256
//     on ViT-B features: the first SGD step moves projector.2.bias
//     far beyond the input-dependent part of z, every projection becomes the
//     bias direction, InfoNCE sits at exactly ln(2B−1) (3.4340 for B=16) and
//     the weight gradients vanish, for any backbone. Scaling the std by
//     sqrt(reference fan-in / fan-in) keeps |z| at the reference's scale and
//     is exactly std 0.02 at the reference widths.
//   - LossConfig.ContrastiveOnly: InfoNCE alone (SimCLR), the objective of
//     backbone pretraining. With a random backbone, self-distillation plus
//     me-max was seen to settle on one confident prediction for every image
//     (me-max at its maximum) with collapsed features.
//
// The epoch loop, optimiser, augmentation and checkpoints live elsewhere
// (core/train, core/optim, core/augment, core/checkpoint); they talk to this
// package through Batch, Losses, Output and the Model methods Params,
// TrainStep and Infer. Model.Attention reads out, for the figures, every
// block's head-averaged [CLS] attention over the patches with Infer's forward.
package mgvit
