//go:build !openblas

package mgvit

// sgemmBackend is the float32 gemm: the pure-Go sgemm unless the binary is
// built with -tags openblas (blas_openblas.go).
var sgemmBackend = sgemm

// sgemmBiasBackend is the float32 gemm with a bias row (sgemmBias).
var sgemmBiasBackend = sgemmBias

// BLASBackend names the float32 gemm this binary was built with: "pure-go",
// or "openblas" with -tags openblas.
func BLASBackend() string { return "pure-go" }
