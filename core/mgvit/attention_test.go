package mgvit

import (
	"fmt"
	"math"
	"runtime"
	"testing"
)

// attentionInputs returns the views and masks of view 0 of a synthetic batch.
func attentionInputs(c Config, n int, seed uint64) (images, masks []float32) {
	b := syntheticBatch(c, n, 0, seed)
	return b.Views[0], b.Masks[0]
}

func TestAttentionRespectsMaskAndSumsToOne(t *testing.T) {
	const n = 5
	for _, tc := range []struct {
		placement Placement
		clsMasked bool // the [CLS] row of the masked block is restricted
	}{
		{PlacementCLS, true},
		{PlacementAll, true},
		{PlacementPatch, false},
		{PlacementNone, false},
	} {
		t.Run(string(tc.placement), func(t *testing.T) {
			c := tinyConfig() // block 0 plain, block 1 masked (MaskLayers 1)
			c.MaskPlacement = tc.placement
			m, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			images, masks := attentionInputs(c, n, 21)
			full, err := m.clsAttention(images, masks, n)
			if err != nil {
				t.Fatal(err)
			}
			allowed := make([]float32, n*c.Tokens())
			poolMask(c, masks, n, 0, allowed)
			if len(full) != c.Depth {
				t.Fatalf("%d blocks, want %d", len(full), c.Depth)
			}
			for blk, rows := range full {
				restricted := tc.clsMasked && c.Masked(blk)
				if len(rows) != n {
					t.Fatalf("block %d: %d samples, want %d", blk, len(rows), n)
				}
				for i, row := range rows {
					if len(row) != c.Tokens() {
						t.Fatalf("block %d sample %d: %d weights, want %d", blk, i, len(row), c.Tokens())
					}
					var sum float64
					zeros := 0
					for j, w := range row {
						sum += float64(w)
						outside := allowed[i*c.Tokens()+j] == 0
						switch {
						case restricted && outside && w != 0:
							t.Errorf("block %d sample %d: patch %d outside the mask has weight %g", blk, i, j-1, w)
						case !(restricted && outside) && w <= 0:
							t.Errorf("block %d sample %d: token %d has weight %g, want > 0", blk, i, j, w)
						}
						if w == 0 {
							zeros++
						}
					}
					if math.Abs(sum-1) > 1e-5 {
						t.Errorf("block %d sample %d: row sums to %.8f", blk, i, sum)
					}
					if restricted && zeros == 0 {
						t.Errorf("block %d sample %d: the mask excluded no patch; the test checks nothing", blk, i)
					}
				}
			}
			// The exported maps are the same rows without the [CLS] weight.
			maps, err := m.Attention(images, masks, n)
			if err != nil {
				t.Fatal(err)
			}
			for blk := range maps {
				for i, mp := range maps[blk] {
					if len(mp) != c.Grid()*c.Grid() {
						t.Fatalf("block %d sample %d: map of %d, want %d", blk, i, len(mp), c.Grid()*c.Grid())
					}
					for j, w := range mp {
						if w != full[blk][i][j+1] {
							t.Fatalf("block %d sample %d patch %d: %g, full row has %g", blk, i, j, w, full[blk][i][j+1])
						}
					}
				}
			}
		})
	}
}

// TestAttentionUsesTheInferForward checks that the attention graph computes
// bit for bit the features of Infer and leaves Infer's results unchanged.
func TestAttentionUsesTheInferForward(t *testing.T) {
	c := tinyConfig()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	images, masks := attentionInputs(c, n, 5)
	before, err := m.Infer(images, masks, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Attention(images, masks, n); err != nil {
		t.Fatal(err)
	}
	feat := m.attn.featureValue.Data().([]float32)
	for i := range n {
		for j, v := range before.Features[i] {
			if feat[i*c.Dim+j] != v {
				t.Fatalf("sample %d feature %d: attention graph %g, Infer %g", i, j, feat[i*c.Dim+j], v)
			}
		}
	}
	after, err := m.Infer(images, masks, n)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("Infer changed after Attention")
	}
}

func attentionFingerprint(t *testing.T, c Config, images, masks []float32, n int) string {
	t.Helper()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	maps, err := m.Attention(images, masks, n)
	if err != nil {
		t.Fatal(err)
	}
	s := ""
	for _, blk := range maps {
		for _, mp := range blk {
			for _, w := range mp {
				s += fmt.Sprintf("%x,", math.Float32bits(w))
			}
		}
	}
	return s
}

func TestAttentionIsDeterministicAcrossRunsThreadsAndChunks(t *testing.T) {
	c := tinyConfig()
	c.ImageSize, c.Dim, c.Heads = 32, 16, 4
	const n = inferChunk + 3 // two chunks
	images, masks := attentionInputs(c, n, 9)
	want := attentionFingerprint(t, c, images, masks, n)
	for _, procs := range []int{1, 2, 4} {
		prev := runtime.GOMAXPROCS(procs)
		got := attentionFingerprint(t, c, images, masks, n)
		runtime.GOMAXPROCS(prev)
		if got != want {
			t.Errorf("GOMAXPROCS=%d: attention maps differ from the first run", procs)
		}
	}
	// A sample's maps do not depend on the other samples of its chunk.
	s := c.ImageSize
	last := n - 1
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := m.Attention(images[last*3*s*s:], masks[last*s*s:], 1)
	if err != nil {
		t.Fatal(err)
	}
	all, err := m.Attention(images, masks, n)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(alone[c.Depth-1][0]) != fmt.Sprint(all[c.Depth-1][last]) {
		t.Error("the last sample's map differs when run alone")
	}
}

func TestAttentionRejectsWrongSizes(t *testing.T) {
	c := tinyConfig()
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	s := c.ImageSize
	for _, tc := range []struct {
		name          string
		images, masks int
		n             int
	}{
		{"short images", 2*3*s*s - 1, 2 * s * s, 2},
		{"short masks", 2 * 3 * s * s, s * s, 2},
		{"negative n", 0, 0, -1},
	} {
		if _, err := m.Attention(make([]float32, tc.images), make([]float32, tc.masks), tc.n); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func ExampleModel_Attention() {
	c := DefaultConfig(2, 3)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = 16, 4, 8, 2, 2
	c.MaskLayers, c.GradFromBlock, c.ProjHidden, c.ProjOut = 1, 1, 12, 6
	m, _ := New(c)
	s := c.ImageSize
	images := make([]float32, 3*s*s)
	masks := make([]float32, s*s)
	for y := range s / 2 { // anomaly in the top-left quarter: patches 0, 1, 4, 5
		for x := range s / 2 {
			masks[y*s+x] = 1
		}
	}
	maps, _ := m.Attention(images, masks, 1)
	last := maps[len(maps)-1][0] // masked block: [CLS] attends only inside the mask
	fmt.Println(len(maps), len(last), last[0] > 0, last[2], last[15])
	// Output: 2 16 true 0 0
}

// BenchmarkAttention compares Infer with Attention (which adds one
// read-out of the [CLS] attention row per block) on 16 images.
func BenchmarkAttention(b *testing.B) {
	c := tinyConfig()
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads, c.MaskLayers = 64, 8, 48, 4, 4, 3
	const n = 16
	images, masks := attentionInputs(c, n, 1)
	m, err := New(c)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("infer", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Infer(images, masks, n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("attention", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Attention(images, masks, n); err != nil {
				b.Fatal(err)
			}
		}
	})
}
