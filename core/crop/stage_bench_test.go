package crop

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/core/imageio"
)

// writeBenchMaps writes n 256x256 anomaly maps (a smooth background, one or
// two bright blobs, mild noise) as <dir>/<cat>/<type>/NNN.png, in three
// categories of two types.
func writeBenchMaps(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(300, 256))
	for i := range n {
		m := image.NewGray(image.Rect(0, 0, 256, 256))
		blobs := 1 + i%2
		cx, cy, r := make([]float64, blobs), make([]float64, blobs), make([]float64, blobs)
		for k := range blobs {
			cx[k], cy[k], r[k] = 30+rng.Float64()*196, 30+rng.Float64()*196, 8+rng.Float64()*20
		}
		for y := range 256 {
			for x := range 256 {
				v := 40 + 20*math.Sin(float64(x)/40) + 10*rng.Float64()
				for k := range blobs {
					d := math.Hypot(float64(x)-cx[k], float64(y)-cy[k])
					v += 180 * math.Exp(-d*d/(2*r[k]*r[k]))
				}
				m.Pix[y*m.Stride+x] = uint8(min(255, v))
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("cat%d", i%3), fmt.Sprintf("type%d", i/3%2), fmt.Sprintf("%03d.png", i))
		if err := imageio.WritePNG(path, m); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkRunStage300: the whole work of ancd binarize --maps (read 300
// maps of 256x256, MEBin, boxes, write the masks and mebin.json; with
// "crops" also the mask crops); reports ms/map. Run with -cpu 2 for the
// 2-core figure.
func BenchmarkRunStage300(b *testing.B) {
	b.Run("masks", func(b *testing.B) { benchRunStage(b, true) })
	b.Run("crops", func(b *testing.B) { benchRunStage(b, false) })
}

func benchRunStage(b *testing.B, skip bool) {
	maps := b.TempDir()
	writeBenchMaps(b, maps, 300)
	out := b.TempDir()
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := RunStage(StageConfig{MapsRoot: maps, Out: filepath.Join(out, fmt.Sprint(i)), SkipCrops: skip}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N*300), "ms/map")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N*300), "cpu-ms/map")
}

// cpuTime is the user + system CPU time of this process so far; on a
// shared machine it shows the work a map costs when wall times do not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
