package crop

import (
	"image"
	"testing"

	"github.com/anomalyncd/ancd/core/mebin"
)

// benchMask is a 256x256 mask with 5 regions, two of them close enough to
// merge, and one ring with a region in its hole.
func benchMask() *image.Gray {
	m := image.NewGray(image.Rect(0, 0, 256, 256))
	fill(m, 10, 10, 40, 30)
	fill(m, 60, 12, 70, 28)
	fill(m, 150, 150, 200, 210)
	clear(m, 160, 160, 190, 200)
	fill(m, 170, 170, 180, 180)
	fill(m, 240, 5, 250, 9)
	return m
}

// BenchmarkBoxes256: regions, boxes and merging of one 256x256 mask.
func BenchmarkBoxes256(b *testing.B) {
	m := benchMask()
	for i := 0; i < b.N; i++ {
		Boxes(m, 5, 256, 256)
	}
}

// BenchmarkCropsAndScores256: RGB crop, mask crop and score of every box.
func BenchmarkCropsAndScores256(b *testing.B) {
	m := benchMask()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	norm := mebin.Normalize(m, mebin.Range{Min: 100, Max: 255})
	boxes := Boxes(m, 5, 256, 256)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, bx := range boxes {
			CutRGB(img, bx)
			CutMask(m, bx)
			Score(norm, 256, 256, bx)
		}
	}
}
