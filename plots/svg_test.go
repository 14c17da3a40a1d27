package plots

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestInMemorySVG checks the report variant TrainingGridSVG: whole SVG documents, fonts
// named but not embedded (small), deterministic, and bad input rejected.
func TestInMemorySVG(t *testing.T) {
	grid := func() []TrainingData {
		a, b := trainingData(), trainingData()
		b.Title = "wood, seed 1"
		return []TrainingData{a, b, a, b, a}
	}
	cases := []struct {
		name   string
		render func() ([]byte, error)
		texts  []string
	}{
		{"training grid", func() ([]byte, error) { return TrainingGridSVG(grid()) }, []string{"wood, seed 1", "contrastive", "epoch"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := tc.render()
			if !bytes.Equal(a, b) {
				t.Error("two renders differ")
			}
			s := string(a)
			if !strings.Contains(s, "<svg") || !strings.HasSuffix(strings.TrimSpace(s), "</svg>") {
				t.Errorf("not a whole SVG document: %.200s", s)
			}
			if strings.Contains(s, "@font-face") || len(a) > 200_000 {
				t.Errorf("fonts embedded or too large: %d bytes", len(a))
			}
			if !strings.Contains(s, "'Liberation Serif','Times New Roman',Times,serif") {
				t.Error("text lacks the font fallbacks")
			}
			for _, want := range tc.texts {
				if !strings.Contains(s, want) {
					t.Errorf("SVG lacks the text %q", want)
				}
			}
		})
	}
	var ie *InputError
	if _, err := TrainingGridSVG(nil); !errors.As(err, &ie) || ie.Field != "runs" {
		t.Errorf("TrainingGridSVG(nil): %v", err)
	}
	bad := grid()
	bad[3].Epochs = nil
	if _, err := TrainingGridSVG(bad); !errors.As(err, &ie) || ie.Field != "Epochs" || !strings.Contains(err.Error(), "runs[3]") {
		t.Errorf("TrainingGridSVG with no epochs in run 3: %v", err)
	}
}
