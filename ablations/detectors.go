package ablations

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/anomalyncd/ancd/core/detect"
	"github.com/anomalyncd/ancd/core/detecteval"
)

func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v)
}

// DetectorTable writes a markdown table of the mean image AUROC, pixel
// AUROC and AUPRO (with the AUPRO range over categories) of detect.json
// files, sorted by dataset then detector.
func DetectorTable(w io.Writer, paths []string) error {
	type read struct {
		detect.Report
		mean detecteval.Summary
	}
	var reps []read
	for _, p := range paths {
		r, mean, err := detect.ReadReport(p)
		if err != nil {
			return err
		}
		if r.Method == "" || r.Format == "" {
			return fmt.Errorf("%s: not a detect.json (no method or format)", p)
		}
		reps = append(reps, read{r, mean})
	}
	sort.SliceStable(reps, func(i, j int) bool {
		if reps[i].Format != reps[j].Format {
			return reps[i].Format > reps[j].Format // mvtec before mtd
		}
		return reps[i].Method < reps[j].Method
	})
	var rows [][]string
	for _, r := range reps {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range r.Categories {
			if v := c.Metrics.AUPRO; !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		rng := "n/a"
		if !math.IsInf(lo, 0) {
			rng = fmt.Sprintf("%.3f–%.3f", lo, hi)
		}
		rows = append(rows, []string{datasetTitle(r.Format, true), r.Method, fmt.Sprint(len(r.Categories)),
			fmtNum(r.mean.ImageAUROC), fmtNum(r.mean.PixelAUROC), fmtNum(r.mean.AUPRO), rng})
	}
	return markdownTable(w, []string{"Dataset", "Detector", "Categories", "Image AUROC", "Pixel AUROC", "AUPRO", "AUPRO range"}, rows)
}
