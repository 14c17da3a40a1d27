package mgvit

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Attention runs the inference forward of Infer (same masking, same
// arithmetic, same chunks of images) on n images [n,3,S,S] with masks
// [n,S,S] and returns, for every block, the attention weights of the [CLS]
// query over the patch tokens: maps[block][sample] has Grid()·Grid()
// values, the patch grid in row-major order, averaged over the heads. The
// [CLS]-to-[CLS] weight is left out, so a map sums to 1 minus that weight.
// In a masked block whose placement masks the [CLS] row (cls, all), patches
// outside the pooled mask get exactly 0.
//
// It uses its own graph, built on first use, so TrainStep and Infer are
// unaffected.
func (m *Model) Attention(images, masks []float32, n int) ([][][]float32, error) {
	full, err := m.clsAttention(images, masks, n)
	if err != nil {
		return nil, err
	}
	for _, block := range full {
		for i, row := range block {
			block[i] = row[1:]
		}
	}
	return full, nil
}

// clsAttention is Attention with the [CLS] self weight kept at index 0:
// [block][sample][Tokens()].
func (m *Model) clsAttention(images, masks []float32, n int) ([][][]float32, error) {
	s := m.cfg.ImageSize
	if n < 0 || len(images) != n*3*s*s || len(masks) != n*s*s {
		return nil, fmt.Errorf("mgvit: attention got %d image and %d mask values for n=%d, S=%d", len(images), len(masks), n, s)
	}
	if m.attn == nil {
		gr, err := buildGraph(m.cfg, m.params, tensor.Float32, inferChunk, attentionGraph)
		if err != nil {
			return nil, err
		}
		m.attn = gr
	}
	gr := m.attn
	t := m.cfg.Tokens()
	maps := make([][][]float32, m.cfg.Depth)
	for lo := 0; lo < n; lo += inferChunk {
		k := min(inferChunk, n-lo)
		clear(gr.patches.Value().Data().([]float32))
		if gr.allowed != nil {
			clear(gr.allowed.Value().Data().([]float32))
		}
		fillInputs(gr, images[lo*3*s*s:(lo+k)*3*s*s], masks[lo*s*s:(lo+k)*s*s], k, 0)
		if err := gr.run(); err != nil {
			return nil, err
		}
		for b, v := range gr.clsAttnValues {
			rows := v.Data().([]float32)
			for i := range k {
				maps[b] = append(maps[b], append([]float32(nil), rows[i*t:(i+1)*t]...))
			}
		}
	}
	return maps, nil
}
