package mebin

import "github.com/anomalyncd/ancd/internal/buf"

// sweepCounts returns the number of 8-connected components of the eroded
// mask at every sweep threshold, in one union-find pass.
//
// level[a] is the first sweep index j at which a raw value a is foreground
// (norm(a) > t_j), or n when never (n <= 255). Because the level is
// non-increasing in a, the first index at which a pixel survives erosion is
// the level of the window minimum. The map is cut into spans (horizontal runs
// of one level, each connected by itself), the spans are activated in
// increasing order of level, each joining the active spans it touches in its
// own row and the rows above and below, and the component count is read
// after each level.
func sweepCounts(pix []uint8, w, h int, level *[256]uint8, n int, s *scratch) []int {
	t := &s.spans
	hist := t.build(pix, w, h, level, s)

	// Counting sort of the active spans by level.
	var start [257]int32
	for l := 0; l < n; l++ {
		start[l+1] = start[l] + hist[l]
	}
	s.order = buf.Resize(s.order, int(start[n]))
	order := s.order
	fill := start
	for id, l := range t.level {
		if int(l) < n {
			order[fill[l]] = int32(id)
			fill[l]++
		}
	}

	s.parent = buf.Resize(s.parent, len(t.spans))
	parent := s.parent
	for i := range parent {
		parent[i] = -1 // inactive
	}
	counts := make([]int, n)
	comps := 0
	spans := t.spans
	// Neighbours to join are gathered without branches (a slot is always
	// written, the count advances only for a real neighbour), which keeps
	// mispredictions off the noisy maps.
	s.cand = buf.Resize(s.cand, 2*(w+2)+2)
	cand := s.cand
	for j := 0; j < n; j++ {
		for _, id := range order[start[j]:start[j+1]] {
			sp := spans[id]
			k := 0
			cand[k] = id - 1
			k += b2i(sp.x0 > 0 && parent[max(id-1, 0)] >= 0)
			cand[k] = id + 1
			k += b2i(int(sp.x1) < w-1 && parent[min(int(id)+1, len(parent)-1)] >= 0)
			lo, hi := max(int(sp.x0)-1, 0), min(int(sp.x1)+1, w-1)
			for _, y := range [2]int{int(sp.y) - 1, int(sp.y) + 1} {
				if y < 0 || y >= h {
					continue
				}
				// Consecutive active spans of a row touch each other, so
				// only the first of each stretch needs joining.
				end := t.rowStart[y+1]
				wasActive := false
				for q := t.at(lo, y); q < end && int(spans[q].x0) <= hi; q++ {
					active := parent[q] >= 0
					cand[k] = q
					k += b2i(active && !wasActive)
					wasActive = active
				}
			}
			root := int32(-1)
			for _, q := range cand[:k] {
				root = join(parent, root, q, &comps)
			}
			if root < 0 {
				parent[id] = id
				comps++
			} else {
				parent[id] = root
			}
		}
		counts[j] = comps
	}
	return counts
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// find returns the root of q's tree, halving the path on the way.
func find(parent []int32, q int32) int32 {
	for parent[q] != q {
		parent[q] = parent[parent[q]]
		q = parent[q]
	}
	return q
}

// join merges the tree of q into the tree rooted at root (none when
// root < 0), decrementing *comps when two components merge, and returns the
// root of the merged tree.
func join(parent []int32, root, q int32, comps *int) int32 {
	q = find(parent, q)
	switch {
	case root < 0:
		return q
	case q != root:
		parent[q] = root
		*comps--
	}
	return root
}

// countComponents returns the number of 8-connected components of the
// non-zero pixels of a mask.
func countComponents(pix []uint8, w, h int, s *scratch) int {
	var level [256]uint8
	level[0] = 1 // zero pixels are never active
	return sweepCounts(pix, w, h, &level, 1, s)[0]
}
