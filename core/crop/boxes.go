package crop

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// Box is a crop box in PIL convention: [Left, Right) x [Up, Bottom), in
// pixels, possibly fractional (.5 after merging), negative or past the image.
type Box struct{ Left, Up, Right, Bottom float64 }

// Area returns the box area.
func (b Box) Area() float64 { return (b.Right - b.Left) * (b.Bottom - b.Up) }

// Array returns [left, up, right, bottom].
func (b Box) Array() [4]float64 { return [4]float64{b.Left, b.Up, b.Right, b.Bottom} }

func compareBoxes(a, b Box) int {
	return cmp.Or(cmp.Compare(a.Left, b.Left), cmp.Compare(a.Up, b.Up), cmp.Compare(a.Right, b.Right), cmp.Compare(a.Bottom, b.Bottom))
}

// longSide is max(H, W, 3): the reference takes max() of the RGB shape.
func longSide(w, h int) int { return max(w, h, 3) }

// SquareBox returns the crop box of one region rectangle in an image of
// w x h pixels, before merging (reference-behaviour §2.2-§2.3).
func SquareBox(r Rect, w, h int) Box {
	s := float64(longSide(w, h))
	cy := int(float64(2*r.Y+r.H) * 0.5)
	cx := int(float64(2*r.X+r.W) * 0.5)
	radius := max(int(float64(max(r.H, r.W))*1.1*0.5), int(s*0.1))
	radius = min(radius, int(s*0.5))
	left, right, up, bottom := cx-radius, cx+radius, cy-radius, cy+radius
	if left < 0 {
		left, right = 0, 2*radius
	} else if right > w {
		left, right = w-2*radius, w
	}
	if up < 0 {
		up, bottom = 0, 2*radius
	} else if bottom > h {
		up, bottom = h-2*radius, h
	}
	return Box{float64(left), float64(up), float64(right), float64(bottom)}
}

// Distance is the reference's min_distance_of_rectangles: -1 when the boxes
// overlap on both axes, the gap along the other axis when they overlap on
// one, else the Euclidean distance between the nearest corners. Touching
// boxes give 0.
func Distance(a, b Box) float64 {
	dx := math.Abs((a.Left+a.Right)/2-(b.Left+b.Right)/2) - ((a.Right-a.Left)+(b.Right-b.Left))/2
	dy := math.Abs((a.Up+a.Bottom)/2-(b.Up+b.Bottom)/2) - ((a.Bottom-a.Up)+(b.Bottom-b.Up))/2
	switch {
	case dx < 0 && dy < 0:
		return -1
	case dx < 0:
		return dy
	case dy < 0:
		return dx
	}
	return math.Sqrt(dx*dx + dy*dy)
}

// MergeDistance returns the merge threshold int(max(H,W,3)*0.01).
func MergeDistance(w, h int) float64 { return float64(int(float64(longSide(w, h)) * 0.01)) }

// Merge applies the reference's merge rule to boxes in region order (see
// the package doc) and returns them sorted by area, descending.
func Merge(boxes []Box, w, h int) []Box {
	thr := MergeDistance(w, h)
	var groups [][]Box
	for i, bi := range boxes {
		var g []Box
		for j, bj := range boxes {
			if j == i || Distance(bi, bj) < thr {
				g = append(g, bj)
			}
		}
		slices.SortStableFunc(g, compareBoxes)
		if !slices.ContainsFunc(groups, func(o []Box) bool { return slices.Equal(o, g) }) {
			groups = append(groups, g)
		}
	}
	var kept [][]Box
	for i, g := range groups {
		strictSubset := false
		for j, o := range groups {
			if j != i && isStrictSubset(g, o) {
				strictSubset = true
				break
			}
		}
		if !strictSubset {
			kept = append(kept, g)
		}
	}
	remaining := slices.Clone(boxes)
	var merged []Box
	for _, g := range kept {
		for _, b := range g {
			if k := slices.Index(remaining, b); k >= 0 { // list.remove: first occurrence
				remaining = slices.Delete(remaining, k, k+1)
			}
		}
		merged = append(merged, fold(g))
	}
	var out []Box
	for _, b := range append(merged, remaining...) {
		if !slices.Contains(out, b) { // keyed by box: identical boxes collapse
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b Box) int { return cmp.Compare(b.Area(), a.Area()) })
	return out
}

// isStrictSubset reports whether the set of boxes in a is a strict subset of
// the set of boxes in b.
func isStrictSubset(a, b []Box) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return true
		}
	}
	return false
}

// fold unions the boxes of a group in order, squaring after each union.
func fold(g []Box) Box {
	u := g[0]
	for _, b := range g[1:] {
		u = Box{min(u.Left, b.Left), min(u.Up, b.Up), max(u.Right, b.Right), max(u.Bottom, b.Bottom)}
		bw, bh := u.Right-u.Left, u.Bottom-u.Up
		if bw > bh {
			d := bw - bh
			u.Up -= d / 2
			u.Bottom += d / 2
		} else if bh > bw {
			d := bh - bw
			u.Left -= d / 2
			u.Right += d / 2
		}
	}
	return u
}

// Boxes returns the crop boxes of a mask for an image of w x h pixels: outer
// regions, square boxes, merging, the first estAnomalyNum+1 boxes, or the
// full-image box when the mask is empty.
func Boxes(mask *image.Gray, estAnomalyNum, w, h int) []Box {
	rects := OuterRects(mask)
	if len(rects) == 0 {
		return []Box{{0, 0, float64(w), float64(h)}}
	}
	boxes := make([]Box, len(rects))
	for i, r := range rects {
		boxes[i] = SquareBox(r, w, h)
	}
	boxes = Merge(boxes, w, h)
	if len(boxes) > estAnomalyNum {
		boxes = boxes[:max(0, estAnomalyNum)+1]
	}
	return boxes
}

// GTBoxes returns the crop boxes of a ground-truth mask for the labelled base
// set: the reference's AeBAD cropping uses est_anomaly_num = 1, so at most 2
// boxes per image are kept (possibly those of the smallest regions when the
// areas tie).
func GTBoxes(gt *image.Gray, w, h int) []Box { return Boxes(gt, 1, w, h) }
