package mgvit

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/anomalyncd/ancd/core/optim"
)

// BenchOptions configures BenchTrain.
type BenchOptions struct {
	Model Config
	Batch int // samples per step (each with two views)
	Steps int // timed steps after one warm-up step
	LR    float64
}

// BenchResult is what BenchTrain measured.
type BenchResult struct {
	StepSeconds  []float64 // wall time of each timed step (forward, backward, SGD)
	ImagesPerSec float64   // 2*Batch*Steps / total time
	PeakRSSKiB   int64     // VmHWM from /proc/self/status (0 if unavailable)
}

// BenchTrain times full training steps (forward, backward, SGD update) of a
// model on synthetic inputs, after one warm-up step, and writes one line per
// step, the peak RSS, the float32 gemm ("blas: pure-go" or "blas: openblas")
// and, last, "images/s: X" to w.
func BenchTrain(o BenchOptions, w io.Writer) (BenchResult, error) {
	var res BenchResult
	if o.Batch < 2 || o.Steps < 1 {
		return res, fmt.Errorf("mgvit: bench needs batch >= 2 and steps >= 1, got %d and %d", o.Batch, o.Steps)
	}
	m, err := New(o.Model)
	if err != nil {
		return res, err
	}
	sgd, err := optim.NewSGD(m.Params(), optim.ReferenceSGD())
	if err != nil {
		return res, err
	}
	b := benchBatch(o.Model, o.Batch)
	step := func() error {
		if _, err := m.TrainStep(b, 0.07); err != nil {
			return err
		}
		sgd.Step(o.LR)
		return nil
	}
	if err := step(); err != nil {
		return res, err
	}
	var total time.Duration
	for i := range o.Steps {
		start := time.Now()
		if err := step(); err != nil {
			return res, err
		}
		d := time.Since(start)
		total += d
		res.StepSeconds = append(res.StepSeconds, d.Seconds())
		fmt.Fprintf(w, "step %d: %.3f s\n", i+1, d.Seconds())
	}
	res.PeakRSSKiB = peakRSSKiB()
	res.ImagesPerSec = float64(2*o.Batch*o.Steps) / total.Seconds()
	fmt.Fprintf(w, "peak RSS: %.1f MiB\n", float64(res.PeakRSSKiB)/1024)
	fmt.Fprintf(w, "blas: %s\n", BLASBackend())
	fmt.Fprintf(w, "images/s: %.1f\n", res.ImagesPerSec)
	return res, nil
}

// benchBatch is a deterministic synthetic batch: half labelled, centred masks.
func benchBatch(c Config, n int) Batch {
	s := c.ImageSize
	var b Batch
	for v := range 2 {
		b.Views[v] = make([]float32, n*3*s*s)
		for i := range b.Views[v] {
			b.Views[v][i] = float32((i*7+v*13)%17)/8 - 1
		}
		b.Masks[v] = make([]float32, n*s*s)
		for i := range n {
			for y := s / 4; y < 3*s/4; y++ {
				for x := s / 4; x < 3*s/4; x++ {
					b.Masks[v][i*s*s+y*s+x] = 1
				}
			}
		}
	}
	for i := range n {
		if i%2 == 0 && c.NumLabeled > 0 && !c.Loss.NoLabeled {
			b.Labels = append(b.Labels, i/2%c.NumLabeled)
			b.Weights = append(b.Weights, 0)
		} else {
			b.Labels = append(b.Labels, -1)
			b.Weights = append(b.Weights, 0.2)
		}
	}
	return b
}

// peakRSSKiB reads VmHWM (kB) from /proc/self/status.
func peakRSSKiB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	return 0
}
