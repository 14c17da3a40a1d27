package train

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
)

func writeCropDir(t *testing.T, root string, files map[string][]string) {
	t.Helper()
	for typ, names := range files {
		for _, n := range names {
			img := image.NewRGBA(image.Rect(0, 0, 4, 4))
			if err := imageio.WritePNG(filepath.Join(root, typ, n), img); err != nil {
				t.Fatal(err)
			}
			if err := imageio.WritePNG(filepath.Join(root, "ground_truth", typ, n), image.NewGray(img.Rect)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestReadCropSet(t *testing.T) {
	dir := t.TempDir()
	crops, base := filepath.Join(dir, "crops"), filepath.Join(dir, "base")
	writeCropDir(t, crops, map[string][]string{"scratch": {"001_crop0.png", "001_crop1.png"}, "crack": {"007_crop0.png"}})
	writeCropDir(t, base, map[string][]string{"ablation": {"a_crop0.png"}, "breakdown": {"b_crop0.png", "c_crop0.png"}})
	scores := Scores{"scratch": {"001_crop0.png": 0.2, "001_crop1.png": 0.9}, "crack": {"007_crop0.png": 0.5}}
	cs, err := ReadCropSet(crops, base, scores, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		file, group string
		label       int
		weight      float32
	}
	want := []row{
		{"007_crop0.png", "crack/007.png", -1, 0},
		{"001_crop0.png", "scratch/001.png", -1, 0.3},
		{"001_crop1.png", "scratch/001.png", -1, 0},
		{"a_crop0.png", "ablation/a.png", 0, 0},
		{"b_crop0.png", "breakdown/b.png", 1, 0},
		{"c_crop0.png", "breakdown/c.png", 1, 0},
	}
	if len(cs.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(cs.Items), len(want))
	}
	for i, w := range want {
		it := cs.Items[i]
		if filepath.Base(it.Image) != w.file || it.Group != w.group || it.Label != w.label || it.Weight != w.weight || !strings.Contains(it.Mask, "ground_truth") {
			t.Errorf("item %d = %+v, want %+v", i, it, w)
		}
	}
	if strings.Join(cs.NovelTypes, ",") != "crack,scratch" || strings.Join(cs.BaseTypes, ",") != "ablation,breakdown" {
		t.Errorf("types %v %v", cs.NovelTypes, cs.BaseTypes)
	}
	delete(scores["crack"], "007_crop0.png")
	if _, err := ReadCropSet(crops, "", scores, 0.5); err == nil || !strings.Contains(err.Error(), "007_crop0.png") {
		t.Errorf("missing score: err = %v", err)
	}
	if _, err := ReadCropSet(filepath.Join(dir, "nope"), "", nil, 0.5); err == nil {
		t.Error("missing folder accepted")
	}
	os.RemoveAll(base)
}

func TestPLRWeight(t *testing.T) {
	tests := []struct {
		score, thr float64
		want       float32
	}{
		{0.2, 0.5, 0.3}, {0.5, 0.5, 0}, {0.9, 0.5, 0}, {0, 0.5, 0.5}, {0.1, -1, 0},
	}
	for _, tc := range tests {
		if got := PLRWeight(tc.score, tc.thr); got != tc.want {
			t.Errorf("PLRWeight(%v, %v) = %v, want %v", tc.score, tc.thr, got, tc.want)
		}
	}
}
