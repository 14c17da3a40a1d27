// Package openblas is mgvit's cgo binding to OpenBLAS's single-threaded
// float32 gemm, built only with -tags openblas (and cgo). It is a package of
// its own because a package using cgo cannot hold Go assembly, and mgvit
// holds the pure-Go sgemm's AVX2 kernel. Without the tag it is empty.
package openblas
