//go:build !amd64

package mgvit

func geluForwardAVX2(x, y *float32, n int) { panic("mgvit: no AVX2 kernels on this architecture") }
func geluBackwardAVX2(x, dy, dx *float32, n int) {
	panic("mgvit: no AVX2 kernels on this architecture")
}
func expAVX2(x *float32, n int) { panic("mgvit: no AVX2 kernels on this architecture") }

// hasFMA3 is false: the portable kernels run.
const hasFMA3 = false
