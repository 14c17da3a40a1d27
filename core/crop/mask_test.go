package crop

import (
	"image"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/mebin"
)

// TestRunStageMaskUsesGroundTruth: with MethodMask the binary masks are the
// ground-truth masks (two separate regions give two boxes even where the map
// shows one blob), normal images get empty masks and the full-image box, and
// the scores still come from the maps.
func TestRunStageMaskUsesGroundTruth(t *testing.T) {
	maps, images := stageFixture(t)
	gtDir := t.TempDir()
	gt := image.NewGray(image.Rect(0, 0, 64, 48))
	for _, r := range []image.Rectangle{image.Rect(2, 2, 6, 6), image.Rect(50, 30, 58, 40)} {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				gt.Pix[y*64+x] = 1 // any foreground value counts
			}
		}
	}
	gtPath := filepath.Join(gtDir, "000_mask.png")
	if err := imageio.WritePNG(gtPath, gt); err != nil {
		t.Fatal(err)
	}
	var asked []string
	gtMask := func(category, typ, img string) (string, error) {
		asked = append(asked, category+"/"+typ+"/"+filepath.Base(img))
		if typ == "crack" && filepath.Base(img) == "000.png" {
			return gtPath, nil
		}
		return "", nil
	}
	out := filepath.Join(t.TempDir(), "out")
	rep, err := RunStage(StageConfig{MapsRoot: maps, ImagesRoot: images, Out: out, Method: MethodMask, GTMask: gtMask, Params: mebin.Params{Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(asked, ","); got != "bottle/crack/000.png,bottle/crack/001.png,bottle/hole/000.png" {
		t.Errorf("GTMask asked for %s", got)
	}
	if rep.Method != "mask" || len(rep.Maps) != 3 {
		t.Fatalf("method %q, %d maps (combined must stay out)", rep.Method, len(rep.Maps))
	}
	first := rep.Maps[0]
	if first.EstAnomalyNum != 2 || len(first.Boxes) != 2 {
		t.Errorf("GT with two regions: est %d, %d boxes", first.EstAnomalyNum, len(first.Boxes))
	}
	want := gt
	for i := range want.Pix {
		if want.Pix[i] > 0 {
			want.Pix[i] = 255
		}
	}
	if first.MaskSHA256 != MaskSHA256(want) {
		t.Error("binary mask is not the ground-truth mask")
	}
	if rep.Sets[0].MaxTh != 200 || rep.Sets[0].MinTh != 90 {
		t.Errorf("search range %d..%d, want the maps' 90..200", rep.Sets[0].MinTh, rep.Sets[0].MaxTh)
	}
	for _, r := range rep.Maps[1:] {
		if r.EstAnomalyNum != 0 || len(r.Boxes) != 1 || float64(r.Boxes[0][2]) != 64 {
			t.Errorf("%s: no GT mask must give the full-image box, got est %d boxes %v", r.File, r.EstAnomalyNum, r.Boxes)
		}
	}
	// the score of crack/001's full-image box is its map's normalised peak
	if s := float64(rep.Maps[1].Scores[0]); s <= 0.5 {
		t.Errorf("score from the map: %v", s)
	}
	if _, err := RunStage(StageConfig{MapsRoot: maps, Out: filepath.Join(t.TempDir(), "o"), Method: MethodMask}); err == nil {
		t.Error("mask without images and ground truth must fail")
	}
}
