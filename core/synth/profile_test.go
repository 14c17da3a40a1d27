package synth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShippedProfiles(t *testing.T) {
	names := ProfileNames()
	want := []string{"full", "quick", "smoke"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("profiles %v, want %v", names, want)
	}
	for _, n := range names {
		p, err := LoadProfile(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if p.Name != n || p.ImageSize < 32 || len(p.MVTec.Categories) == 0 {
			t.Errorf("%s: implausible profile %+v", n, p)
		}
	}
	q, _ := LoadProfile("quick")
	if len(q.MVTec.Categories) != 6 || len(q.MTD.Defects) != 5 || q.AeBAD.PerDefect == 0 {
		t.Errorf("quick profile does not cover 6 MVTec categories, 5 MTD types and AeBAD: %+v", q)
	}
}

func TestParseProfileErrors(t *testing.T) {
	tests := []struct {
		name, yaml, wantSub string
	}{
		{"unknown key", "image_size: 64\nimage_sise: 3\n", "image_sise"},
		{"unknown nested key", "image_size: 64\nmvtec:\n  per_defects: 3\n", "per_defects"},
		{"unknown category", "image_size: 64\nmvtec:\n  categories: [wood, bottle]\n", `"bottle"`},
		{"unknown category lists allowed", "image_size: 64\nmvtec:\n  categories: [bottle]\n", "metal_nut"},
		{"unknown mtd type", "image_size: 64\nmtd:\n  defects: [{type: rust, count: 2}]\n", `"rust"`},
		{"negative count", "image_size: 64\nmvtec:\n  train_good: -1\n", "mvtec.train_good -1"},
		{"tiny image", "image_size: 8\n", "image_size 8"},
		{"duplicate category", "image_size: 64\nmvtec:\n  categories: [wood, wood]\n", "twice"},
		{"combined needs two types", "image_size: 64\nmvtec:\n  max_defect_types: 1\n  combined: 2\n", "mvtec.combined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile([]byte(tc.yaml), "test.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.wantSub) || !strings.Contains(err.Error(), "test.yaml") {
				t.Fatalf("error %v, want one naming test.yaml and containing %q", err, tc.wantSub)
			}
		})
	}
}

func TestLoadProfileUnknownAndFile(t *testing.T) {
	_, err := LoadProfile("huge")
	if err == nil || !strings.Contains(err.Error(), `"huge"`) || !strings.Contains(err.Error(), "quick") {
		t.Fatalf("error %v, want one naming huge and the allowed profiles", err)
	}
	file := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(file, []byte("name: mine\nimage_size: 48\naebad:\n  per_defect: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfileFile(file)
	if err != nil || p.ImageSize != 48 || p.AeBAD.PerDefect != 1 {
		t.Fatalf("LoadProfileFile = %+v, %v", p, err)
	}
}
