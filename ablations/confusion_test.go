package ablations

import (
	"reflect"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/merge"
	"github.com/anomalyncd/ancd/experiments/stages"
)

func TestConfusionMatrix(t *testing.T) {
	preds := func(numBase int, pairs ...[2]int) stages.CategoryPredictions {
		cp := stages.CategoryPredictions{Dataset: "mvtec", Category: "wood", Classes: []string{"good", "hole", "scratch"}, NumBase: numBase}
		for i, p := range pairs {
			cp.Images = append(cp.Images, merge.ImagePrediction{Image: string(rune('a'+i)) + ".png", Label: p[0] + numBase, Pred: p[1] + numBase})
		}
		return cp
	}
	cases := []struct {
		name    string
		cp      stages.CategoryPredictions
		classes []string
		want    [][]int
		err     string
	}{
		{"perfect up to renaming: diagonal", preds(2, [2]int{0, 2}, [2]int{0, 2}, [2]int{1, 0}, [2]int{2, 1}, [2]int{2, 1}),
			[]string{"good", "hole", "scratch"}, [][]int{{2, 0, 0}, {0, 1, 0}, {0, 0, 2}}, ""},
		{"one error off the diagonal", preds(0, [2]int{0, 1}, [2]int{0, 1}, [2]int{1, 0}, [2]int{1, 1}, [2]int{2, 2}),
			[]string{"good", "hole", "scratch"}, [][]int{{2, 0, 0}, {1, 1, 0}, {0, 0, 1}}, ""},
		// cluster 3 is the only one "hole" images fall in: the one-to-one
		// mapping gives it to hole
		{"a prediction past the classes", preds(0, [2]int{0, 0}, [2]int{1, 3}, [2]int{2, 2}),
			[]string{"good", "hole", "scratch"}, [][]int{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, ""},
		// four clusters for three classes: one is matched to no class
		{"more clusters than classes", preds(0, [2]int{0, 0}, [2]int{1, 1}, [2]int{2, 2}, [2]int{2, 3}),
			[]string{"good", "hole", "scratch", "unmatched 3"}, [][]int{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 1}, {0, 0, 0, 0}}, ""},
		{"base-class prediction", preds(2, [2]int{0, -1}), nil, nil, "base-class"},
		{"no images", stages.CategoryPredictions{Dataset: "mvtec", Category: "wood"}, nil, nil, "no image predictions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			classes, counts, err := ConfusionMatrix(tc.cp)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "mvtec/wood") {
					t.Fatalf("error %v, want one naming mvtec/wood and %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(classes, tc.classes) || !reflect.DeepEqual(counts, tc.want) {
				t.Errorf("got %v %v, want %v %v", classes, counts, tc.classes, tc.want)
			}
		})
	}
}
