package detect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/imageio"
)

// writeMVTec writes a tiny MVTec-layout dataset with one category.
func writeMVTec(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	put := func(split, typ, name string, img *image.RGBA, mask *image.Gray) {
		ip, mp, err := dataset.Paths("mvtec", root, "tex", split, typ, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := imageio.WritePNG(ip, img); err != nil {
			t.Fatal(err)
		}
		if mask != nil {
			if err := imageio.WritePNG(mp, mask); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 5 {
		put("train", "good", fmt.Sprintf("%03d.png", i), texture(48, uint64(i)), nil)
	}
	for i := range 2 {
		put("test", "good", fmt.Sprintf("%03d.png", i), texture(48, uint64(100+i)), nil)
	}
	for i := range 3 {
		typ := []string{"blob", "blob", "combined"}[i]
		img, mask := withBlob(texture(48, uint64(200+i)), 5, uint64(i))
		put("test", typ, fmt.Sprintf("%03d.png", i), img, mask)
	}
	return root
}

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestRunWritesMapsAndReport(t *testing.T) {
	root := writeMVTec(t)
	set, err := dataset.Open("mvtec", root)
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range Methods() {
		if method == "maps" {
			continue // needs precomputed maps: TestExternalMapsAreKeptByteForByte
		}
		var ref map[string][]byte
		for _, workers := range []int{1, 3} {
			out := filepath.Join(t.TempDir(), "maps")
			rep, err := Run(set, Options{Method: method, Seed: 1, Workers: workers}, out)
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			files := readTree(t, out)
			for _, want := range []string{"detect.json", "tex/good/000.png", "tex/blob/001.png", "tex/combined/002.png"} {
				if _, ok := files[want]; !ok {
					t.Fatalf("%s: %s missing; have %d files", method, want, len(files))
				}
			}
			if len(files) != 6 {
				t.Errorf("%s: %d files written, want 6", method, len(files))
			}
			if rep.Categories[0].Train != 5 || rep.Categories[0].Test != 5 {
				t.Errorf("%s: report counts %+v", method, rep.Categories[0])
			}
			var parsed struct {
				Categories map[string]map[string]any `json:"categories"`
			}
			if err := json.Unmarshal(files["detect.json"], &parsed); err != nil {
				t.Fatalf("%s: detect.json: %v", method, err)
			}
			if _, ok := parsed.Categories["tex"]["aupro"].(float64); !ok {
				t.Errorf("%s: aupro missing in %s", method, files["detect.json"])
			}
			if ref == nil {
				ref = files
				continue
			}
			for name, data := range files {
				if !bytes.Equal(data, ref[name]) {
					t.Errorf("%s: %s differs between 1 and %d workers", method, name, workers)
				}
			}
		}
	}
}

func TestRunErrorsNameTheProblem(t *testing.T) {
	root := writeMVTec(t)
	set, err := dataset.Open("mvtec", root)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "maps")
	if _, err := Run(set, Options{Method: "patchcore", Categories: []string{"nope"}}, out); err == nil {
		t.Fatal("unknown category accepted")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("failed run left %s behind", out)
	}
}

func TestExternalMapsAreKeptByteForByte(t *testing.T) {
	root := writeMVTec(t)
	set, err := dataset.Open("mvtec", root)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "patchcore")
	if _, err := Run(set, Options{Method: "patchcore", Seed: 1}, src); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "maps")
	if _, err := Run(set, Options{Method: "maps", Config: Config{MapsRoot: src}}, out); err != nil {
		t.Fatal(err)
	}
	want, got := readTree(t, src), readTree(t, out)
	for name, data := range want {
		if name == "detect.json" {
			continue // names the method
		}
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s: external map not kept byte for byte", name)
		}
	}
	if _, err := New("maps", Config{}); err == nil {
		t.Error("method maps without a folder accepted")
	}
	os.Remove(filepath.Join(src, "tex", "blob", "001.png"))
	_, err = Run(set, Options{Method: "maps", Config: Config{MapsRoot: src}}, filepath.Join(t.TempDir(), "m2"))
	if err == nil || !strings.Contains(err.Error(), filepath.Join("tex", "blob")) {
		t.Errorf("want an error naming the short map folder, got %v", err)
	}
}
