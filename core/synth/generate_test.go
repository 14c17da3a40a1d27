package synth

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/imageio"
)

// readTree maps every file under root (relative path) to its bytes.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func smoke(t testing.TB) Profile {
	p, err := LoadProfile("smoke")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGenerateDeterministic(t *testing.T) {
	p := smoke(t)
	dir := t.TempDir()
	trees := map[string]map[string][]byte{}
	for _, run := range []struct {
		name    string
		seed    uint64
		workers int
	}{{"seed7-w1", 7, 1}, {"seed7-w3", 7, 3}, {"seed8-w2", 8, 2}} {
		out := filepath.Join(dir, run.name)
		if _, err := Generate(context.Background(), p, run.seed, out, run.workers); err != nil {
			t.Fatal(err)
		}
		trees[run.name] = readTree(t, out)
	}
	a, b, c := trees["seed7-w1"], trees["seed7-w3"], trees["seed8-w2"]
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different worker counts: trees differ (%d vs %d files)", len(a), len(b))
	}
	same := 0
	for k, v := range a {
		if bytes.Equal(v, c[k]) && filepath.Ext(k) == ".png" {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seed 7 and 8 share %d identical PNG files", same)
	}
}

func TestGenerateSmokeReadsBack(t *testing.T) {
	p := smoke(t)
	out := filepath.Join(t.TempDir(), "bench")
	sum, err := Generate(context.Background(), p, 1, out, 2)
	if err != nil {
		t.Fatal(err)
	}
	wantImages := map[string]int{
		// 2 categories x (4 train + 4 test good + 3 types x 4 + 2 combined)
		"mvtec": 2 * (4 + 4 + 3*4 + 2),
		"mtd":   6 + 4 + 3*4,
		"aebad": 4 * 4,
	}
	if len(sum.Datasets) != 3 {
		t.Fatalf("summary %+v, want 3 datasets", sum)
	}
	for _, ds := range sum.Datasets {
		if ds.Images != wantImages[ds.Format] {
			t.Errorf("%s: %d images, want %d", ds.Format, ds.Images, wantImages[ds.Format])
		}
		set, err := dataset.Open(ds.Format, ds.Root)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, cat := range set.Categories {
			samples, err := set.Samples(cat)
			if err != nil {
				t.Fatal(err)
			}
			n += len(samples)
			wantTypes := DefectClasses(cat)
			switch ds.Format {
			case "mvtec":
				wantTypes = wantTypes[:3]
			case "mtd":
				wantTypes = []string{"blowhole", "crack", "uneven"}
			}
			if got := set.DefectTypes(cat); !reflect.DeepEqual(got, wantTypes) {
				t.Errorf("%s/%s: defect types %v, want %v", ds.Format, cat, got, wantTypes)
			}
			for _, s := range samples {
				checkSample(t, s, p.ImageSize)
			}
		}
		if n != ds.Images {
			t.Errorf("%s: dataset.Open sees %d samples, Generate wrote %d", ds.Format, n, ds.Images)
		}
	}
	if got := []string{sum.Datasets[0].Format, sum.Datasets[1].Format}; got[0] != "mvtec" || got[1] != "mtd" {
		t.Errorf("dataset order %v", got)
	}
}

// checkSample verifies image size and that masks are binary, non-empty and
// not the whole image.
func checkSample(t *testing.T, s dataset.Sample, size int) {
	t.Helper()
	img, err := imageio.ReadRGB(s.ImagePath)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != size || img.Bounds().Dy() != size {
		t.Errorf("%s: size %v, want %d", s.ImagePath, img.Bounds(), size)
	}
	if s.Type == dataset.GoodType {
		if s.MaskPath != "" {
			t.Errorf("%s: normal image with mask %s", s.ImagePath, s.MaskPath)
		}
		return
	}
	m, err := imageio.ReadGray(s.MaskPath)
	if err != nil {
		t.Fatal(err)
	}
	on := 0
	for _, v := range m.Pix {
		switch v {
		case 255:
			on++
		case 0:
		default:
			t.Fatalf("%s: mask value %d, want 0 or 255", s.MaskPath, v)
		}
	}
	if on == 0 || on == len(m.Pix) {
		t.Errorf("%s: %d of %d mask pixels set", s.MaskPath, on, len(m.Pix))
	}
}

// TestEveryDefectClass draws each class of each category at the smallest
// sizes and checks its mask: non-empty, and (except the whole-part "flip"
// and the two-conductor "cable_swap") small relative to the image.
func TestEveryDefectClass(t *testing.T) {
	for _, spec := range productSpecs() {
		prod := spec.build(rand.New(rand.NewPCG(1, 2)))
		for _, def := range spec.defects {
			for _, size := range []int{48, 96} {
				t.Run(fmt.Sprintf("%s/%s/%d", spec.name, def, size), func(t *testing.T) {
					for i := 0; i < 6; i++ {
						j := job{format: spec.dataset, category: spec.name, typ: def, defects: []string{def}, key: fmt.Sprint(i)}
						_, mask, err := render(j, prod, size, 3)
						if err != nil {
							t.Fatal(err)
						}
						on := 0
						for _, v := range mask.Pix {
							if v != 0 {
								on++
							}
						}
						frac := float64(on) / float64(len(mask.Pix))
						limit := 0.15
						switch def {
						case "flip": // the whole part
							limit = 0.6
						case "cable_swap": // two whole conductors
							limit = 0.3
						}
						if on == 0 || frac > limit {
							t.Errorf("image %d: mask covers %.3f of the image, want (0, %.2f]", i, frac, limit)
						}
					}
				})
			}
		}
	}
}

