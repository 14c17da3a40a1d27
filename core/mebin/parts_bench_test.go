package mebin

import "testing"

func BenchmarkWindowMin256(b *testing.B) {
	maps, _ := benchSet()
	var s scratch
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		windowMin(newRaster(maps[i%len(maps)]), &s)
	}
}

func BenchmarkSweepCounts256(b *testing.B) {
	maps, r := benchSet()
	ts := Thresholds(DefaultSampleRate)
	level := levels(r, ts)
	var s scratch
	eroded := make([][]uint8, len(maps))
	for i, m := range maps {
		eroded[i] = append([]uint8(nil), windowMin(newRaster(m), &s)...)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sweepCounts(eroded[i%len(maps)], 256, 256, &level, len(ts), &s)
	}
}
