package mebin

import (
	"image"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkMEBinSpeedup times the fast path (Binarize, one worker, whole
// set) and the straightforward per-threshold implementation of
// reference_test.go on the same 256x256 maps in the same run, so that the
// ratio holds on a loaded machine. One op is one Binarize call over the set;
// every refEvery-th op also runs the straightforward version on one map.
// Metrics per map: fast-ns (wall), fast-cpu-ns (process CPU time),
// straight-ns, straight-cpu-ns, and the ratios speedup (wall) and
// cpu-speedup.
func BenchmarkMEBinSpeedup(b *testing.B) {
	smooth := make([]*image.Gray, 8)
	rng := rand.New(rand.NewPCG(43, 0))
	for i := range smooth {
		smooth[i] = smoothMap(rng, 256, 256)
	}
	noisy, _ := benchSet()
	for _, set := range []struct {
		name string
		maps []*image.Gray
	}{{"smooth", smooth}, {"noisy", noisy}} {
		b.Run(set.name, func(b *testing.B) { benchSpeedup(b, set.maps) })
	}
}

func benchSpeedup(b *testing.B, maps []*image.Gray) {
	const refEvery = 32
	r, err := SearchRange(maps)
	if err != nil {
		b.Fatal(err)
	}
	var fastWall, fastCPU, refWall, refCPU time.Duration
	fastMaps, refMaps := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w0, c0 := time.Now(), processCPU()
		if _, _, err := Binarize(maps, Params{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		fastWall += time.Since(w0)
		fastCPU += processCPU() - c0
		fastMaps += len(maps)
		if i%refEvery == 0 {
			w0, c0 := time.Now(), processCPU()
			refBinarize(maps[(i/refEvery)%len(maps)], r, Params{})
			refWall += time.Since(w0)
			refCPU += processCPU() - c0
			refMaps++
		}
	}
	perMap := func(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(n) }
	b.ReportMetric(perMap(fastWall, fastMaps), "fast-ns/map")
	b.ReportMetric(perMap(fastCPU, fastMaps), "fast-cpu-ns/map")
	b.ReportMetric(perMap(refWall, refMaps), "straight-ns/map")
	b.ReportMetric(perMap(refCPU, refMaps), "straight-cpu-ns/map")
	b.ReportMetric(perMap(refWall, refMaps)/perMap(fastWall, fastMaps), "speedup")
	if fastCPU > 0 {
		b.ReportMetric(perMap(refCPU, refMaps)/perMap(fastCPU, fastMaps), "cpu-speedup")
	}
}
