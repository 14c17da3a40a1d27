package main

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
)

// TestBinarizeCategoryFolder: `ancd binarize --maps <root>/<category>`
// reads that category's type folders as one set.
func TestBinarizeCategoryFolder(t *testing.T) {
	root := t.TempDir()
	for i, f := range []string{"wood/hole/000.png", "wood/hole/001.png", "wood/scratch/000.png", "cable/bent/000.png"} {
		m := image.NewGray(image.Rect(0, 0, 32, 32))
		for y := 8; y < 16+i; y++ {
			for x := 8; x < 16; x++ {
				m.Pix[y*32+x] = uint8(120 + 40*i)
			}
		}
		if err := imageio.WritePNG(filepath.Join(root, filepath.FromSlash(f)), m); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "bin")
	text := runAncd(t, "binarize", "--maps", filepath.Join(root, "wood"), "--out", out)
	if !strings.Contains(text, "mebin: 1 sets, 3 maps") {
		t.Errorf("output %q", text)
	}
	b, err := os.ReadFile(filepath.Join(out, "mebin.json"))
	if err != nil || !strings.Contains(string(b), `"category":"wood"`) || !strings.Contains(string(b), `"file":"scratch/000.png"`) {
		t.Errorf("mebin.json: %v\n%s", err, b)
	}
}
