package imageio

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGrayConversionMatchesOpenCV(t *testing.T) {
	cases := []struct {
		r, g, b, want uint8
	}{
		{0, 0, 0, 0},
		{255, 255, 255, 255},
		{255, 0, 0, 76},
		{0, 255, 0, 150},
		{0, 0, 255, 29},
		{10, 200, 30, 124},
	}
	for _, c := range cases {
		if got := grayFromRGB(c.r, c.g, c.b); got != c.want {
			t.Errorf("gray(%d,%d,%d)=%d want %d", c.r, c.g, c.b, got, c.want)
		}
	}
}

func TestSixteenBitScaledByHighByte(t *testing.T) {
	img := image.NewGray16(image.Rect(0, 0, 2, 1))
	img.SetGray16(0, 0, color.Gray16{Y: 0xABCD})
	img.SetGray16(1, 0, color.Gray16{Y: 0x00FF})
	p := filepath.Join(t.TempDir(), "m.png")
	f, _ := os.Create(p)
	png.Encode(f, img)
	f.Close()
	g, err := ReadGray(p)
	if err != nil {
		t.Fatal(err)
	}
	if g.Pix[0] != 0xAB || g.Pix[1] != 0 {
		t.Fatalf("got %v", g.Pix)
	}
}

func TestRoundTripAndTruncated(t *testing.T) {
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 10)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	p := filepath.Join(dir, "a.png")
	if err := WritePNG(p, img); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRGB(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(back.Pix) != string(img.Pix) {
		t.Fatal("round trip changed pixels")
	}
	data, _ := os.ReadFile(p)
	bad := filepath.Join(dir, "bad.png")
	os.WriteFile(bad, data[:len(data)/2], 0o644)
	if _, err := ReadGray(bad); err == nil || !strings.Contains(err.Error(), "bad.png") {
		t.Fatalf("want error naming the file, got %v", err)
	}
}

func TestIsImageFile(t *testing.T) {
	for name, want := range map[string]bool{"a.PNG": true, "b.tiff": true, "c.bmp": true, "d.txt": false, "e": false} {
		if IsImageFile(name) != want {
			t.Errorf("%s", name)
		}
	}
}
