package augment

import (
	"image"
	"slices"
	"testing"
)

// TestRegionMask: a region mask is binary, never empty, covers at most half
// of the image (less where an edge clips it) and depends only on its key's
// Seed, Epoch and Index.
func TestRegionMask(t *testing.T) {
	b := image.Rect(0, 0, 64, 48)
	for i := range 300 {
		k := Key{Seed: 5, Epoch: i % 3, Index: i}
		m := regionMask(k.regionRand(), b)
		on := 0
		for _, v := range m.Pix {
			switch v {
			case 255:
				on++
			case 0:
			default:
				t.Fatalf("key %+v: mask value %d", k, v)
			}
		}
		if on == 0 || float64(on) > 0.5*float64(64*48)+64+48 {
			t.Fatalf("key %+v: %d of %d pixels set", k, on, 64*48)
		}
		k.View = 1
		if again := regionMask(k.regionRand(), b); !slices.Equal(again.Pix, m.Pix) {
			t.Fatalf("key %+v: the mask depends on the view", k)
		}
	}
}

// TestRegionMasksOnlyWhereNoMask: with RegionMasks a sample without a mask
// gets a non-empty one in both views, and a sample with a mask keeps its
// own (its views equal the plain views).
func TestRegionMasksOnlyWhereNoMask(t *testing.T) {
	withMask := testSource(40, 40, 1)
	noMask := testSource(40, 40, 2)
	noMask.Mask = nil
	srcs := []Source{withMask, noMask}
	load := func(i int) (Source, error) { return srcs[i], nil }
	key := func(i int) Key { return Key{Seed: 3, Index: i} }
	const s = 16
	run := func(opts ...Option) [2][]float32 {
		a, err := New(s, 1, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var v, m [2][]float32
		for k := range 2 {
			v[k], m[k] = make([]float32, 2*3*s*s), make([]float32, 2*s*s)
		}
		if err := a.TrainBatch(2, load, key, &v, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	plain, region := run(), run(RegionMasks())
	for v := range 2 {
		if !slices.Equal(plain[v][:s*s], region[v][:s*s]) {
			t.Errorf("view %d: a sample's own mask was replaced", v)
		}
		if slices.Max(plain[v][s*s:]) != 0 {
			t.Errorf("view %d: a sample without a mask has a mask without RegionMasks", v)
		}
		if slices.Max(region[v][s*s:]) == 0 {
			t.Errorf("view %d: no region mask for the sample without one", v)
		}
	}
}
