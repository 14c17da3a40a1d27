//go:build !amd64

package mgvit

// hasFMA3 is false: the portable kernels run, and these are never called.
const hasFMA3 = false

func geluForwardAVX2(x, y *float32, n int)                 { panic(noAVX2) }
func geluBackwardAVX2(x, dy, dx *float32, n int)           { panic(noAVX2) }
func softmaxAVX2(row, bias *float32, n int, scale float32) { panic(noAVX2) }

const noAVX2 = "mgvit: no AVX2 kernels on this architecture"
