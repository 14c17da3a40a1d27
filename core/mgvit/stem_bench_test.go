package mgvit

// BenchmarkStemFill64 times the filter-bank stem on one training view batch
// (64 images of 32 px, patch 8).

import "testing"

func BenchmarkStemFill64(b *testing.B) {
	c := narrowConfig(true)
	c.Stem = StemFilterBank
	c.ImageSize, c.PatchSize = 32, 8
	m, _ := New(c)
	st, err := newStem(c, m.Params())
	if err != nil {
		b.Fatal(err)
	}
	bt := stripeBatch(c, 64, 1)
	dst := make([]float32, 64*16*27)
	b.ResetTimer()
	for range b.N {
		stemFill(st, bt.Views[0], 64, 0, dst)
	}
}
