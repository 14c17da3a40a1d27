package dataset

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
)

// fixtureFile is one image of a test fixture: a sample and whether its mask
// should be written.
type fixtureFile struct {
	category, split, typ, name string
	noMask                     bool
}

func writeFixture(t *testing.T, format string, files []fixtureFile) string {
	t.Helper()
	root := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	for _, f := range files {
		ip, mp, err := Paths(format, root, f.category, f.split, f.typ, f.name)
		if err != nil {
			t.Fatal(err)
		}
		if err := imageio.WritePNG(ip, img); err != nil {
			t.Fatal(err)
		}
		if mp != "" && !f.noMask {
			if err := imageio.WritePNG(mp, img); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

func rel(root string, samples []Sample) []string {
	var out []string
	for _, s := range samples {
		r, _ := filepath.Rel(root, s.ImagePath)
		m := "-"
		if s.MaskPath != "" {
			m, _ = filepath.Rel(root, s.MaskPath)
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s", s.Category, s.Split, s.Type, filepath.ToSlash(r), filepath.ToSlash(m)))
	}
	return out
}

func TestOpenLayouts(t *testing.T) {
	tests := []struct {
		name     string
		format   string
		files    []fixtureFile
		category string
		want     []string
		types    []string
		cats     []string
	}{
		{
			name:   "mvtec",
			format: FormatMVTec,
			files: []fixtureFile{
				{"wood", "train", "good", "001.png", false},
				{"wood", "train", "good", "000.png", false},
				{"wood", "test", "scratch", "000.png", false},
				{"wood", "test", "combined", "000.png", false},
				{"wood", "test", "good", "000.png", false},
				{"wood", "test", "hole", "000.png", false},
				{"cable", "train", "good", "000.png", false},
				{"cable", "test", "poke", "000.png", false},
			},
			category: "wood",
			want: []string{
				"wood test combined wood/test/combined/000.png wood/ground_truth/combined/000_mask.png",
				"wood test good wood/test/good/000.png -",
				"wood test hole wood/test/hole/000.png wood/ground_truth/hole/000_mask.png",
				"wood test scratch wood/test/scratch/000.png wood/ground_truth/scratch/000_mask.png",
				"wood train good wood/train/good/000.png -",
				"wood train good wood/train/good/001.png -",
			},
			types: []string{"hole", "scratch"},
			cats:  []string{"cable", "wood"},
		},
		{
			name:   "mtd",
			format: FormatMTD,
			files: []fixtureFile{
				{"", "train", "good", "a.png", false},
				{"", "test", "good", "b.png", false},
				{"", "test", "fray", "c.png", false},
				{"", "test", "blowhole", "d.png", false},
			},
			category: "mtd",
			want: []string{
				"mtd test blowhole test/blowhole/d.png ground_truth/blowhole/d.png",
				"mtd test fray test/fray/c.png ground_truth/fray/c.png",
				"mtd test good test/good/b.png -",
				"mtd train good train/MT_Free/a.png -",
			},
			types: []string{"blowhole", "fray"},
			cats:  []string{"mtd"},
		},
		{
			name:   "aebad crops",
			format: FormatAeBAD,
			files: []fixtureFile{
				{"", "", "groove", "x_crop1.png", false},
				{"", "", "groove", "x_crop0.png", false},
				{"", "", "ablation", "y_crop0.png", false},
			},
			category: "aebad",
			want: []string{
				"aebad train ablation ablation/y_crop0.png ground_truth/ablation/y_crop0.png",
				"aebad train groove groove/x_crop0.png ground_truth/groove/x_crop0.png",
				"aebad train groove groove/x_crop1.png ground_truth/groove/x_crop1.png",
			},
			types: []string{"ablation", "groove"},
			cats:  []string{"aebad"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := writeFixture(t, tc.format, tc.files)
			set, err := Open(tc.format, root)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(set.Categories, tc.cats) {
				t.Errorf("categories %v, want %v", set.Categories, tc.cats)
			}
			got, err := set.Samples(tc.category)
			if err != nil {
				t.Fatal(err)
			}
			if g := rel(root, got); !reflect.DeepEqual(g, tc.want) {
				t.Errorf("samples\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(tc.want, "\n"))
			}
			if g := set.DefectTypes(tc.category); !reflect.DeepEqual(g, tc.types) {
				t.Errorf("defect types %v, want %v", g, tc.types)
			}
		})
	}
}

func TestMaskNamingTolerance(t *testing.T) {
	tests := []struct {
		format, maskName string
	}{
		{FormatMTD, "c_mask.png"},
		{FormatMTD, "c.png"},
		{FormatMTD, "c.bmp"},
		{FormatMVTec, "c.png"},
		{FormatAeBAD, "c_mask.png"},
	}
	for _, tc := range tests {
		t.Run(tc.format+"/"+tc.maskName, func(t *testing.T) {
			root := writeFixture(t, tc.format, []fixtureFile{{"cat", "test", "crack", "c.jpg", true}, {"cat", "train", "good", "n.png", false}})
			_, mp, _ := Paths(tc.format, root, "cat", "test", "crack", "c.jpg")
			want := filepath.Join(filepath.Dir(mp), tc.maskName)
			if err := imageio.WritePNG(want, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
				t.Fatal(err)
			}
			set, err := Open(tc.format, root)
			if err != nil {
				t.Fatal(err)
			}
			samples, _ := set.Samples(set.Categories[0])
			for _, s := range samples {
				if s.Type == "crack" && s.MaskPath != want {
					t.Errorf("mask %s, want %s", s.MaskPath, want)
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		files   []fixtureFile
		extra   func(root string) error
		wantSub string
	}{
		{
			name:    "missing mask",
			format:  FormatMVTec,
			files:   []fixtureFile{{"wood", "train", "good", "0.png", false}, {"wood", "test", "hole", "007.png", true}},
			wantSub: filepath.Join("wood", "ground_truth", "hole", "007_mask.png"),
		},
		{
			name:    "mtd missing mask",
			format:  FormatMTD,
			files:   []fixtureFile{{"", "test", "crack", "q.png", true}},
			wantSub: filepath.Join("ground_truth", "crack", "q.png"),
		},
		{
			name:    "wrong layout category folder",
			format:  FormatMVTec,
			files:   []fixtureFile{{"wood", "train", "good", "0.png", false}},
			extra:   func(root string) error { return os.MkdirAll(filepath.Join(root, "stray", "images"), 0o755) },
			wantSub: "stray",
		},
		{
			name:    "defect folder in mvtec train",
			format:  FormatMVTec,
			files:   []fixtureFile{{"wood", "train", "good", "0.png", false}, {"wood", "test", "good", "0.png", false}},
			extra:   func(root string) error { return os.MkdirAll(filepath.Join(root, "wood", "train", "hole"), 0o755) },
			wantSub: filepath.Join("wood", "train", "hole"),
		},
		{
			name:    "mvtec tree opened as aebad",
			format:  FormatAeBAD,
			files:   []fixtureFile{{"", "", "groove", "0.png", false}},
			extra:   func(root string) error { return os.MkdirAll(filepath.Join(root, "train", "good"), 0o755) },
			wantSub: "train",
		},
		{
			name:    "mtd without test",
			format:  FormatMTD,
			files:   []fixtureFile{{"", "train", "good", "0.png", false}},
			wantSub: "test",
		},
		{
			name:    "unknown format",
			format:  "kolektor",
			wantSub: `unknown format "kolektor"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := writeFixture(t, fixtureFormat(tc.format), tc.files)
			if tc.extra != nil {
				if err := tc.extra(root); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Open(tc.format, root)
			if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantSub)
			}
		})
	}
}

// fixtureFormat maps an unknown format to one Paths accepts, so fixtures
// can still be written.
func fixtureFormat(format string) string {
	for _, f := range Formats() {
		if f == format {
			return f
		}
	}
	return FormatMVTec
}

func TestUnknownCategory(t *testing.T) {
	root := writeFixture(t, FormatMVTec, []fixtureFile{{"wood", "train", "good", "0.png", false}, {"wood", "test", "good", "0.png", false}})
	set, err := Open(FormatMVTec, root)
	if err != nil {
		t.Fatal(err)
	}
	_, err = set.Samples("carpet")
	if err == nil || !strings.Contains(err.Error(), `"carpet"`) || !strings.Contains(err.Error(), "wood") {
		t.Fatalf("error %v, want one naming carpet and the allowed wood", err)
	}
	if got := set.DefectTypes("carpet"); got != nil {
		t.Errorf("DefectTypes of unknown category = %v, want nil", got)
	}
}

func ExamplePaths() {
	img, mask, _ := Paths(FormatMVTec, "data", "wood", "test", "hole", "003.png")
	fmt.Println(filepath.ToSlash(img), filepath.ToSlash(mask))
	img, mask, _ = Paths(FormatMTD, "mtd", "", "train", "good", "n1.png")
	fmt.Println(filepath.ToSlash(img), mask == "")
	// Output:
	// data/wood/test/hole/003.png data/wood/ground_truth/hole/003_mask.png
	// mtd/train/MT_Free/n1.png true
}
