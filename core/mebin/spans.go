package mebin

import (
	"encoding/binary"
	"math/bits"

	"github.com/anomalyncd/ancd/internal/buf"
)

// span is a maximal horizontal run of pixels with the same activation level
// in one row: columns x0..x1 of row y.
type span struct{ x0, x1, y int32 }

// spanTable holds the spans of a level map in raster order (span ids are
// indices into spans) and, per row, a bitmap of the columns where a span
// starts, so that the span covering any pixel is found with one popcount.
// The zero value is an empty table ready to be filled by build.
type spanTable struct {
	w, words int      // map width; bitmap words per row
	spans    []span   // all spans, inactive ones included
	level    []uint8  // activation level of each span
	starts   []uint64 // row y, word k: bit b set when a span starts at column 64k+b
	before   []int32  // row y, word k: number of spans that start before column 64k of row y, over the whole map
	rowStart []int32  // id of the first span of row y; rowStart[h] is the number of spans
}

// at returns the id of the span that covers column x of row y.
func (t *spanTable) at(x, y int) int32 {
	i := y*t.words + x>>6
	below := t.starts[i] & (uint64(2)<<uint(x&63) - 1) // bits 0..x&63
	return t.before[i] + int32(bits.OnesCount64(below)) - 1
}

// SWAR constants: byte masks and the multiplier that gathers the low bit of
// each byte into the top byte (byte k's bit lands at bit 56+k).
const (
	lowBits7   = 0x7f7f7f7f7f7f7f7f
	highBits   = 0x8080808080808080
	gatherBits = 0x0102040810204080
)

// build fills the table from a map of raw values, each pixel's activation
// level being level[v], and returns the number of spans of every level
// (levels above 255 cannot occur).
func (t *spanTable) build(pix []uint8, w, h int, level *[256]uint8, s *scratch) (hist [256]int32) {
	t.w, t.words = w, (w+63)>>6
	t.starts = buf.Resize(t.starts, h*t.words)
	t.before = buf.Resize(t.before, h*t.words)
	t.spans, t.level = t.spans[:0], t.level[:0]
	t.rowStart = buf.Resize(t.rowStart, h+1)
	s.levels = buf.Resize(s.levels, t.words*64)
	lv := s.levels
	cut := activeCut(level)
	for y := 0; y < h; y++ {
		t.rowStart[y] = int32(len(t.spans))
		mapLevels(lv[:w], pix[y*w:(y+1)*w], level, cut)
		// Padding repeats the last level so that it starts no span.
		last := lv[w-1]
		for x := w; x < len(lv); x++ {
			lv[x] = last
		}
		// A span starts where the level differs from the left neighbour's;
		// column 0 always starts one (prev holds a different first byte).
		prev := uint64(^lv[0])
		for k := 0; k < t.words; k++ {
			var word uint64
			for b := 0; b < 8; b++ {
				cur := binary.LittleEndian.Uint64(lv[k*64+b*8:])
				d := cur ^ (cur<<8 | prev)
				prev = cur >> 56
				nonzero := ((d&lowBits7 + lowBits7) | d) & highBits
				word |= (nonzero >> 7 * gatherBits >> 56) << (8 * b)
			}
			i := y*t.words + k
			t.starts[i] = word
			t.before[i] = int32(len(t.spans))
			for word != 0 {
				x0 := k*64 + bits.TrailingZeros64(word)
				word &= word - 1
				if x0 > 0 {
					t.spans[len(t.spans)-1].x1 = int32(x0 - 1)
				}
				l := lv[x0]
				t.spans = append(t.spans, span{x0: int32(x0), y: int32(y)})
				t.level = append(t.level, l)
				hist[l]++
			}
		}
		t.spans[len(t.spans)-1].x1 = int32(w - 1)
	}
	t.rowStart[h] = int32(len(t.spans))
	return hist
}

// activeCut returns the smallest raw value whose level differs from
// level[0]: every value below it has level[0] (the level table is
// non-increasing), 256 when all levels equal.
func activeCut(level *[256]uint8) int {
	for a := 1; a < 256; a++ {
		if level[a] != level[0] {
			return a
		}
	}
	return 256
}

// mapLevels sets dst[x] = level[src[x]]. Blocks of 8 values all below cut
// (commonly the inactive background) take level[0] without the lookups.
func mapLevels(dst, src []uint8, level *[256]uint8, cut int) {
	src = src[:len(dst)]
	x := 0
	if cut > 0 && cut < 256 {
		c := uint64(cut) * 0x0101010101010101
		fill := uint64(level[0]) * 0x0101010101010101
		for ; x+8 <= len(src); x += 8 {
			v := binary.LittleEndian.Uint64(src[x:])
			// High bit of each byte of lt: that byte of v is below cut.
			d := (v | highBits) - (c &^ highBits)
			lt := (^v&c | ^(v^c)&^d) & highBits
			if lt == highBits {
				binary.LittleEndian.PutUint64(dst[x:], fill)
				continue
			}
			d8 := dst[x : x+8 : x+8]
			s8 := src[x : x+8 : x+8]
			for i, a := range s8 {
				d8[i] = level[a]
			}
		}
	}
	for ; x < len(src); x++ {
		dst[x] = level[src[x]]
	}
}
