package train

import (
	"bytes"
	"os"
	"testing"
)

// A cached item is decoded once: after its files are gone it still loads,
// with the same pixels; past the budget nothing is kept.
func TestSourceCacheKeepsDecodedItemsWithinBudget(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 3, 1)
	for _, tc := range []struct {
		name   string
		budget int64
		cached bool
	}{
		{"room for all", 1 << 20, true},
		{"no room", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newSourceCache(items, "", tc.budget)
			first, err := c.load(1)
			if err != nil {
				t.Fatal(err)
			}
			again, err := c.load(1)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Image.Pix, again.Image.Pix) || !bytes.Equal(first.Mask.Pix, again.Mask.Pix) {
				t.Fatal("a second load returned other pixels")
			}
			if (c.bytes > 0) != tc.cached {
				t.Fatalf("cached %d bytes, want cached=%v", c.bytes, tc.cached)
			}
		})
	}
	c := newSourceCache(items, "", 1<<20)
	if _, err := c.load(2); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(items[2].Image); err != nil {
		t.Fatal(err)
	}
	if _, err := c.load(2); err != nil {
		t.Fatalf("cached item read from disk again: %v", err)
	}
	if _, err := newSourceCache(items, "", 1<<20).load(2); err == nil {
		t.Fatal("a fresh cache loaded a deleted file")
	}
}
