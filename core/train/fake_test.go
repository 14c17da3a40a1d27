package train

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"testing"

	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/optim"
)

// fakeModel is a linear classifier on four per-view statistics (mean R, G,
// B of the normalised view and mean mask): logits = W·f + b for 2 heads
// sharing W, b. It follows the StepModel contract, including the skip rule.
type fakeModel struct {
	classes, size int
	params        []*optim.Param
}

const fakeFeatures = 4

func newFakeModel(classes, size int) *fakeModel {
	m := &fakeModel{classes: classes, size: size}
	w := make([]float32, classes*fakeFeatures)
	for i := range w {
		w[i] = float32(i%5)*0.1 - 0.2
	}
	m.params = []*optim.Param{
		{Name: "w", Shape: []int{classes, fakeFeatures}, Value: w, Grad: make([]float32, len(w)), Train: true, Decay: true},
		{Name: "b", Shape: []int{classes}, Value: make([]float32, classes), Grad: make([]float32, classes), Train: true},
		{Name: "frozen", Shape: []int{2}, Value: []float32{1, 2}, Grad: make([]float32, 2)},
	}
	return m
}

func (m *fakeModel) Params() []*optim.Param { return m.params }

func (m *fakeModel) features(img, mask []float32, i int) []float32 {
	s := m.size
	f := make([]float32, fakeFeatures)
	for c := range 3 {
		var sum float32
		for _, v := range img[(i*3+c)*s*s : (i*3+c+1)*s*s] {
			sum += v
		}
		f[c] = sum / float32(s*s)
	}
	var ms float32
	for _, v := range mask[i*s*s : (i+1)*s*s] {
		ms += v
	}
	f[3] = ms / float32(s*s)
	return f
}

func (m *fakeModel) logits(f []float32) []float32 {
	w, b := m.params[0].Value, m.params[1].Value
	out := make([]float32, m.classes)
	for c := range out {
		out[c] = b[c]
		for k, v := range f {
			out[c] += w[c*fakeFeatures+k] * v
		}
	}
	return out
}

func (m *fakeModel) TrainStep(b mgvit.Batch, tau float64) (mgvit.Losses, error) {
	for _, p := range m.params {
		clear(p.Grad)
	}
	lab, unl := 0, 0
	for _, l := range b.Labels {
		if l >= 0 {
			lab++
		} else {
			unl++
		}
	}
	if lab == 0 || unl == 0 {
		return mgvit.Losses{}, fmt.Errorf("%w: fake", mgvit.ErrSkippedBatch)
	}
	n := len(b.Labels)
	gw, gb := m.params[0].Grad, m.params[1].Grad
	var loss float64
	for v := range 2 {
		for i := 0; i < n; i++ {
			f := m.features(b.Views[v], b.Masks[v], i)
			lg := m.logits(f)
			for c := range lg {
				var t float32
				if b.Labels[i] == c || (b.Labels[i] < 0 && c == 0) {
					t = 1
				}
				if b.Labels[i] < 0 {
					t *= b.Weights[i]
				}
				d := (lg[c] - t) / float32(2*n)
				loss += 0.5 * float64(d*d) * float64(2*n)
				gb[c] += d
				for k := range f {
					gw[c*fakeFeatures+k] += d * f[k]
				}
			}
		}
	}
	head1 := loss * (1 + 0.01*tau + float64(m.params[0].Value[0]))
	return mgvit.Losses{Total: loss, Cluster: loss, ClusterPerHead: []float64{loss, head1}}, nil
}

func (m *fakeModel) Infer(images, masks []float32, n int) (mgvit.Output, error) {
	out := mgvit.Output{Logits: make([][][]float32, 2)}
	for i := 0; i < n; i++ {
		f := m.features(images, masks, i)
		lg := m.logits(f)
		out.Logits[0] = append(out.Logits[0], lg)
		out.Logits[1] = append(out.Logits[1], lg[:len(lg):len(lg)])
		var norm float64
		for _, v := range f {
			norm += float64(v * v)
		}
		for k := range f {
			f[k] /= float32(math.Sqrt(norm))
		}
		out.Features = append(out.Features, f)
	}
	return out, nil
}

// writeCrops writes n small crops (image + mask) and returns the items:
// the first nLab labeled with classes 0/1, the rest unlabeled.
func writeCrops(t testing.TB, dir string, n, nLab int) []Item {
	t.Helper()
	var items []Item
	for k := range n {
		w, h := 14+k%5, 12+k%3
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		mask := image.NewGray(img.Rect)
		for y := range h {
			for x := range w {
				img.SetRGBA(x, y, color.RGBA{uint8(17 * k), uint8(x * 255 / w), uint8(y * 255 / h), 255})
				if x > k%4 && y < h/2 {
					mask.SetGray(x, y, color.Gray{255})
				}
			}
		}
		ip := filepath.Join(dir, fmt.Sprintf("c%02d.png", k))
		mp := filepath.Join(dir, fmt.Sprintf("c%02d_mask.png", k))
		if err := imageio.WritePNG(ip, img); err != nil {
			t.Fatal(err)
		}
		if err := imageio.WritePNG(mp, mask); err != nil {
			t.Fatal(err)
		}
		it := Item{Image: ip, Mask: mp, Label: -1, Weight: float32(k%3) * 0.2, Group: fmt.Sprintf("g/%d.png", k/2)}
		if k < nLab {
			it.Label, it.Weight = k%2, 0
		}
		items = append(items, it)
	}
	return items
}

func testConfig() Config {
	c := DefaultConfig()
	c.Epochs, c.BatchSize, c.ImageSize, c.Seed, c.LR = 4, 4, 16, 11, 0.5
	return c
}
