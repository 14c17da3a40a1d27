package stages

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/experiments"
)

func TestPickCategories(t *testing.T) {
	all := []string{"cable", "capsule", "wood"}
	tests := []struct {
		want []string
		out  string
	}{
		{nil, "cable,capsule,wood"},
		{[]string{"wood", "cable"}, "cable,wood"},
		{[]string{"nothing"}, ""},
	}
	for _, tc := range tests {
		if got := strings.Join(pickCategories(all, tc.want), ","); got != tc.out {
			t.Errorf("pick %v: %q want %q", tc.want, got, tc.out)
		}
	}
}

func TestRelAndImagePaths(t *testing.T) {
	if got := rel("/s", "/s/crop/k/a.png"); got != filepath.Join("crop", "k", "a.png") {
		t.Errorf("rel inside: %q", got)
	}
	if got := rel("/s", "/data/a.png"); got != "/data/a.png" {
		t.Errorf("rel outside must stay absolute: %q", got)
	}
	mv := DatasetRef{Format: "mvtec"}
	if got := imageRel(mv, "wood", "hole", "wood/test/hole/003.png"); got != filepath.Join("wood", "test", "hole", "003.png") {
		t.Errorf("mvtec image path %q", got)
	}
	mtd := DatasetRef{Format: "mtd"}
	if got := imageRel(mtd, "mtd", "crack", "mtd/test/crack/x.png"); got != filepath.Join("test", "crack", "x.png") {
		t.Errorf("mtd image path %q", got)
	}
}

func TestInputsNameTheMissingStage(t *testing.T) {
	job := experiments.Job{Stage: "train", Inputs: map[string]string{"data": "/d"}}
	if _, err := inputs(job, "data", "crop"); err == nil || !strings.Contains(err.Error(), "missing input crop") {
		t.Fatalf("want an error naming crop, got %v", err)
	}
	dirs, err := inputs(job, "data")
	if err != nil || dirs[0] != "/d" {
		t.Fatal(dirs, err)
	}
}

func TestRegistryCoversThePipeline(t *testing.T) {
	reg := Registry(1)
	for _, st := range experiments.DefaultPipeline() {
		if reg[st.Name] == nil {
			t.Errorf("stage %s has no implementation", st.Name)
		}
	}
}
