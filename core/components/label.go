package components

// Box is an inclusive pixel bounding box: columns X0..X1, rows Y0..Y1.
type Box struct{ X0, Y0, X1, Y1 int }

// Area is the number of pixels the box covers.
func (b Box) Area() int { return (b.X1 - b.X0 + 1) * (b.Y1 - b.Y0 + 1) }

// IoU is the intersection over union of two inclusive boxes.
func (b Box) IoU(o Box) float64 {
	ix := min(b.X1, o.X1) - max(b.X0, o.X0) + 1
	iy := min(b.Y1, o.Y1) - max(b.Y0, o.Y0) + 1
	if ix <= 0 || iy <= 0 {
		return 0
	}
	inter := ix * iy
	return float64(inter) / float64(b.Area()+o.Area()-inter)
}

// Label returns the 8-connected components of a w x h row-major mask:
// labels[i] is 0 for background and 1..n for the component of pixel i, with
// components numbered in raster order of their first pixel.
func Label(mask []bool, w, h int) (labels []int32, n int) {
	labels = make([]int32, len(mask))
	var stack []int
	for start, fg := range mask {
		if !fg || labels[start] != 0 {
			continue
		}
		n++
		id := int32(n)
		labels[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			px, py := p%w, p/w
			for dy := -1; dy <= 1; dy++ {
				y := py + dy
				if y < 0 || y >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					x := px + dx
					if x < 0 || x >= w {
						continue
					}
					q := y*w + x
					if mask[q] && labels[q] == 0 {
						labels[q] = id
						stack = append(stack, q)
					}
				}
			}
		}
	}
	return labels, n
}

// Boxes returns the bounding box of each of the n components of labels
// (index k holds component k+1).
func Boxes(labels []int32, w, n int) []Box {
	boxes := make([]Box, n)
	for i := range boxes {
		boxes[i] = Box{X0: 1 << 30, Y0: 1 << 30, X1: -1, Y1: -1}
	}
	for i, l := range labels {
		if l == 0 {
			continue
		}
		b := &boxes[l-1]
		x, y := i%w, i/w
		b.X0, b.Y0 = min(b.X0, x), min(b.Y0, y)
		b.X1, b.Y1 = max(b.X1, x), max(b.Y1, y)
	}
	return boxes
}
