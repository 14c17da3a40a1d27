package mebin_test

import (
	"bytes"
	"image"
	"math"
	"testing"

	"github.com/anomalyncd/ancd/core/crop"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/mebin"
)

// fuzzMap turns fuzz bytes into a map: a decodable image file is used as is
// (through imageio's gray conversion), anything else is read as a raw map
// whose first two bytes give the width and height (1..64) and whose pixels
// cycle over the remaining bytes.
func fuzzMap(data []byte) *image.Gray {
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 128*128 {
			return nil // keep the fuzzer on MEBin, not on huge decodes
		}
		if img, _, err := image.Decode(bytes.NewReader(data)); err == nil {
			return imageio.ToGray(img)
		}
		return nil
	}
	if len(data) < 3 {
		return nil
	}
	w, h := 1+int(data[0])%64, 1+int(data[1])%64
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = data[2+i%(len(data)-2)]
	}
	return m
}

func FuzzMEBin(f *testing.F) {
	f.Add([]byte{10, 10, 0, 0, 0, 255, 255, 255, 0})
	f.Add([]byte{63, 20, 9, 200, 200, 200, 200, 200, 200, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := fuzzMap(data)
		if m == nil {
			return
		}
		// The map alone (degenerate range) and with a dimmer companion map.
		companion := image.NewGray(image.Rect(0, 0, 3, 3))
		companion.Pix[4] = data[len(data)-1] / 2
		for _, set := range [][]*image.Gray{{m}, {m, companion}} {
			r, res, err := mebin.Binarize(set, mebin.Params{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := res[0]
			w, h := m.Rect.Dx(), m.Rect.Dy()
			if len(got.Counts) != 64 || got.Mask.Rect.Dx() != w || got.Mask.Rect.Dy() != h {
				t.Fatalf("counts %d, mask %v", len(got.Counts), got.Mask.Rect)
			}
			if (got.EstAnomalyNum == 0) != (got.Threshold == 255) && r.Min != r.Max {
				t.Fatalf("est %d with threshold %d", got.EstAnomalyNum, got.Threshold)
			}
			for i, v := range got.Mask.Pix {
				if v != 0 && (v != 255 || int(m.Pix[(i/w)*m.Stride+i%w]) <= got.Threshold) {
					t.Fatalf("mask pixel %d = %d with raw %d, threshold %d", i, v, m.Pix[i], got.Threshold)
				}
			}
			boxes := crop.Boxes(got.Mask, got.EstAnomalyNum, w, h)
			if len(boxes) == 0 || len(boxes) > got.EstAnomalyNum+1 {
				t.Fatalf("%d boxes for est %d", len(boxes), got.EstAnomalyNum)
			}
			norm := mebin.Normalize(m, r)
			for _, b := range boxes {
				if b.Right <= b.Left || b.Bottom <= b.Up {
					if max(w, h, 3) >= 10 {
						t.Fatalf("empty box %v", b)
					}
					continue
				}
				s := crop.Score(norm, w, h, b)
				if !math.IsNaN(s) && (s < 0 || s > 1) {
					t.Fatalf("score %v of box %v", s, b)
				}
				if wgt := crop.Weight(s, 0.5); wgt < 0 || wgt > 0.5 {
					t.Fatalf("weight %v", wgt)
				}
				mc, n := crop.CutMask(got.Mask, b)
				if n > mc.Rect.Dx()*mc.Rect.Dy() {
					t.Fatalf("mask crop count %d", n)
				}
			}
		}
	})
}
