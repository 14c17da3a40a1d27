package plots

import (
	"path/filepath"
	"testing"
)

// BenchmarkFigures times drawing and writing each golden figure (PNG + SVG).
func BenchmarkFigures(b *testing.B) {
	for _, tc := range goldenCases() {
		b.Run(tc.name, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), tc.name)
			for b.Loop() {
				if err := tc.draw(out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
