package mgvit

import "math"

// Vectorisable float32 kernels: the GELU forward and gradient (with Φ from
// Abramowitz & Stegun 7.1.26, the formula of PyTorch's vectorised CPU erf)
// and the attention softmax, both on the e^x of expPoly32. On amd64 with
// AVX2 and FMA they run 8 lanes at a time in assembly (vecmath_amd64.s);
// elsewhere the portable versions below compute the same formulas one value
// at a time. Every GELU value is computed independently, so results never
// depend on how a slice is split.

// Constants shared with vecmath_amd64.s.
const (
	vmExpLo = -87 // e^x is flushed to 0 below this
	vmLn2Hi = 0.693359375
	vmLn2Lo = -2.12194440054690582767e-4
)

// expPoly32 returns e^x for x ≥ vmExpLo: x = n·ln2 + r, |r| ≤ ln2/2, and the
// degree-7 Taylor polynomial of e^r (remainder below 5e-9).
func expPoly32(x float32) float32 {
	n := float32(math.RoundToEven(float64(x * log2e)))
	r := x - n*vmLn2Hi
	r -= n * vmLn2Lo
	p := float32(1.0 / 5040)
	p = p*r + 1.0/720
	p = p*r + 1.0/120
	p = p*r + 1.0/24
	p = p*r + 1.0/6
	p = p*r + 0.5
	p = p*r + 1
	p = p*r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// exp32 is e^x in float32, 0 below vmExpLo.
func exp32(x float32) float32 {
	if !(x >= vmExpLo) {
		return 0
	}
	return expPoly32(x)
}

// geluCDF32 returns Φ(x) and e^{-x²/2}.
func geluCDF32(x float32) (cdf, e float32) {
	z := float32(math.Abs(float64(x))) * 0.7071067811865476
	d := 1 + asP*z
	t := 1 / d
	poly := float32(asA5)
	poly = poly*t + asA4
	poly = poly*t + asA3
	poly = poly*t + asA2
	poly = poly*t + asA1
	poly *= t
	e = exp32(-(z * z))
	tail := poly * e * 0.5
	if x >= 0 {
		return 1 - tail, e
	}
	return tail, e
}

func geluForwardGo32(x, y []float32) {
	for i, v := range x {
		cdf, _ := geluCDF32(v)
		y[i] = v * cdf
	}
}

func geluBackwardGo32(x, dy, dx []float32) {
	for i, v := range x {
		cdf, e := geluCDF32(v)
		dx[i] = dy[i] * (cdf + v*(e*0.3989422804014327))
	}
}

// geluForward32 writes y = x·Φ(x).
func geluForward32(x, y []float32) {
	y = y[:len(x)]
	if !hasFMA3 {
		geluForwardGo32(x, y)
		return
	}
	n := len(x) &^ 7
	if n > 0 {
		geluForwardAVX2(&x[0], &y[0], n)
	}
	if n < len(x) {
		var bx, by [8]float32
		copy(bx[:], x[n:])
		geluForwardAVX2(&bx[0], &by[0], 8)
		copy(y[n:], by[:])
	}
}

// geluBackward32 writes dx = dy·(Φ(x) + x·φ(x)).
func geluBackward32(x, dy, dx []float32) {
	dy, dx = dy[:len(x)], dx[:len(x)]
	if !hasFMA3 {
		geluBackwardGo32(x, dy, dx)
		return
	}
	n := len(x) &^ 7
	if n > 0 {
		geluBackwardAVX2(&x[0], &dy[0], &dx[0], n)
	}
	if n < len(x) {
		var bx, bdy, bdx [8]float32
		copy(bx[:], x[n:])
		copy(bdy[:], dy[n:])
		geluBackwardAVX2(&bx[0], &bdy[0], &bdx[0], 8)
		copy(dx[n:], bdx[:])
	}
}

// Constants of Abramowitz & Stegun 7.1.26: erf(z) ≈ 1 - t·P(t)·e^{-z²},
// t = 1/(1+p·z), z ≥ 0, absolute error below 1.5e-7.
const (
	asP  = 0.3275911
	asA1 = 0.254829592
	asA2 = -0.284496736
	asA3 = 1.421413741
	asA4 = -1.453152027
	asA5 = 1.061405429
)

const log2e = 1.4426950408889634

// softmax32 replaces row by softmax(row·scale + bias); len(row) must be a
// positive multiple of 8 (pad with a bias of maskedScore, which gives the
// padding a probability of exactly 0).
func softmax32(row, bias []float32, scale float32) {
	if len(row) == 0 || len(row)%8 != 0 || len(bias) != len(row) {
		panic("mgvit: softmax32 needs a positive multiple of 8 values and a bias for each")
	}
	if hasFMA3 {
		softmaxAVX2(&row[0], &bias[0], len(row), scale)
		return
	}
	softmaxGo32(row, bias, scale)
}

func softmaxGo32(row, bias []float32, scale float32) {
	mx := float32(math.Inf(-1))
	for j, v := range row {
		v = v*scale + bias[j]
		row[j] = v
		mx = max(mx, v)
	}
	var sum float32
	for j, v := range row {
		e := exp32(v - mx)
		row[j] = e
		sum += e
	}
	inv := 1 / sum
	for j := range row {
		row[j] *= inv
	}
}
