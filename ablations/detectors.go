package ablations

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// detectReport is the part of core/detect's detect.json that the detector
// table reads (null metrics decode as NaN via *float64).
type detectReport struct {
	Method     string `json:"method"`
	Format     string `json:"format"`
	Categories map[string]struct {
		AUPRO      *float64 `json:"aupro"`
		ImageAUROC *float64 `json:"image_auroc"`
		PixelAUROC *float64 `json:"pixel_auroc"`
	} `json:"categories"`
	Mean struct {
		AUPRO      *float64 `json:"aupro"`
		ImageAUROC *float64 `json:"image_auroc"`
		PixelAUROC *float64 `json:"pixel_auroc"`
	} `json:"mean"`
}

func num(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

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
	var reps []detectReport
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var r detectReport
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if r.Method == "" || r.Format == "" {
			return fmt.Errorf("%s: not a detect.json (no method or format)", p)
		}
		reps = append(reps, r)
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
			if v := num(c.AUPRO); !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		rng := "n/a"
		if !math.IsInf(lo, 0) {
			rng = fmt.Sprintf("%.3f–%.3f", lo, hi)
		}
		rows = append(rows, []string{datasetTitle(r.Format, true), r.Method, fmt.Sprint(len(r.Categories)),
			fmtNum(num(r.Mean.ImageAUROC)), fmtNum(num(r.Mean.PixelAUROC)), fmtNum(num(r.Mean.AUPRO)), rng})
	}
	return markdownTable(w, []string{"Dataset", "Detector", "Categories", "Image AUROC", "Pixel AUROC", "AUPRO", "AUPRO range"}, rows)
}
