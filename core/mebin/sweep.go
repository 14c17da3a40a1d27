package mebin

// sweepCounts returns the number of 8-connected components of the eroded
// mask at every sweep threshold, in one union-find pass.
//
// level[a] is the first sweep index j at which a raw value a is foreground
// (norm(a) > t_j), or len(ts) when never. Because the level is non-increasing
// in a, the first index at which a pixel survives erosion is the level of the
// window minimum. Pixels are activated in increasing order of that index and
// the component count is read after each index.
func sweepCounts(pix []uint8, w, h int, level *[256]int, n int, s *scratch) []int {
	// Counting sort of the pixels by activation index, storing their index
	// in the padded grid of the union-find below. The histogram of raw
	// values uses 4 interleaved tables so that runs of equal values do not
	// serialise on one counter.
	pw := w + 2
	var hist [4][256]int32
	i := 0
	for ; i+4 <= len(pix); i += 4 {
		hist[0][pix[i]]++
		hist[1][pix[i+1]]++
		hist[2][pix[i+2]]++
		hist[3][pix[i+3]]++
	}
	for ; i < len(pix); i++ {
		hist[0][pix[i]]++
	}
	s.start = grow(s.start, n+2)
	start := s.start
	clear(start)
	for v := range 256 {
		start[level[v]+1] += hist[0][v] + hist[1][v] + hist[2][v] + hist[3][v]
	}
	for j := 1; j <= n+1; j++ {
		start[j] += start[j-1]
	}
	s.order = grow(s.order, int(start[n]))
	s.fill = grow(s.fill, n)
	order, fill := s.order, s.fill
	copy(fill, start[:n])
	for y := 0; y < h; y++ {
		base := int32((y+1)*pw + 1)
		for x, v := range pix[y*w : (y+1)*w] {
			if l := level[v]; l < n {
				order[fill[l]] = base + int32(x)
				fill[l]++
			}
		}
	}

	// Union-find on a grid padded by one inactive pixel on every side, so
	// that the 8 neighbours need no bounds checks. -1 marks inactive pixels.
	s.parent = grow(s.parent, pw*(h+2))
	parent := s.parent
	for i := range parent {
		parent[i] = -1
	}
	counts := make([]int, n)
	comps := 0
	var cand [8]int32
	for j := 0; j < n; j++ {
		for _, p := range order[start[j]:start[j+1]] {
			// Active neighbours that are adjacent to each other are already
			// in one component: N, E, S, W form a cycle of adjacent pixels
			// and each corner touches its two edge neighbours. Union p only
			// with one pixel per group of mutually adjacent active
			// neighbours.
			north, east, south, west := p-int32(pw), p+1, p+int32(pw), p-1
			aN, aE, aS, aW := parent[north] >= 0, parent[east] >= 0, parent[south] >= 0, parent[west] >= 0
			k := 0
			if aN && aE && aS && aW {
				cand[0], k = north, 1
			} else {
				if aN && !aW {
					cand[k], k = north, k+1
				}
				if aE && !aN {
					cand[k], k = east, k+1
				}
				if aS && !aE {
					cand[k], k = south, k+1
				}
				if aW && !aS {
					cand[k], k = west, k+1
				}
			}
			if !aN && !aW && parent[north-1] >= 0 {
				cand[k], k = north-1, k+1
			}
			if !aN && !aE && parent[north+1] >= 0 {
				cand[k], k = north+1, k+1
			}
			if !aS && !aE && parent[south+1] >= 0 {
				cand[k], k = south+1, k+1
			}
			if !aS && !aW && parent[south-1] >= 0 {
				cand[k], k = south-1, k+1
			}
			root := int32(-1)
			for _, q := range cand[:k] {
				for parent[q] != q { // find with path halving
					parent[q] = parent[parent[q]]
					q = parent[q]
				}
				switch {
				case root < 0:
					root = q
				case q < root:
					parent[root] = q
					root = q
					comps--
				case q > root:
					parent[q] = root
					comps--
				}
			}
			if root < 0 {
				parent[p] = p
				comps++
			} else {
				parent[p] = root
			}
		}
		counts[j] = comps
	}
	return counts
}

// countComponents returns the number of 8-connected components of the
// non-zero pixels of a mask.
func countComponents(pix []uint8, w, h int, s *scratch) int {
	var level [256]int
	level[0] = 1 // zero pixels are never active
	return sweepCounts(pix, w, h, &level, 1, s)[0]
}
