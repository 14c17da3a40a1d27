package dataset

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
)

func writeMap(t *testing.T, path string, v uint8) {
	t.Helper()
	m := image.NewGray(image.Rect(0, 0, 4, 3))
	m.Pix[0] = v
	if err := imageio.WritePNG(path, m); err != nil {
		t.Fatal(err)
	}
}

func TestReadMapSets(t *testing.T) {
	tests := []struct {
		name      string
		files     []string // .png files get a map, others get text
		wantSets  []string // category: files
		wantError string
	}{
		{"flat folder", []string{"b.png", "a.png", "notes.txt"}, []string{":a.png,b.png"}, ""},
		{"map root, combined excluded", []string{
			"bottle/crack/001.png", "bottle/crack/000.png", "bottle/combined/000.png",
			"bottle/broken/000.png", "cable/hole/000.png", "cable/hole/readme.md",
		}, []string{
			"bottle:bottle/broken/000.png,bottle/crack/000.png,bottle/crack/001.png",
			"cable:cable/hole/000.png",
		}, ""},
		{"empty root", nil, nil, "no anomaly maps"},
		{"only combined", []string{"bottle/combined/000.png"}, nil, "no anomaly maps"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range tc.files {
				p := filepath.Join(root, filepath.FromSlash(f))
				if strings.HasSuffix(f, ".png") {
					writeMap(t, p, 7)
				} else {
					os.MkdirAll(filepath.Dir(p), 0o755)
					os.WriteFile(p, []byte("x"), 0o644)
				}
			}
			sets, err := ReadMapSets(root)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range sets {
				got = append(got, s.Category+":"+strings.Join(s.Files, ","))
				if len(s.Maps) != len(s.Files) || s.Maps[0].Pix[0] != 7 {
					t.Errorf("set %q: maps not decoded", s.Category)
				}
			}
			if !slices.Equal(got, tc.wantSets) {
				t.Fatalf("got %v, want %v", got, tc.wantSets)
			}
		})
	}
}

func TestReadMapSetsDecoding(t *testing.T) {
	root := t.TempDir()
	m16 := image.NewGray16(image.Rect(0, 0, 2, 2))
	m16.SetGray16(0, 0, color.Gray16{Y: 0xABCD})
	if err := imageio.WritePNG(filepath.Join(root, "a.png"), m16); err != nil {
		t.Fatal(err)
	}
	sets, err := ReadMapSets(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := sets[0].Maps[0].Pix[0]; got != 0xAB {
		t.Fatalf("16-bit map pixel = %#x, want 0xab", got)
	}
	bad := filepath.Join(root, "b.png")
	os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\n truncated"), 0o644)
	if _, err := ReadMapSets(root); err == nil || !strings.Contains(err.Error(), "b.png") {
		t.Fatalf("corrupt map error %v does not name b.png", err)
	}
}

func TestPairImages(t *testing.T) {
	maps, images := t.TempDir(), t.TempDir()
	for _, f := range []string{"cat/crack/000.png", "cat/crack/001.png", "cat/hole/000.png"} {
		writeMap(t, filepath.Join(maps, f), 1)
	}
	for _, f := range []string{"cat/crack/000.jpg.png", "cat/crack/001.png", "cat/hole/x.png"} {
		writeMap(t, filepath.Join(images, f), 1)
	}
	sets, err := ReadMapSets(maps)
	if err != nil {
		t.Fatal(err)
	}
	got, err := PairImages(sets[0], images)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(images, "cat/crack/000.jpg.png"),
		filepath.Join(images, "cat/crack/001.png"),
		filepath.Join(images, "cat/hole/x.png"), // paired by index despite the name
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	os.Remove(filepath.Join(images, "cat/hole/x.png"))
	if _, err := PairImages(sets[0], images); err == nil || !strings.Contains(err.Error(), "0 images for 1 anomaly maps") {
		t.Fatalf("count mismatch error %v", err)
	}
}

func TestMapPathAndStem(t *testing.T) {
	if got := MapPath("/r", "bottle", "crack", "000"); got != filepath.Join("/r", "bottle", "crack", "000.png") {
		t.Errorf("MapPath = %s", got)
	}
	for in, want := range map[string]string{"000.png": "000", "a.b.png": "a", "dir/x.jpg": "x", "noext": "noext"} {
		if got := FileStem(in); got != want {
			t.Errorf("FileStem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReadMapSetsCategoryFolder: one category's folder of type folders is
// read as that category's set and pairs with the images of a dataset root
// or of the category's own folder.
func TestReadMapSetsCategoryFolder(t *testing.T) {
	maps := filepath.Join(t.TempDir(), "maps")
	for _, f := range []string{"wood/hole/000.png", "wood/hole/001.png", "wood/scratch/000.png", "wood/combined/000.png"} {
		writeMap(t, filepath.Join(maps, filepath.FromSlash(f)), 9)
	}
	sets, err := ReadMapSets(filepath.Join(maps, "wood"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || sets[0].Category != "wood" || !sets[0].CategoryFolder ||
		strings.Join(sets[0].Files, ",") != "hole/000.png,hole/001.png,scratch/000.png" || len(sets[0].Maps) != 3 {
		t.Fatalf("sets %+v", sets)
	}
	data := t.TempDir()
	for _, f := range []string{"wood/test/hole/000.png", "wood/test/hole/001.png", "wood/test/scratch/000.png"} {
		writeMap(t, filepath.Join(data, filepath.FromSlash(f)), 1)
	}
	for _, images := range []string{data, filepath.Join(data, "wood")} {
		got, err := PairImages(sets[0], images)
		if err != nil {
			t.Fatalf("images %s: %v", images, err)
		}
		if want := filepath.Join(data, "wood", "test", "scratch", "000.png"); got[2] != want {
			t.Errorf("images %s: paired %s, want %s", images, got[2], want)
		}
	}
	// the root of category folders is still read as such
	sets, err = ReadMapSets(maps)
	if err != nil || len(sets) != 1 || sets[0].CategoryFolder || sets[0].Files[0] != "wood/hole/000.png" {
		t.Fatalf("map root: %+v %v", sets, err)
	}
}
