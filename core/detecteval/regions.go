package detecteval

import (
	"fmt"

	"github.com/anomalyncd/ancd/core/components"
)

// DefaultMinBoxIoU is the bounding-box IoU a region must exceed to count as
// detected (Table III of the paper).
const DefaultMinBoxIoU = 0.1

// RegionCounts holds the region matching result of one image.
type RegionCounts struct {
	Pred, GT                   int // number of predicted / GT regions
	UnmatchedPred, UnmatchedGT int // regions with no box IoU > threshold on the other side
}

// FPR is UnmatchedPred / Pred, 0 when there are no predicted regions.
func (c RegionCounts) FPR() float64 {
	if c.Pred == 0 {
		return 0
	}
	return float64(c.UnmatchedPred) / float64(c.Pred)
}

// FNR is UnmatchedGT / GT, 0 when there are no GT regions.
func (c RegionCounts) FNR() float64 {
	if c.GT == 0 {
		return 0
	}
	return float64(c.UnmatchedGT) / float64(c.GT)
}

// MatchRegions compares the 8-connected regions of a predicted and a GT
// mask (w x h, row-major). A region is matched when its bounding box has IoU
// strictly greater than minIoU with the box of at least one region of the
// other mask.
func MatchRegions(pred, gt []bool, w, h int, minIoU float64) (RegionCounts, error) {
	if len(pred) != w*h || len(gt) != w*h {
		return RegionCounts{}, fmt.Errorf("detecteval: masks of %d and %d pixels for %dx%d", len(pred), len(gt), w, h)
	}
	pl, pn := components.Label(pred, w, h)
	gl, gn := components.Label(gt, w, h)
	pb, gb := components.Boxes(pl, w, pn), components.Boxes(gl, w, gn)
	c := RegionCounts{Pred: pn, GT: gn}
	c.UnmatchedPred = unmatched(pb, gb, minIoU)
	c.UnmatchedGT = unmatched(gb, pb, minIoU)
	return c, nil
}

// unmatched counts boxes of a that have no box in b with IoU > minIoU.
func unmatched(a, b []components.Box, minIoU float64) int {
	n := 0
	for _, x := range a {
		hit := false
		for _, y := range b {
			if x.IoU(y) > minIoU {
				hit = true
				break
			}
		}
		if !hit {
			n++
		}
	}
	return n
}

// MeanRegionRates averages the per-image FPR and FNR over counts (0, 0 for
// no images).
func MeanRegionRates(counts []RegionCounts) (fpr, fnr float64) {
	if len(counts) == 0 {
		return 0, 0
	}
	for _, c := range counts {
		fpr += c.FPR()
		fnr += c.FNR()
	}
	n := float64(len(counts))
	return fpr / n, fnr / n
}
