package resample

// Float is the element type of the planes Bilinear resamples.
type Float interface{ ~float32 | ~float64 }

// Tap is where one destination index reads the source: between samples I0
// and I1 (equal at and beyond the borders) with weight F on I1.
type Tap[T Float] struct {
	I0, I1 int
	F      T
}

// TapAt returns the tap of destination index d for a source of n samples
// when one destination step covers scale source samples: source coordinate
// c = (d+0.5)·scale − 0.5, clamped to [0, n−1].
func TapAt[T Float](d int, scale float64, n int) Tap[T] {
	c := (float64(d)+0.5)*scale - 0.5
	if c <= 0 {
		return Tap[T]{}
	}
	i := int(c)
	if i >= n-1 {
		return Tap[T]{I0: n - 1, I1: n - 1}
	}
	return Tap[T]{I0: i, I1: i + 1, F: T(c - float64(i))}
}

// Bilinear fills the dw×dh row-major dst from the sw×sh row-major src,
// destination column x reading the source at TapAt(x, scaleX, sw) and row
// y at TapAt(y, scaleY, sh). dst must hold dw·dh values and src sw·sh.
func Bilinear[T Float](dst []T, dw, dh int, src []T, sw, sh int, scaleX, scaleY float64) {
	xs := make([]Tap[T], dw)
	for x := range xs {
		xs[x] = TapAt[T](x, scaleX, sw)
	}
	for y := range dh {
		ty := TapAt[T](y, scaleY, sh)
		r0 := src[ty.I0*sw : (ty.I0+1)*sw]
		r1 := src[ty.I1*sw : (ty.I1+1)*sw]
		o := dst[y*dw : (y+1)*dw]
		for x, tx := range xs {
			a := r0[tx.I0] + tx.F*(r0[tx.I1]-r0[tx.I0])
			b := r1[tx.I0] + tx.F*(r1[tx.I1]-r1[tx.I0])
			o[x] = a + ty.F*(b-a)
		}
	}
}
