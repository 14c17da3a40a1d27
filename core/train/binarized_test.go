package train

import (
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/imageio"
)

// writeBinarizeFixture writes maps and images of two categories in the map
// layout and runs the binarize stage on them.
func writeBinarizeFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, cat := range []string{"a", "b"} {
		for _, typ := range []string{"good", "scratch"} {
			for i, peak := range []uint8{120, 250} {
				m := image.NewGray(image.Rect(0, 0, 64, 64))
				img := image.NewRGBA(image.Rect(0, 0, 64, 64))
				for y := 20; y < 34; y++ {
					for x := 20 + 10*i; x < 34+10*i; x++ {
						m.SetGray(x, y, color.Gray{Y: peak})
					}
				}
				name := []string{"000.png", "001.png"}[i]
				if err := imageio.WritePNG(filepath.Join(dir, "maps", cat, typ, name), m); err != nil {
					t.Fatal(err)
				}
				if err := imageio.WritePNG(filepath.Join(dir, "images", cat, typ, name), img); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	out := filepath.Join(dir, "bin")
	if _, err := crop.RunStage(crop.StageConfig{MapsRoot: filepath.Join(dir, "maps"), ImagesRoot: filepath.Join(dir, "images"), Out: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReadBinarizedCrops(t *testing.T) {
	bin := writeBinarizeFixture(t)
	if !IsBinarizeOutput(bin) {
		t.Fatal("binarize output not recognised")
	}
	tests := []struct {
		category string
		wantErr  string
	}{
		{"", "choose one with --category"},
		{"zzz", `no category "zzz"`},
		{"a", ""},
	}
	for _, tc := range tests {
		cs, err := ReadBinarizedCrops(bin, tc.category, 0.5)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: want error %q, got %v", tc.category, tc.wantErr, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(cs.NovelTypes, ",") != "good,scratch" {
			t.Errorf("types %v", cs.NovelTypes)
		}
		for _, it := range cs.Items {
			if it.Label != -1 || !strings.Contains(it.Image, filepath.Join("crops", "a")) || !strings.Contains(it.Mask, filepath.Join("mask_crops", "a")) {
				t.Errorf("item %+v", it)
			}
			if it.Weight < 0 || it.Weight > 0.5 {
				t.Errorf("PLR weight %v outside [0, 0.5]", it.Weight)
			}
			if _, err := imageio.ReadRGB(it.Image); err != nil {
				t.Errorf("crop unreadable: %v", err)
			}
		}
	}
}
