package main

import (
	"context"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/synth"
)

// realDataFixture writes a tiny MVTec-layout set without a combined type
// (the smoke benchmark's categories, ground_truth/ included) and a separate
// folder of detector-like maps: each ground-truth mask blurred, shifted and
// noised, the normal images noise only.
func realDataFixture(t *testing.T, root string) (data, maps string) {
	t.Helper()
	prof, err := synth.LoadProfile("smoke")
	if err != nil {
		t.Fatal(err)
	}
	prof.MVTec.Combined = 0
	gen := filepath.Join(root, "gen")
	if _, err := synth.Generate(context.Background(), prof, 11, gen, 2); err != nil {
		t.Fatal(err)
	}
	data = filepath.Join(gen, "mvtec")
	maps = filepath.Join(root, "mydetector")
	set, err := dataset.Open(dataset.FormatMVTec, data)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 7))
	for _, cat := range set.Categories {
		samples, _ := set.Samples(cat)
		for _, s := range samples {
			if s.Split != dataset.SplitTest {
				continue
			}
			if s.Type == dataset.CombinedType {
				t.Fatal("the fixture must have no combined type")
			}
			img, err := imageio.ReadRGB(s.ImagePath)
			if err != nil {
				t.Fatal(err)
			}
			w, h := img.Rect.Dx(), img.Rect.Dy()
			fg := make([]float64, w*h)
			if s.MaskPath != "" {
				gt, err := imageio.ReadGray(s.MaskPath)
				if err != nil {
					t.Fatal(err)
				}
				for y := range h {
					for x := range w {
						if gt.Pix[y*gt.Stride+x] > 0 && x+2 < w {
							fg[y*w+x+2] = 1 // shifted by 2 px
						}
					}
				}
			}
			m := image.NewGray(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					var sum float64
					n := 0
					for dy := -2; dy <= 2; dy++ {
						for dx := -2; dx <= 2; dx++ {
							if xx, yy := x+dx, y+dy; xx >= 0 && yy >= 0 && xx < w && yy < h {
								sum += fg[yy*w+xx]
								n++
							}
						}
					}
					v := 180*sum/float64(n) + 40*rng.Float64()
					m.Pix[y*m.Stride+x] = uint8(min(255, v))
				}
			}
			if err := imageio.WritePNG(dataset.MapPath(maps, cat, s.Type, dataset.FileStem(s.ImagePath)), m); err != nil {
				t.Fatal(err)
			}
		}
	}
	return data, maps
}

// TestRealDataWithExternalMaps runs the smoke study on a real-layout set
// without combined types plus an external maps folder: it must exit 0,
// replace RESULTS.md and the figures together (a stale figure of an earlier
// run removed), name the dataset, show the external maps as their own rows
// beside the GT rows (which use the ground-truth masks and differ from
// them), drop the absent MTD columns and judge no claim on missing cells.
func TestRealDataWithExternalMaps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the smoke study on a generated real-layout set")
	}
	dir := t.TempDir()
	data, maps := realDataFixture(t, dir)
	res := filepath.Join(dir, "out", "RESULTS.md")
	plotsDir := filepath.Join(dir, "out", "plots")
	// the outputs of an earlier run
	os.MkdirAll(plotsDir, 0o755)
	stale := []byte("stale figure of an earlier run")
	for _, f := range []string{"fig11_multilabel.png", "fig3_mebin.png"} {
		os.WriteFile(filepath.Join(plotsDir, f), stale, 0o644)
	}
	os.WriteFile(filepath.Join(plotsDir, "notes.txt"), []byte("the user's"), 0o644)
	os.WriteFile(res, []byte("# RESULTS of an earlier run\n"), 0o644)

	runAncd(t, "ablations", "--profile", "smoke", "--store", filepath.Join(dir, "store"), "--workers", "2",
		"--data", "mvtec="+data, "--maps", maps, "--results", res, "--plots", plotsDir, "--report", filepath.Join(dir, "report"))
	// the report comes from the same run: no MTD columns, the external maps rows
	index, err := os.ReadFile(filepath.Join(dir, "report", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(index), "MTD-like NMI") || strings.Contains(string(index), "MTD NMI") || !strings.Contains(string(index), "External maps") {
		t.Error("report/index.html shows MTD columns or lacks the external maps rows")
	}
	b, err := os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "- Dataset: MVTec AD layout, folder `mvtec` (2 categories: ") ||
		!strings.Contains(text, `- External anomaly maps: "mydetector", folder `+"`mydetector`") {
		t.Errorf("header does not name the dataset and maps:\n%s", text[:min(len(text), 1200)])
	}
	for _, bad := range []string{"MTD NMI", "MVTec AD-like", "does not agree — NMI n/a", "n/a, "} {
		if strings.Contains(text, bad) {
			t.Errorf("RESULTS.md contains %q", bad)
		}
	}
	// the figures linked are exactly the figure files there, all of this run
	links := regexp.MustCompile(`\]\(plots/([a-z0-9_]+\.png)\)`).FindAllStringSubmatch(text, -1)
	var linked []string
	for _, l := range links {
		linked = append(linked, l[1])
		fb, err := os.ReadFile(filepath.Join(plotsDir, l[1]))
		if err != nil || string(fb) == string(stale) {
			t.Errorf("figure %s not written by this run (%v)", l[1], err)
		}
	}
	if len(linked) < 4 {
		t.Errorf("only %d figures linked: %v", len(linked), linked)
	}
	entries, _ := os.ReadDir(plotsDir)
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".png") && !slices.Contains(linked, n) {
			t.Errorf("figure %s is in the plots folder but not in RESULTS.md", n)
		}
	}
	if _, err := os.Stat(filepath.Join(plotsDir, "notes.txt")); err != nil {
		t.Errorf("the user's file in the plots folder was removed: %v", err)
	}
	if !strings.Contains(text, "Fig. 11 — combined-type images: per-crop and merged class probabilities (multi-label): not drawn, the dataset has no combined-type images.") {
		t.Error("RESULTS.md lacks the note on the skipped Fig. 11")
	}
	// external maps are one more detector; the GT row uses the masks
	row := func(label string) string {
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "| "+label+" ") {
				return line[len(label)+3:]
			}
		}
		t.Errorf("RESULTS.md has no row %q", label)
		return ""
	}
	gt, ext := row("Ours, GT masks"), row("Ours, External maps (mydetector)")
	if gt == ext {
		t.Errorf("GT row equals the maps row: %s", gt)
	}
	if row("PatchCore + AnomalyNCD") == row("External maps (mydetector) + AnomalyNCD") {
		t.Error("Table I: the maps row repeats the PatchCore row")
	}
	row("External maps (mydetector) w crop")
	row("AC (Semi), External maps (mydetector)")
	// claims: MTD ones not run, none judged on missing cells
	claims := 0
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| Table ") {
			continue
		}
		claims++
		if strings.Contains(line, "(MTD)") && !strings.Contains(line, "**not run**") {
			t.Errorf("claim on MTD judged: %s", line)
		}
		if strings.Contains(line, "n/a") {
			t.Errorf("claim judged on a missing cell: %s", line)
		}
	}
	if claims < 10 || !strings.Contains(text, "**not run** — this study has no MTD data") {
		t.Errorf("%d claims, or no \"not run\" claim", claims)
	}
}
