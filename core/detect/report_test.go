package detect

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/detecteval"
)

// TestReadReportReadsWhatJSONWrites: the typed reader of detect.json gives
// back the report at the file's 6 decimals, null metrics as NaN, and the
// stored means.
func TestReadReportReadsWhatJSONWrites(t *testing.T) {
	rep := Report{Method: "musc", Format: "mvtec", Seed: 3407, Categories: []CategoryReport{
		{Category: "wood", Train: 4, Test: 6, Metrics: detecteval.Summary{ImageAUROC: 0.91234567, PixelAUROC: 0.5, AUPRO: math.NaN()}, Range: Range{Lo: 0.25, Hi: 3}},
		{Category: "cable", Train: 2, Test: 3, Metrics: detecteval.Summary{ImageAUROC: 0.7, PixelAUROC: 0.6, AUPRO: 0.4}},
	}}
	b, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), ReportFile)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, mean, err := ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "musc" || got.Format != "mvtec" || got.Seed != 3407 || len(got.Categories) != 2 {
		t.Fatalf("report %+v", got)
	}
	c, ok := got.Category("wood")
	if !ok || got.Categories[0].Category != "cable" || c.Train != 4 || c.Test != 6 || c.Metrics.ImageAUROC != 0.912346 ||
		!math.IsNaN(c.Metrics.AUPRO) || c.Range != (Range{Lo: 0.25, Hi: 3}) {
		t.Errorf("wood %+v (ok %v), categories %+v", c, ok, got.Categories)
	}
	if want := rep.Mean(); math.Abs(mean.ImageAUROC-want.ImageAUROC) > 1e-6 || mean.AUPRO != 0.4 {
		t.Errorf("mean %+v, want %+v at 6 decimals", mean, want)
	}
	if _, ok := got.Category("tile"); ok {
		t.Error("a category that is not in the file was found")
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadReport(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("broken file: err %v, want one naming %s", err, path)
	}
}
