package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseData(t *testing.T) {
	root := t.TempDir()
	mv, mt := filepath.Join(root, "mv"), filepath.Join(root, "mt")
	os.MkdirAll(mv, 0o755)
	os.MkdirAll(mt, 0o755)
	tests := []struct {
		name    string
		data    []string
		format  string
		want    string // "name=root,..."
		wantErr string
	}{
		{"bare folder takes --format", []string{mt}, "mtd", "mtd=" + mt, ""},
		{"both, MVTec AD first", []string{"mtd=" + mt, "mvtec=" + mv}, "mvtec", "mvtec=" + mv + ",mtd=" + mt, ""},
		{"unknown name", []string{"visa=" + mv}, "mvtec", "", "must be mvtec or mtd"},
		{"twice the same name", []string{"mvtec=" + mv, mt}, "mvtec", "", "a second mvtec dataset"},
		{"missing folder", []string{"mvtec=" + filepath.Join(root, "nope")}, "mvtec", "", "is not a folder"},
		{"bad format", []string{mv}, "visa", "", "--format visa"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			specs, err := parseData(tc.data, tc.format)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range specs {
				got = append(got, s.name+"="+s.root)
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
	f := ablationFlags{profile: "smoke", data: []string{"mtd=" + mt, "mvtec=" + mv}, base: mt, format: "mvtec"}
	d, err := parseStudyData(f)
	if err != nil {
		t.Fatal(err)
	}
	ovs := ablationOverrides(f, d, nil)
	if got := strings.Join(ovs, " "); !strings.Contains(got, "experiment.dataset.kind=mvtec experiment.dataset.root="+mv+" experiment.dataset.mtd_root="+mt+" experiment.dataset.base_root="+mt) {
		t.Errorf("overrides %s", got)
	}
}