// auroc is the probability that a random b value exceeds a random a value.
func auroc(a, b []float64) float64 {
	wins := 0.0
	for _, x := range a {
		for _, y := range b {
			switch {
			case y > x:
				wins++
			case y == x:
				wins += 0.5
			}
		}
	}
	return wins / float64(len(a)*len(b))
}

// TestNoGlobalGiveaway checks that neither the mean nor the standard
// deviation of an image separates normal from defective images of a
// category well (AUROC within [0.2, 0.8], flip excluded).
func TestNoGlobalGiveaway(t *testing.T) {
	const n, size = 16, 64
	for _, spec := range productSpecs() {
		prod := spec.build(rand.New(rand.NewPCG(5, 6)))
		stats := func(defects []string, i int) (float64, float64) {
			j := job{category: spec.name, defects: defects, key: fmt.Sprint(defects, i)}
			img, _, err := render(j, prod, size, 11)
			if err != nil {
				t.Fatal(err)
			}
			g := imageio.ToGray(img)
			var s, s2 float64
			for _, v := range g.Pix {
				s += float64(v)
				s2 += float64(v) * float64(v)
			}
			m := s / float64(len(g.Pix))
			return m, s2/float64(len(g.Pix)) - m*m
		}
		var goodM, goodV, badM, badV []float64
		for i := 0; i < n; i++ {
			m, v := stats(nil, i)
			goodM, goodV = append(goodM, m), append(goodV, v)
			def := spec.defects[i%len(spec.defects)]
			if def == "flip" {
				def = spec.defects[0]
			}
			m, v = stats([]string{def}, i)
			badM, badV = append(badM, m), append(badV, v)
		}
		for _, c := range []struct {
			stat string
			a    float64
		}{{"mean", auroc(goodM, badM)}, {"variance", auroc(goodV, badV)}} {
			if c.a < 0.2 || c.a > 0.8 {
				t.Errorf("%s: image %s separates defects with AUROC %.2f", spec.name, c.stat, c.a)
			}
		}
	}
}

func TestGalleryFromSmoke(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "bench")
	if _, err := Generate(context.Background(), smoke(t), 2, out, 2); err != nil {
		t.Fatal(err)
	}
	set, err := dataset.Open("mvtec", filepath.Join(out, "mvtec"))
	if err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "g", "wood.png")
	if err := Gallery(set, "wood", 2, png); err != nil {
		t.Fatal(err)
	}
	img, err := imageio.ReadRGB(png)
	if err != nil {
		t.Fatal(err)
	}
	// rows: good + 3 defect types + combined; columns: 2 pairs of 64 px
	wantW, wantH := galleryGap+2*2*(64+galleryGap), galleryGap+5*(64+galleryGap)
	if img.Bounds().Dx() != wantW || img.Bounds().Dy() != wantH {
		t.Errorf("gallery %v, want %dx%d", img.Bounds(), wantW, wantH)
	}
	if err := Gallery(set, "bottle", 2, png); err == nil {
		t.Error("gallery of an unknown category succeeded")
	}
}

func TestGenerateRejectsBadProfile(t *testing.T) {
	_, err := Generate(context.Background(), Profile{Name: "bad", ImageSize: 4}, 1, filepath.Join(t.TempDir(), "x"), 1)
	if err == nil {
		t.Fatal("Generate accepted image_size 4")
	}
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "x")
	if _, err := Generate(ctx, smoke(t), 1, out, 2); err == nil {
		t.Fatal("Generate ignored a cancelled context")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("cancelled Generate left %s behind", out)
	}
}

func ExampleDefectClasses() {
	fmt.Println(DefectClasses("mtd"))
	cats := MVTecCategories()
	sort.Strings(cats)
	fmt.Println(cats)
	// Output:
	// [blowhole break crack fray uneven]
	// [cable capsule fabric metal_nut tile wood]
}

func BenchmarkGenerateQuick(b *testing.B) {
	p, err := LoadProfile("quick")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(context.Background(), p, uint64(i), filepath.Join(dir, "q"), 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderImage128(b *testing.B) {
	for _, spec := range productSpecs() {
		prod := spec.build(rand.New(rand.NewPCG(1, 1)))
		b.Run(spec.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				j := job{category: spec.name, defects: spec.defects[:1], key: fmt.Sprint(i)}
				if _, _, err := render(j, prod, 128, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
