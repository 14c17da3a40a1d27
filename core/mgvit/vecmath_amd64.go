package mgvit

// Assembly kernels of vecmath.go; n must be a multiple of 8.

//go:noescape
func geluForwardAVX2(x, y *float32, n int)

//go:noescape
func geluBackwardAVX2(x, dy, dx *float32, n int)

//go:noescape
func softmaxAVX2(row, bias *float32, n int, scale float32)
