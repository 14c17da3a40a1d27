// Package buf holds the one helper the kernels use to reuse scratch
// buffers across calls.
package buf

// Resize returns s with length n, reusing its backing array when its
// capacity suffices (the first n elements keep whatever they held) and
// allocating a zeroed one otherwise.
func Resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
