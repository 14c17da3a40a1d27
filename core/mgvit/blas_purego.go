//go:build !openblas

package mgvit

// sgemmBackend is the float32 gemm: the pure-Go sgemm unless the binary is
// built with -tags openblas (blas_openblas.go).
var sgemmBackend = sgemm

// BLASBackend names the float32 gemm this binary was built with: "pure-go",
// or "openblas" with -tags openblas.
func BLASBackend() string { return "pure-go" }
