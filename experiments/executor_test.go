package experiments

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners"
)

func TestExecutorProvenanceAndRegistry(t *testing.T) {
	sw, _ := ParseSweep("s.yaml", []byte("name: s\nset:\n  experiment.profile: smoke\naxes:\n  - grid:\n      merge.strategy: [area, average]\n"))
	points, err := Loader{}.Expand(sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	study, err := PlanStudy(DefaultPipeline(), points)
	if err != nil {
		t.Fatal(err)
	}
	reg := Registry{}
	if err := reg.Check(study); err == nil || !strings.Contains(err.Error(), "data, detect, binarize") {
		t.Fatalf("missing stages not reported: %v", err)
	}
	for _, st := range study.Pipeline {
		reg[st.Name] = func(ctx context.Context, job Job) error {
			for name, dir := range job.Inputs {
				if _, err := os.Stat(filepath.Join(dir, "out")); err != nil {
					t.Errorf("%s: input %s not complete", job.Stage, name)
				}
			}
			return os.WriteFile(filepath.Join(job.Out, "out"), []byte(job.Key), 0o644)
		}
	}
	if err := reg.Check(study); err != nil {
		t.Fatal(err)
	}
	store, _ := results.Open(t.TempDir())
	// a first process made the data entry
	first := NewExecutor(study, store, reg, []string{"ancd", "run", "s.yaml"})
	dataKey := study.PointKeys[0][StageData]
	if err := first.Exec(context.Background(), dataKey, io.Discard); err != nil {
		t.Fatal(err)
	}
	// a second process runs the rest
	ex := NewExecutor(study, store, reg, nil)
	ctx := runners.WithEnv(context.Background(), "CUDA_VISIBLE_DEVICES=1")
	for _, task := range study.Tasks {
		if err := ex.Exec(ctx, task.Key, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !ex.Done(task.Key) {
			t.Fatalf("%s not done", task.Name)
		}
	}
	detectKey := study.PointKeys[0][StageDetect]
	p, err := store.ReadProvenance(StageDetect, detectKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Inputs) != 1 || !p.Inputs[0].Cached || p.Inputs[0].Key != dataKey {
		t.Errorf("detect inputs %+v, want data from cache", p.Inputs)
	}
	if !strings.Contains(string(p.Config), `"method": "musc"`) || p.Seed != 3407 || len(p.Extra) != 1 || p.Extra[0].Value != "1" {
		t.Errorf("provenance %+v", p)
	}
	binKey := study.PointKeys[0][StageBinarize]
	pb, _ := store.ReadProvenance(StageBinarize, binKey)
	if len(pb.Inputs) != 2 || pb.Inputs[1].Stage != StageDetect || pb.Inputs[1].Cached {
		t.Errorf("binarize inputs %+v, want detect made in this run", pb.Inputs)
	}
	if got := first.Command("abc"); strings.Join(got, " ") != "ancd run s.yaml --task abc" {
		t.Errorf("command %v", got)
	}
	if err := ex.Exec(context.Background(), "nope", io.Discard); err == nil {
		t.Error("unknown key accepted")
	}
}
