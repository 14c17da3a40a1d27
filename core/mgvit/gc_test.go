package mgvit

import (
	"runtime"
	"testing"
)

// TestDroppedModelsAreCollected guards against models outliving their last
// reference (gorgonia's tape-machine finalizer in a reference cycle kept
// every model's graphs and buffers alive: about 2 GB per training task).
func TestDroppedModelsAreCollected(t *testing.T) {
	cfg := DefaultConfig(4, 5)
	cfg.ImageSize, cfg.PatchSize, cfg.Dim, cfg.Depth, cfg.Heads, cfg.MLPRatio = 32, 8, 48, 6, 4, 2
	cfg.MaskLayers, cfg.GradFromBlock, cfg.ProjHidden, cfg.ProjOut = 3, 4, 64, 32
	n := 16
	b := Batch{Labels: make([]int, n), Weights: make([]float32, n)}
	for v := range 2 {
		b.Views[v] = make([]float32, n*3*32*32)
		b.Masks[v] = make([]float32, n*32*32)
	}
	for i := range b.Labels {
		b.Labels[i] = -1
		if i < 4 {
			b.Labels[i] = i
		}
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	var first uint64
	for round := range 4 {
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.TrainStep(b, 0.07); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Infer(b.Views[0], b.Masks[0], n); err != nil {
			t.Fatal(err)
		}
		m = nil
		h := heap()
		if round == 0 {
			first = h
			continue
		}
		if h > first+8<<20 {
			t.Fatalf("after %d dropped models the heap grew from %d MB to %d MB", round+1, first>>20, h>>20)
		}
	}
}
