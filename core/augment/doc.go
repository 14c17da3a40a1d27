// Package augment owns the image and mask transforms of training and
// inference (reference §8), generalised to any input size S (reference 224):
//
//   - Prepare (deterministic, once per sample): resize the shorter side to
//     R = int(S/0.875) (256 for S=224) with a PIL-style antialiased bilinear
//     (triangle) filter; the mask (0..255 → [0,1]) gets the same filter
//     without rounding, so it becomes soft.
//   - Train view, in this order of random draws: crop offsets int(U·(R_h−S)),
//     int(U·(R_w−S)); hflip p=.5; vflip p=.5; ColorJitter order (random
//     permutation of brightness, contrast, saturation) and factors
//     U(.6,1.4), U(.6,1.4), U(.6,1.8); rotation by k·90° counter-clockwise,
//     k uniform in {0,1,2,3}; sharpness factor 0.2+1.8·U; blur kernel
//     uniform in {9,13,…,33} scaled to S (see [BlurKernelSize]) and
//     σ ~ U(0.1, 2); posterize bits uniform in {5,6,7,8}; then ImageNet
//     normalisation. The mask follows only the geometric operations (crop,
//     flips, rotation). Because the colour operations are pointwise or depend
//     only on the whole image's mean, doing the rotation together with the
//     crop gives exactly the reference's order of crop, flips, jitter, rotation.
//   - Test view: the same resize and a centre crop at round((R−S)/2) (16 for
//     S=224, Python round-half-even).
//
// Pixel semantics are PIL's (the reference transforms PIL images): blends
// truncate to uint8 after clipping, the grey image is PIL's "L" conversion,
// contrast blends with int(mean(L)+0.5), sharpness blends with PIL's SMOOTH
// 3x3 kernel [1 1 1; 1 5 1; 1 1 1]/13 leaving the one-pixel border untouched,
// the Gaussian blur is torchvision's (float32 kernel, reflect padding, rounded
// back to uint8). The resize is not bit-exact with PIL's fixed-point code
// (one rounding after both passes instead of one per pass).
//
// Each view's randomness comes from a PCG source seeded by
// (seed, epoch, sample index, view) (see [Key]), so output does not depend on
// the number of workers. Outputs are float32 CHW in the layout of
// mgvit.Batch (Views: per sample 3·S·S, Masks: per sample S·S).
package augment
