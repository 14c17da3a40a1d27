package plots

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/cmpimg"
)

// goldenDelta is the tolerance of the PNG comparison (cmpimg's normalised YIQ
// distance): rasterisation may differ in the last bit across CPUs.
const goldenDelta = 0.02

// goldenCases draws each figure from the fixtures into dir.
func goldenCases() []struct {
	name string
	draw func(out string) error
} {
	return []struct {
		name string
		draw func(out string) error
	}{
		{"mebin", func(out string) error { return MEBinFigure(out, mebinRows()) }},
		{"threshold", func(out string) error { return ThresholdFigure(out, thresholdData()) }},
		{"tsne", func(out string) error { return TSNEFigure(out, tsnePanels()) }},
		{"training", func(out string) error { return TrainingCurves(out, trainingData()) }},
		{"attention", func(out string) error { return AttentionFigure(out, attentionRows()) }},
		{"multilabel", func(out string) error { return MultiLabelFigure(out, multiLabelItems()) }},
		{"diagnostics", func(out string) error { return DiagnosticsFigure(out, diagnosticsData()) }},
		{"confusion", func(out string) error { return ConfusionFigure(out, confusionPanels()) }},
	}
}

// TestGolden compares each figure's PNG with testdata/<name>_golden.png.
// Run with -regen to rewrite the golden files, then look at them.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.name)
			if err := tc.draw(out); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(out + ".png")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+"_golden.png")
			if *cmpimg.GenerateTestData {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -regen to create it)", err)
			}
			ok, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Errorf("%s.png differs from %s; if the change is intended, run go test -regen and inspect the image", out, golden)
			}
		})
	}
}

// TestDeterministic renders every figure twice and requires identical PNG
// and SVG bytes.
func TestDeterministic(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			if err := tc.draw(a); err != nil {
				t.Fatal(err)
			}
			if err := tc.draw(b); err != nil {
				t.Fatal(err)
			}
			for _, ext := range []string{".png", ".svg"} {
				x, errA := os.ReadFile(a + ext)
				y, errB := os.ReadFile(b + ext)
				if errA != nil || errB != nil {
					t.Fatal(errA, errB)
				}
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s: two renders differ (%d vs %d bytes)", ext, len(x), len(y))
				}
			}
		})
	}
}
