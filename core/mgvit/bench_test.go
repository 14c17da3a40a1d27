package mgvit

import "testing"

// benchConfig is the brief's benchmark setting: 64 px, patch 8, D=96,
// depth 4, 4 heads, mask in the last 2 blocks.
func benchConfig() Config {
	c := DefaultConfig(4, 5)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = 64, 8, 96, 4, 4
	c.MaskLayers, c.GradFromBlock = 2, 3
	return c
}

// quickProfileConfig is the model of the quick study profile
// (configs/profiles/quick.yaml), the one make ablations trains.
func quickProfileConfig() Config {
	c := DefaultConfig(4, 5)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads, c.MLPRatio = 32, 8, 48, 12, 4, 2
	c.GradFromBlock, c.ProjHidden, c.ProjOut, c.MaskLayers = 8, 128, 64, 6
	return c
}

func BenchmarkTrainStep(b *testing.B) {
	b.Run("bench", func(b *testing.B) { benchmarkTrainStep(b, benchConfig()) })
	b.Run("quick-profile", func(b *testing.B) { benchmarkTrainStep(b, quickProfileConfig()) })
}

func benchmarkTrainStep(b *testing.B, c Config) {
	m, err := New(c)
	if err != nil {
		b.Fatal(err)
	}
	batch := benchBatch(c, 32)
	if _, err := m.TrainStep(batch, 0.07); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.TrainStep(batch, 0.07); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(64*b.N)/b.Elapsed().Seconds(), "images/s")
}
