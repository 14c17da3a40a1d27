package stages

import (
	"path/filepath"
	"testing"
)

func TestStoreRel(t *testing.T) {
	root := filepath.FromSlash("/data/store")
	for _, tc := range []struct{ in, want string }{
		{"/data/store/data/k/mvtec/wood/000.png", "data/k/mvtec/wood/000.png"},
		{"/data/storeX/a.png", "/data/storeX/a.png"}, // a sibling folder, not inside
		{"/elsewhere/a.png", "/elsewhere/a.png"},
		{"/data/store", "."},
	} {
		if got := storeRel(root, filepath.FromSlash(tc.in)); got != filepath.FromSlash(tc.want) {
			t.Errorf("storeRel(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
