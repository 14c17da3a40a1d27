package train

import (
	"sync"

	"github.com/anomalyncd/ancd/core/augment"
)

// sourceCacheBytes is how much decoded image and mask data one training run
// keeps in memory; items past it are decoded from disk on every use.
const sourceCacheBytes = 512 << 20

// sourceCache decodes each item once per training run (every epoch and the
// final inference read the same crops) and keeps the decoded pixels while
// their total stays within a budget. The augmenter only reads a Source, so
// sharing one across epochs cannot change results. Safe for concurrent use.
type sourceCache struct {
	items  []Item
	root   string // see Options.Root
	budget int64

	mu    sync.Mutex
	srcs  []*augment.Source
	bytes int64
}

func newSourceCache(items []Item, root string, budget int64) *sourceCache {
	return &sourceCache{items: items, root: root, budget: budget, srcs: make([]*augment.Source, len(items))}
}

// load returns item i's decoded image and mask.
func (c *sourceCache) load(i int) (augment.Source, error) {
	c.mu.Lock()
	if s := c.srcs[i]; s != nil {
		c.mu.Unlock()
		return *s, nil
	}
	c.mu.Unlock()
	src, err := c.items[i].load(c.root)
	if err != nil {
		return src, err
	}
	size := int64(len(src.Image.Pix))
	if src.Mask != nil {
		size += int64(len(src.Mask.Pix))
	}
	c.mu.Lock()
	if c.srcs[i] == nil && c.bytes+size <= c.budget {
		c.srcs[i] = &src
		c.bytes += size
	}
	c.mu.Unlock()
	return src, nil
}
