package mebin

// scratch holds the working buffers of one worker, reused from map to map
// so that a set of maps allocates little besides its results. The zero
// value is ready to use.
type scratch struct {
	hpad, m2, m4  []uint8 // one padded row and its pair/quad minima
	rows, r2      []uint8 // horizontal minima and vertical pair minima
	eroded        []uint8 // window minimum of the map
	start, fill   []int32 // counting-sort bucket bounds
	order, parent []int32 // pixels by activation index; union-find forest
}

// grow returns s resized to n elements, reallocating only when too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
