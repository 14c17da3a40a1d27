//go:build openblas && !cgo

package mgvit

// The openblas build calls OpenBLAS through cgo: build it with
// CGO_ENABLED=1 (and a C compiler and libopenblas installed). This
// identifier is undefined on purpose, so the build stops here.
var _ = openblasBuildNeedsCgoEnabled1
