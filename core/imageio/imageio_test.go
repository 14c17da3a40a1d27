package imageio

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
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

// TestDirPNGWriterSamePixels: the fast writer's files decode to the pixels
// WritePNG's do (only the compressed bytes differ), for gray and RGBA
// images, from several goroutines sharing one writer.
func TestDirPNGWriterSamePixels(t *testing.T) {
	dir := t.TempDir()
	gray := image.NewGray(image.Rect(0, 0, 61, 37))
	rgba := image.NewRGBA(image.Rect(0, 0, 29, 53))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 7 % 251)
	}
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(i * 13 % 256)
		if i%4 == 3 {
			rgba.Pix[i] = 255
		}
	}
	var w DirPNGWriter
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k, img := range []image.Image{gray, rgba} {
				if err := w.Write(filepath.Join(dir, "fast", fmt.Sprint(i), fmt.Sprintf("%d.png", k)), img); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for k, img := range []image.Image{gray, rgba} {
		ref := filepath.Join(dir, fmt.Sprintf("ref%d.png", k))
		if err := WritePNG(ref, img); err != nil {
			t.Fatal(err)
		}
		want := decodeFile(t, ref)
		for i := range 8 {
			got := decodeFile(t, filepath.Join(dir, "fast", fmt.Sprint(i), fmt.Sprintf("%d.png", k)))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("image %d, goroutine %d: decoded pixels differ from WritePNG's", k, i)
			}
		}
	}
}

func decodeFile(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
