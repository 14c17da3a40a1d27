package synth

import "math"

// mix64 is a 64-bit finaliser (splitmix64) used to hash lattice points.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// lattice returns a value in [0,1) for an integer lattice point.
func lattice(ix, iy int64, seed uint64) float64 {
	h := mix64(seed ^ mix64(uint64(ix)*0x632be59bd9b4e019^uint64(iy)*0x85157af5))
	return float64(h>>11) / (1 << 53)
}

// valueNoise is smooth value noise in [0,1] with unit lattice spacing.
func valueNoise(x, y float64, seed uint64) float64 {
	fx, fy := math.Floor(x), math.Floor(y)
	ix, iy := int64(fx), int64(fy)
	tx, ty := x-fx, y-fy
	tx = tx * tx * (3 - 2*tx)
	ty = ty * ty * (3 - 2*ty)
	a := lattice(ix, iy, seed)
	b := lattice(ix+1, iy, seed)
	c := lattice(ix, iy+1, seed)
	d := lattice(ix+1, iy+1, seed)
	top := a + (b-a)*tx
	bot := c + (d-c)*tx
	return top + (bot-top)*ty
}

// fbm sums octaves of value noise (each twice the frequency, half the
// amplitude) and returns a value in [0,1] with mean about 0.5.
func fbm(x, y float64, octaves int, seed uint64) float64 {
	sum, amp, norm := 0.0, 1.0, 0.0
	for o := 0; o < octaves; o++ {
		sum += amp * valueNoise(x, y, seed+uint64(o)*0x9e37)
		norm += amp
		amp *= 0.5
		x, y = x*2.03+17.1, y*2.03-9.7
	}
	return sum / norm
}
