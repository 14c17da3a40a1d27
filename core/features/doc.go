// Package features owns the project's fixed, training-free patch feature
// extractor: a hand-designed multi-scale filter bank pooled on a regular patch
// grid. It stands in for the pretrained CNN/ViT backbones of the detectors the
// paper uses (PatchCore, PaDiM, MuSc), so that the detectors in core/detect
// run anywhere, deterministically, without weights.
//
// For every scale sigma in Params.Sigmas (default 1, 2, 4 px) the image is
// smoothed with a separable Gaussian (border replicated) and nine responses
// are computed per pixel:
//
//	0-2  smoothed R, G, B                       (values in [0, 1])
//	3    gradient magnitude of smoothed gray     (central differences, x sigma)
//	4-5  magnitude-weighted orientation           (|g| cos 2θ, |g| sin 2θ; sign-free)
//	6    Laplacian of Gaussian                    (5-point Laplacian, x sigma²)
//	7    |Laplacian of Gaussian|                  (texture energy after pooling)
//	8    local standard deviation of gray         (Gaussian window of width sigma)
//
// Gray is 0.299 R + 0.587 G + 0.114 B. Responses are average-pooled on
// non-overlapping Stride x Stride cells (partial cells at the right and bottom
// edges average the pixels they have), giving a Grid of ceil(W/Stride) x
// ceil(H/Stride) vectors of Dim() = 9 * len(Sigmas) float32 values (27 by
// default). Images whose longer side exceeds Params.MaxSide are first resized
// (bilinear) so that it equals MaxSide; Grid records the working size. With
// Params.Cells > 0 the cell size is chosen per image instead, ceil(L/Cells)
// for the longer working side L, so that the grid density relative to the
// image does not depend on its size; Grid records the stride used.
//
// Output depends only on the pixels and Params: no randomness, no
// concurrency inside one extraction. An Extractor reuses its buffers and is
// not safe for concurrent use; use one per goroutine.
package features
