package crop

import (
	"bytes"
	"encoding/json"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/mebin"
)

// stageFixture writes a map root bottle/{crack,hole,combined} and a mirrored
// image root, and returns both.
func stageFixture(t *testing.T) (maps, images string) {
	t.Helper()
	maps, images = t.TempDir(), t.TempDir()
	blob := func(x0, y0, x1, y1 int, v uint8) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, 64, 48))
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m.Pix[y*64+x] = v
			}
		}
		return m
	}
	files := map[string]*image.Gray{
		"bottle/crack/000.png":    blob(5, 5, 20, 20, 200),
		"bottle/crack/001.png":    blob(40, 20, 60, 40, 150),
		"bottle/hole/000.png":     blob(0, 0, 4, 4, 90),
		"bottle/combined/000.png": blob(0, 0, 64, 48, 255),
	}
	for f, m := range files {
		if err := imageio.WritePNG(filepath.Join(maps, f), m); err != nil {
			t.Fatal(err)
		}
		rgb := image.NewRGBA(image.Rect(0, 0, 64, 48))
		for i := range rgb.Pix {
			rgb.Pix[i] = uint8(i)
		}
		if err := imageio.WritePNG(filepath.Join(images, f), rgb); err != nil {
			t.Fatal(err)
		}
	}
	return maps, images
}

func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			out[rel] = b
		}
		return nil
	})
	return out
}

func TestRunStageDeterministicAcrossWorkers(t *testing.T) {
	maps, images := stageFixture(t)
	var trees []map[string][]byte
	for _, workers := range []int{1, 3} {
		out := filepath.Join(t.TempDir(), "out")
		if _, err := RunStage(StageConfig{MapsRoot: maps, ImagesRoot: images, Out: out, Params: mebin.Params{Workers: workers}}); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, readTree(t, out))
	}
	if len(trees[0]) != len(trees[1]) {
		t.Fatalf("file counts differ: %d vs %d", len(trees[0]), len(trees[1]))
	}
	for name, b := range trees[0] {
		if !bytes.Equal(b, trees[1][name]) {
			t.Errorf("%s differs between 1 and 3 workers", name)
		}
	}
	for _, want := range []string{"mebin.json", "binary_masks/bottle/crack/000.png", "crops/bottle/crack/000_crop0.png",
		"mask_crops/bottle/hole/000_crop0.png"} {
		if _, ok := trees[0][filepath.FromSlash(want)]; !ok {
			t.Errorf("missing %s", want)
		}
	}
	var raw struct {
		Sets []SetRecord `json:"sets"`
		Maps []struct {
			File   string      `json:"file"`
			Counts []int       `json:"counts"`
			Boxes  [][]float64 `json:"boxes"`
			Est    int         `json:"est_anomaly_num"`
		} `json:"maps"`
	}
	if err := json.Unmarshal(trees[0]["mebin.json"], &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Maps) != 3 || raw.Sets[0].MinTh != 90 || raw.Sets[0].MaxTh != 200 {
		t.Fatalf("records %+v sets %+v: want 3 maps (combined excluded), range [90,200]", raw.Maps, raw.Sets)
	}
	if raw.Maps[2].File != "bottle/hole/000.png" || len(raw.Maps[0].Counts) != 64 || raw.Maps[0].Est != 1 {
		t.Errorf("unexpected records %+v", raw.Maps)
	}
}

