package augment

import (
	"fmt"
	"math"
)

// ReferenceSize is the reference's network input size S.
const ReferenceSize = 224

// ImageNet normalisation statistics (torchvision's).
var (
	imagenetMean = [3]float32{0.485, 0.456, 0.406}
	imagenetStd  = [3]float32{0.229, 0.224, 0.225}
)

// referenceBlurKernels are the reference's GaussianBlur kernel sizes at S=224.
var referenceBlurKernels = [...]int{9, 13, 17, 21, 25, 29, 33}

// ResizeSize is R = int(S/0.875), the shorter side after the resize (256 for 224).
func ResizeSize(s int) int { return int(float64(s) / 0.875) }

// BlurKernelSize scales a reference kernel size k (defined for S=224) to
// input size s: the odd integer nearest to k·s/224 (ties to the larger), at
// least 1. It is k itself at s=224; at s=112 the set {9,…,33} becomes
// {5,7,9,11,13,15,17}.
func BlurKernelSize(k, s int) int {
	v := float64(k) * float64(s) / ReferenceSize
	half := math.Floor((v-1)/2 + 0.5)
	return max(1, 2*int(half)+1)
}

func checkSize(s int) error {
	if s < 8 {
		return fmt.Errorf("augment: input size %d too small (want >= 8)", s)
	}
	return nil
}

// Denormalize maps a value of channel c (0 R, 1 G, 2 B) of a view, which
// is ImageNet-normalised, back to the [0, 1] pixel scale.
func Denormalize(v float32, c int) float32 { return v*imagenetStd[c] + imagenetMean[c] }
