package tsne

// maxTreeDepth bounds subdivision; points that still share a cell at this
// depth are kept together in one leaf.
const maxTreeDepth = 48

// quadTree is a point-region quad-tree over a 2-D embedding, rebuilt every
// iteration. Nodes live in one slice; children are indices (-1: none).
type quadTree struct {
	nodes []quadNode
	y     []float64 // the embedding, 2 values per point
}

type quadNode struct {
	cx, cy, hw, hh float64 // cell centre and half-sizes
	sumX, sumY     float64 // coordinate sums, then centre of mass
	count          int
	point          int // a point stored in a leaf, -1 for internal/empty
	children       [4]int32
	depth          int
}

func newNode(cx, cy, hw, hh float64, depth int) quadNode {
	return quadNode{cx: cx, cy: cy, hw: hw, hh: hh, point: -1, children: [4]int32{-1, -1, -1, -1}, depth: depth}
}

func (n *quadNode) isLeaf() bool {
	return n.children == [4]int32{-1, -1, -1, -1}
}

// buildQuadTree inserts the points of y (n×2, flat) in index order.
func buildQuadTree(y []float64, nodes []quadNode) *quadTree {
	n := len(y) / 2
	minX, maxX, minY, maxY := y[0], y[0], y[1], y[1]
	for i := 1; i < n; i++ {
		minX, maxX = min(minX, y[2*i]), max(maxX, y[2*i])
		minY, maxY = min(minY, y[2*i+1]), max(maxY, y[2*i+1])
	}
	hw := (maxX-minX)/2 + 1e-5
	hh := (maxY-minY)/2 + 1e-5
	t := &quadTree{nodes: append(nodes[:0], newNode((minX+maxX)/2, (minY+maxY)/2, hw, hh, 0)), y: y}
	for i := 0; i < n; i++ {
		t.insert(i)
	}
	for k := range t.nodes {
		nd := &t.nodes[k]
		if nd.count > 0 {
			nd.sumX /= float64(nd.count)
			nd.sumY /= float64(nd.count)
		}
	}
	return t
}

func (t *quadTree) quadrant(node int, x, y float64) int {
	nd := &t.nodes[node]
	q := 0
	if x >= nd.cx {
		q |= 1
	}
	if y >= nd.cy {
		q |= 2
	}
	return q
}

// child returns the index of child q of node, creating it if needed.
func (t *quadTree) child(node, q int) int {
	if c := t.nodes[node].children[q]; c >= 0 {
		return int(c)
	}
	nd := t.nodes[node]
	hw, hh := nd.hw/2, nd.hh/2
	cx, cy := nd.cx-hw, nd.cy-hh
	if q&1 != 0 {
		cx = nd.cx + hw
	}
	if q&2 != 0 {
		cy = nd.cy + hh
	}
	t.nodes = append(t.nodes, newNode(cx, cy, hw, hh, nd.depth+1))
	c := len(t.nodes) - 1
	t.nodes[node].children[q] = int32(c)
	return c
}

func (t *quadTree) insert(i int) {
	x, y := t.y[2*i], t.y[2*i+1]
	node := 0
	for {
		nd := &t.nodes[node]
		if nd.count == 0 {
			nd.point, nd.count, nd.sumX, nd.sumY = i, 1, x, y
			return
		}
		if nd.isLeaf() {
			px, py := t.y[2*nd.point], t.y[2*nd.point+1]
			if (px == x && py == y) || nd.depth >= maxTreeDepth {
				nd.count++
				nd.sumX += x
				nd.sumY += y
				return
			}
			// Push the stored point(s) down one level.
			count, sx, sy, pt := nd.count, nd.sumX, nd.sumY, nd.point
			c := t.child(node, t.quadrant(node, px, py))
			cn := &t.nodes[c]
			cn.count, cn.sumX, cn.sumY, cn.point = count, sx, sy, pt
			t.nodes[node].point = -1
		}
		nd = &t.nodes[node]
		nd.count++
		nd.sumX += x
		nd.sumY += y
		node = t.child(node, t.quadrant(node, x, y))
	}
}

// repulsion returns the Barnes–Hut estimate of Σ_j q_ij² (y_i − y_j) and of
// Σ_j q_ij (the point's share of Z) for point i, q_ij = 1/(1+|y_i−y_j|²).
func (t *quadTree) repulsion(i int, theta2 float64, stack []int32) (fx, fy, z float64, _ []int32) {
	x, y := t.y[2*i], t.y[2*i+1]
	stack = append(stack[:0], 0)
	for len(stack) > 0 {
		nd := &t.nodes[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		if nd.count == 0 {
			continue
		}
		dx, dy := x-nd.sumX, y-nd.sumY
		d2 := dx*dx + dy*dy
		leaf := nd.isLeaf()
		w := 2 * max(nd.hw, nd.hh)
		if leaf || w*w < theta2*d2 {
			cnt := float64(nd.count)
			if leaf && d2 == 0 {
				// The leaf holds i and its exact duplicates: no force.
				z += cnt - 1
				continue
			}
			q := 1 / (1 + d2)
			z += cnt * q
			m := cnt * q * q
			fx += m * dx
			fy += m * dy
			continue
		}
		for _, c := range nd.children {
			if c >= 0 {
				stack = append(stack, c)
			}
		}
	}
	return fx, fy, z, stack
}