func TestRunStageErrors(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(t *testing.T, maps, images string)
		cfg     func(maps, images string) StageConfig
		wantErr string
	}{
		{"image size differs", func(t *testing.T, maps, images string) {
			imageio.WritePNG(filepath.Join(images, "bottle/hole/000.png"), image.NewRGBA(image.Rect(0, 0, 10, 10)))
		}, nil, "size mismatch"},
		{"missing image", func(t *testing.T, maps, images string) {
			os.Remove(filepath.Join(images, "bottle/crack/001.png"))
		}, nil, "1 images for 2 anomaly maps"},
		{"corrupt image", func(t *testing.T, maps, images string) {
			os.WriteFile(filepath.Join(images, "bottle/crack/001.png"), []byte("\x89PNG\r\n\x1a\nxx"), 0o644)
		}, nil, "crack/001.png"},
		{"corrupt map", func(t *testing.T, maps, images string) {
			os.WriteFile(filepath.Join(maps, "bottle/crack/001.png"), []byte("junk"), 0o644)
		}, nil, "crack/001.png"},
		{"empty maps folder", nil, func(maps, images string) StageConfig {
			return StageConfig{MapsRoot: filepath.Join(maps, "bottle", "combined", "nothing")}
		}, "nothing"},
		{"unknown method", nil, func(maps, images string) StageConfig {
			return StageConfig{MapsRoot: maps, Method: "median"}
		}, "unknown binarization method"},
		{"bad theta", nil, func(maps, images string) StageConfig {
			return StageConfig{MapsRoot: maps, Method: MethodFixed, Theta: 2}
		}, "theta"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			maps, images := stageFixture(t)
			if tc.mutate != nil {
				tc.mutate(t, maps, images)
			}
			cfg := StageConfig{MapsRoot: maps, ImagesRoot: images}
			if tc.cfg != nil {
				cfg = tc.cfg(maps, images)
			}
			cfg.Out = filepath.Join(t.TempDir(), "out")
			_, err := RunStage(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tc.wantErr)
			}
			if _, statErr := os.Stat(cfg.Out); statErr == nil {
				t.Fatalf("%s left behind after an error", cfg.Out)
			}
			entries, _ := os.ReadDir(filepath.Dir(cfg.Out))
			if len(entries) != 0 {
				t.Fatalf("temporary files left: %v", entries)
			}
		})
	}
}

func TestRunStageWithoutImagesAndMethods(t *testing.T) {
	maps, _ := stageFixture(t)
	for _, m := range []Method{MethodMEBin, MethodFixed, MethodOtsu} {
		out := filepath.Join(t.TempDir(), "out")
		rep, err := RunStage(StageConfig{MapsRoot: maps, Out: out, Method: m, Theta: 0.3})
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if _, err := os.Stat(filepath.Join(out, "crops")); err == nil {
			t.Errorf("%s: RGB crops written without images", m)
		}
		for _, r := range rep.Maps {
			if len(r.Boxes) == 0 || len(r.Scores) != len(r.Boxes) || len(r.Weights) != len(r.Boxes) {
				t.Errorf("%s %s: boxes %v scores %v", m, r.File, r.Boxes, r.Scores)
			}
		}
	}
}

// TestRunStageOutputContent: every written mask decodes to the mask whose
// hash mebin.json records, every mask crop to CutMask of it; SkipCrops
// writes the same masks and mebin.json, and no crops.
func TestRunStageOutputContent(t *testing.T) {
	maps, images := stageFixture(t)
	out, skipped := filepath.Join(t.TempDir(), "out"), filepath.Join(t.TempDir(), "skipped")
	rep, err := RunStage(StageConfig{MapsRoot: maps, ImagesRoot: images, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RunStage(StageConfig{MapsRoot: maps, ImagesRoot: images, Out: skipped, SkipCrops: true}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Maps {
		stem := strings.TrimSuffix(r.File, ".png")
		mask, err := imageio.ReadGray(filepath.Join(out, "binary_masks", filepath.FromSlash(stem)+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if got := MaskSHA256(mask); got != r.MaskSHA256 {
			t.Errorf("%s: mask hash %s, mebin.json %s", r.File, got, r.MaskSHA256)
		}
		for k, name := range r.Crops {
			crop, err := imageio.ReadGray(filepath.Join(out, "mask_crops", filepath.Dir(filepath.FromSlash(r.File)), name))
			if err != nil {
				t.Fatal(err)
			}
			b := r.Boxes[k]
			want, _ := CutMask(mask, Box{Left: float64(b[0]), Up: float64(b[1]), Right: float64(b[2]), Bottom: float64(b[3])})
			if !bytes.Equal(crop.Pix, want.Pix) {
				t.Errorf("%s: mask crop %s differs from CutMask of the mask", r.File, name)
			}
		}
	}
	full, less := readTree(t, out), readTree(t, skipped)
	for name, b := range full {
		top := strings.SplitN(filepath.ToSlash(name), "/", 2)[0]
		if top == "crops" || top == "mask_crops" {
			if _, ok := less[name]; ok {
				t.Errorf("SkipCrops wrote %s", name)
			}
			continue
		}
		if !bytes.Equal(b, less[name]) {
			t.Errorf("SkipCrops changed %s", name)
		}
	}
}
