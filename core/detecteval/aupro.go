package detecteval

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/anomalyncd/ancd/core/components"
)

// DefaultMaxFPR is the FPR integration limit of the MVTec AUPRO (30%).
const DefaultMaxFPR = 0.3

// CurvePoint is one (FPR, PRO) point of the PRO curve.
type CurvePoint struct{ FPR, PRO float64 }

// proPixel is one pixel for the PRO sweep: region is -1 for normal pixels,
// otherwise the global index of its GT region.
type proPixel struct {
	score  float32
	region int32
}

// PROCurve returns the exact PRO curve (see the package doc): it starts at
// (0, 0), has one point per distinct score (high to low) and ends at (1, 1).
func PROCurve(items []Item) ([]CurvePoint, error) {
	if err := checkAll(items); err != nil {
		return nil, err
	}
	var pix []proPixel
	var regionSizes []int
	normal := 0
	for _, it := range items {
		var labels []int32
		n := 0
		if it.Mask != nil {
			labels, n = components.Label(it.Mask, it.W, it.H)
		}
		base := int32(len(regionSizes))
		regionSizes = append(regionSizes, make([]int, n)...)
		for j, v := range it.Score {
			r := int32(-1)
			if labels != nil && labels[j] != 0 {
				r = base + labels[j] - 1
				regionSizes[r]++
			} else {
				normal++
			}
			pix = append(pix, proPixel{v, r})
		}
	}
	if normal == 0 || len(regionSizes) == 0 {
		return nil, fmt.Errorf("detecteval: PRO curve needs normal pixels and GT regions (have %d and %d): %w", normal, len(regionSizes), ErrUndefined)
	}
	slices.SortStableFunc(pix, func(a, b proPixel) int { return cmp.Compare(b.score, a.score) })
	fpStep := 1 / float64(normal)
	proStep := make([]float64, len(regionSizes))
	for r, n := range regionSizes {
		proStep[r] = 1 / (float64(n) * float64(len(regionSizes)))
	}
	curve := []CurvePoint{{0, 0}}
	var fp, pro float64
	for i := 0; i < len(pix); {
		j := i
		for j < len(pix) && pix[j].score == pix[i].score {
			if r := pix[j].region; r < 0 {
				fp += fpStep
			} else {
				pro += proStep[r]
			}
			j++
		}
		curve = append(curve, CurvePoint{min(fp, 1), min(pro, 1)})
		i = j
	}
	return append(curve, CurvePoint{1, 1}), nil
}

// AUPRO is the area under the PRO curve for FPR in [0, maxFPR], divided by
// maxFPR (so a perfect detector scores 1).
func AUPRO(items []Item, maxFPR float64) (float64, error) {
	if !(maxFPR > 0 && maxFPR <= 1) {
		return math.NaN(), fmt.Errorf("detecteval: max FPR %v not in (0, 1]", maxFPR)
	}
	curve, err := PROCurve(items)
	if err != nil {
		return math.NaN(), err
	}
	return TrapezoidArea(curve, maxFPR) / maxFPR, nil
}

// TrapezoidArea integrates a curve of non-decreasing FPR from its first
// point up to xMax with the trapezoid rule; the segment crossing xMax is cut
// there with its PRO linearly interpolated.
func TrapezoidArea(curve []CurvePoint, xMax float64) float64 {
	var area float64
	for k := 1; k < len(curve); k++ {
		a, b := curve[k-1], curve[k]
		if a.FPR >= xMax {
			break
		}
		if b.FPR <= xMax {
			area += (b.FPR - a.FPR) * (a.PRO + b.PRO) / 2
			continue
		}
		y := a.PRO + (b.PRO-a.PRO)*(xMax-a.FPR)/(b.FPR-a.FPR)
		area += (xMax - a.FPR) * (a.PRO + y) / 2
		break
	}
	return area
}
