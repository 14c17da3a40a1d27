package augment

import (
	"math"

	"github.com/anomalyncd/ancd/internal/buf"
)

// blend8 is PIL's Image.blend for 8-bit data: deg + f·(v − deg), clipped to
// [0,255] and truncated.
func blend8(deg, v uint8, f float32) uint8 {
	t := float32(deg) + f*(float32(v)-float32(deg))
	if t <= 0 {
		return 0
	}
	if t >= 255 {
		return 255
	}
	return uint8(t)
}

// luma is PIL's RGB→L conversion (ITU-R 601-2, fixed point, rounded).
func luma(r, g, b uint8) uint8 {
	return uint8((uint32(r)*19595 + uint32(g)*38470 + uint32(b)*7471 + 0x8000) >> 16)
}

// brightness blends with black.
func brightness(rgb *[3][]uint8, f float32) {
	for c := range 3 {
		for i, v := range rgb[c] {
			rgb[c][i] = blend8(0, v, f)
		}
	}
}

// contrast blends with the constant int(mean(L)+0.5).
func contrast(rgb *[3][]uint8, f float32) {
	var sum uint64
	n := len(rgb[0])
	for i := 0; i < n; i++ {
		sum += uint64(luma(rgb[0][i], rgb[1][i], rgb[2][i]))
	}
	mean := uint8(int(float64(sum)/float64(n) + 0.5))
	for c := range 3 {
		for i, v := range rgb[c] {
			rgb[c][i] = blend8(mean, v, f)
		}
	}
}

// saturation blends every pixel with its own grey value.
func saturation(rgb *[3][]uint8, f float32) {
	for i := range rgb[0] {
		l := luma(rgb[0][i], rgb[1][i], rgb[2][i])
		rgb[0][i] = blend8(l, rgb[0][i], f)
		rgb[1][i] = blend8(l, rgb[1][i], f)
		rgb[2][i] = blend8(l, rgb[2][i], f)
	}
}

// sharpness blends one s×s channel with its SMOOTH-filtered copy
// ([1 1 1; 1 5 1; 1 1 1]/13, rounded); border pixels keep their value.
func sharpness(ch []uint8, s int, f float32, aux []uint8) {
	copy(aux, ch)
	for y := 1; y < s-1; y++ {
		for x := 1; x < s-1; x++ {
			i := y*s + x
			sum := 4*uint32(aux[i]) +
				uint32(aux[i-s-1]) + uint32(aux[i-s]) + uint32(aux[i-s+1]) +
				uint32(aux[i-1]) + uint32(aux[i]) + uint32(aux[i+1]) +
				uint32(aux[i+s-1]) + uint32(aux[i+s]) + uint32(aux[i+s+1])
			deg := uint8((sum*2 + 13) / 26) // round(sum/13)
			ch[i] = blend8(deg, aux[i], f)
		}
	}
}

// gaussKernel is torchvision's 1-D Gaussian: x = linspace(−(k−1)/2, (k−1)/2, k),
// exp(−x²/(2σ²)) normalised to sum 1, in float32.
func gaussKernel(dst []float32, k int, sigma float32) []float32 {
	dst = buf.Resize(dst, k)
	half := float32(k-1) * 0.5
	var sum float32
	for i := range k {
		x := -half + float32(i)
		if k > 1 {
			x = -half + float32(i)*(2*half/float32(k-1))
		}
		v := float32(math.Exp(float64(-0.5 * (x / sigma) * (x / sigma))))
		dst[i] = v
		sum += v
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}

// reflect maps an index outside [0,n) by reflection without repeating the
// edge (torch's "reflect" padding).
func reflect(i, n int) int {
	if i < 0 {
		return -i
	}
	if i >= n {
		return 2*n - 2 - i
	}
	return i
}

// gaussBlur convolves one s×s channel with kern horizontally then
// vertically (float32, taps summed in kernel order, reflect padding) and
// rounds back to uint8. tmp holds s·s values and pad s+len(kern)−1.
func gaussBlur(ch []uint8, s int, kern []float32, tmp, pad []float32) {
	r := len(kern) / 2
	for y := 0; y < s; y++ {
		for i := range pad {
			pad[i] = float32(ch[y*s+reflect(i-r, s)])
		}
		out := tmp[y*s : (y+1)*s]
		for x := range out {
			win := pad[x : x+len(kern)]
			var v float32
			for k, w := range kern {
				v += w * win[k]
			}
			out[x] = v
		}
	}
	acc := pad[:s]
	for y := 0; y < s; y++ {
		clear(acc)
		for k, w := range kern {
			row := tmp[reflect(y+k-r, s)*s:]
			row = row[:s]
			for x, v := range row {
				acc[x] += w * v
			}
		}
		for x, v := range acc {
			ch[y*s+x] = clampRound(float32(math.RoundToEven(float64(v))))
		}
	}
}

// posterize keeps the top bits of every value.
func posterize(rgb *[3][]uint8, bits int) {
	m := uint8(0xff << (8 - bits))
	for c := range 3 {
		for i := range rgb[c] {
			rgb[c][i] &= m
		}
	}
}
