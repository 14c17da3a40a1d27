package imageio

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // JPEG decoder
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	_ "golang.org/x/image/bmp"  // BMP decoder
	_ "golang.org/x/image/tiff" // TIFF decoder

	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// extensions lists the file extensions (lower case, with dot) that Decode reads.
var extensions = []string{".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}

// IsImageFile reports whether name has an extension this package decodes.
func IsImageFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range extensions {
		if ext == e {
			return true
		}
	}
	return false
}

// Decode reads any supported image file. Errors name the file.
func Decode(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: truncated image file: %w", path, err)
		}
		return nil, fmt.Errorf("%s: cannot decode image: %w", path, err)
	}
	return img, nil
}

// ReadGray reads an image file as 8-bit grayscale (see the package doc for
// the conversion rules).
func ReadGray(path string) (*image.Gray, error) {
	img, err := Decode(path)
	if err != nil {
		return nil, err
	}
	return ToGray(img), nil
}

// ReadRGB reads an image file as opaque 8-bit RGB.
func ReadRGB(path string) (*image.RGBA, error) {
	img, err := Decode(path)
	if err != nil {
		return nil, err
	}
	return ToRGB(img), nil
}

// grayFromRGB is OpenCV's fixed-point BT.601 conversion.
func grayFromRGB(r, g, b uint8) uint8 {
	return uint8((4899*uint32(r) + 9617*uint32(g) + 1868*uint32(b) + 8192) >> 14)
}

// ToGray converts any image to an 8-bit gray image with origin (0,0).
func ToGray(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return out
	case *image.Gray16:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				out.Pix[y*out.Stride+x] = uint8(src.Gray16At(b.Min.X+x, b.Min.Y+y).Y >> 8)
			}
		}
		return out
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb := rgb8(img.At(b.Min.X+x, b.Min.Y+y))
			out.Pix[y*out.Stride+x] = grayFromRGB(r, g, bb)
		}
	}
	return out
}

// ToRGB converts any image to an opaque RGBA image with origin (0,0); alpha
// is dropped, not premultiplied. Gray sources are replicated into R, G and B.
func ToRGB(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bb := rgb8(img.At(b.Min.X+x, b.Min.Y+y))
			i := y*out.Stride + 4*x
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = r, g, bb, 255
		}
	}
	return out
}

// rgb8 returns the non-premultiplied 8-bit RGB of a colour.
func rgb8(c color.Color) (uint8, uint8, uint8) {
	switch v := c.(type) {
	case color.Gray:
		return v.Y, v.Y, v.Y
	case color.Gray16:
		y := uint8(v.Y >> 8)
		return y, y, y
	case color.NRGBA:
		return v.R, v.G, v.B
	case color.RGBA:
		if v.A == 255 || v.A == 0 {
			return v.R, v.G, v.B
		}
	case color.NRGBA64:
		return uint8(v.R >> 8), uint8(v.G >> 8), uint8(v.B >> 8)
	}
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	return uint8(n.R >> 8), uint8(n.G >> 8), uint8(n.B >> 8)
}

// DirPNGWriter writes PNGs inside a folder that is itself built atomically
// (atomicfile.Dir): no temporary file, rename or fsync per file, the
// fastest deflate level and encoder buffers reused across calls (and
// goroutines). The decoded pixels are those WritePNG gives; only the
// compressed bytes differ. The zero value is ready to use.
type DirPNGWriter struct {
	buffers sync.Pool
}

// Get and Put make the writer a png.EncoderBufferPool.
func (w *DirPNGWriter) Get() *png.EncoderBuffer {
	b, _ := w.buffers.Get().(*png.EncoderBuffer)
	return b
}

// Put returns an encoder buffer for reuse.
func (w *DirPNGWriter) Put(b *png.EncoderBuffer) { w.buffers.Put(b) }

// Write encodes img as PNG at path, creating parent folders.
func (w *DirPNGWriter) Write(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 32<<10)
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: w}
	if err := enc.Encode(bw, img); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// WritePNG encodes img as PNG at path atomically, creating parent folders.
func WritePNG(path string, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	return atomicfile.Write(path, func(w io.Writer) error { return enc.Encode(w, img) })
}

// SameSize reports an error naming both files when two rasters differ in size.
func SameSize(aPath string, a image.Rectangle, bPath string, b image.Rectangle) error {
	if a.Dx() != b.Dx() || a.Dy() != b.Dy() {
		return fmt.Errorf("size mismatch: %s is %dx%d but %s is %dx%d", aPath, a.Dx(), a.Dy(), bPath, b.Dx(), b.Dy())
	}
	return nil
}
