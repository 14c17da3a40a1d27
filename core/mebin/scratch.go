package mebin

// scratch holds the working buffers of one worker, reused from map to map
// so that a set of maps allocates little besides its results. The zero
// value is ready to use.
type scratch struct {
	pairs, quads  []uint8 // window minima of pairs and quadruples (one axis)
	horiz, eroded []uint8 // horizontal window minimum; full window minimum
	levels        []uint8 // activation levels of one row, padded to words
	spans         spanTable
	order, parent []int32 // active spans by level; union-find forest
	cand          []int32 // neighbours of one span to join
}
