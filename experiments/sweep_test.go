package experiments

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/configs"
)

func TestSweepExpansion(t *testing.T) {
	src := `
name: demo
set:
  experiment:
    profile: smoke
axes:
  - grid:
      crop.enabled: [false, true]
      detect.method: [musc, patchcore]
  - zip:
      merge.strategy: [area, average]
      merge.temperature: [100, 50]
  - points:
      - {label: L1, model.mask_layers: 1}
      - {model.mask_layers: 9}
seeds: [7, 8]
`
	sw, err := ParseSweep("demo.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	points, err := Loader{}.Expand(sw, []Override{{Path: "train.epochs", Value: 3, Source: "cli"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 4*2*2*2 {
		t.Fatalf("%d points, want 32", len(points))
	}
	first := points[0]
	if first.Label != "crop.enabled=false detect.method=musc merge.strategy=area merge.temperature=100 L1" || first.Seed != 7 {
		t.Errorf("first point %q seed %d", first.Label, first.Seed)
	}
	if points[1].Label != first.Label || points[1].Seed != 8 || points[1].Config.Experiment.Seed != 8 {
		t.Errorf("seeds not innermost: %q %d", points[1].Label, points[1].Seed)
	}
	if got := points[2].Label; !strings.HasSuffix(got, "model.mask_layers=9") {
		t.Errorf("third point %q", got)
	}
	last := points[len(points)-1]
	if last.Config.Crop.Enabled != true || last.Config.Detect.Method != "patchcore" || last.Config.Merge.Temperature != 50 || last.Config.Model.MaskLayers != 9 || last.Config.Train.Epochs != 3 {
		t.Errorf("last point config wrong: %+v", last.Config)
	}
	ids := map[string]bool{}
	for _, p := range points {
		if ids[p.ID()] {
			t.Errorf("duplicate point id %s", p.ID())
		}
		ids[p.ID()] = true
	}
	again, _ := Loader{}.Expand(sw, []Override{{Path: "train.epochs", Value: 3, Source: "cli"}})
	for i := range points {
		if points[i].ID() != again[i].ID() || points[i].Label != again[i].Label {
			t.Fatal("expansion not deterministic")
		}
	}
}

func TestBadSweeps(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown sweep key", "name: x\naxis:\n  - grid: {a: [1]}\n", []string{"s.yaml", "axis"}},
		{"two kinds", "name: x\naxes:\n  - grid: {train.epochs: [1]}\n    zip: {train.epochs: [1]}\n", []string{"axes[0]", "exactly one"}},
		{"zip lengths", "name: x\naxes:\n  - zip: {train.epochs: [1, 2], train.lr: [0.1]}\n", []string{"equal length"}},
		{"grid not list", "name: x\naxes:\n  - grid: {train.epochs: 3}\n", []string{"train.epochs", "list"}},
		{"unknown axis key", "name: x\naxes:\n  - grid: {train.epoch: [1]}\n", []string{"train.epoch", "unknown key"}},
		{"bad value", "name: x\naxes:\n  - grid: {binarize.theta: [0.5, 2]}\n", []string{"binarize.theta=2", "binarize.theta"}},
		{"bad seeds", "name: x\nseeds: some\n", []string{"seeds"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sw, err := ParseSweep("s.yaml", []byte(tc.src))
			if err == nil {
				_, err = Loader{}.Expand(sw, nil)
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestPlainExperimentFileIsOnePoint(t *testing.T) {
	sw, err := ParseSweep("e.yaml", []byte("train:\n  epochs: 4\nexperiment:\n  profile: smoke\n"))
	if err != nil {
		t.Fatal(err)
	}
	points, err := Loader{}.Expand(sw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 1 || points[0].Config.Train.Epochs != 4 || points[0].Seed != 3407 {
		t.Fatalf("%d points %+v", len(points), points)
	}
}

// TestTableSweeps expands every shipped sweep file and checks the sharing
// that makes each ablation cheap.
func TestTableSweeps(t *testing.T) {
	seeds := 2 // quick profile
	tests := []struct {
		file   string
		points int
		// unique task count per stage
		unique map[string]int
	}{
		{"table1.yaml", 2 * seeds, map[string]int{"data": 1, "detect": 2, "pretrain": 1, "train": 2 * seeds}},
		{"table2.yaml", 2 * seeds, map[string]int{"detect": 1, "crop": 2, "train": 2 * seeds}},
		{"table3.yaml", 7 * seeds, map[string]int{"detect": 1, "binarize": 7, "pretrain": 1, "train": 7 * seeds}},
		{"table4.yaml", 4 * seeds, map[string]int{"crop": 1, "pretrain": 1, "train": 4 * seeds}},
		{"table5.yaml", 5 * seeds, map[string]int{"pretrain": 1, "train": 5 * seeds}},
		{"table6.yaml", 6 * seeds, map[string]int{"detect": 3, "binarize": 3, "crop": 6, "train": 6 * seeds}},
		{"table7.yaml", 3 * seeds, map[string]int{"train": seeds, "infer": 3 * seeds, "evaluate": 3 * seeds}},
		{"table8.yaml", 2 * seeds, map[string]int{"crop": 1, "train": 2 * seeds}},
		{"table9.yaml", 2 * seeds, map[string]int{"train": 2 * seeds}},
		{"table10.yaml", 3 * seeds, map[string]int{"detect": 3}},
		{"fig7.yaml", 18 * seeds, map[string]int{"detect": 3, "binarize": 18}},
	}
	names, _ := fs.Glob(configs.FS, "tables/*.yaml")
	if len(names) != len(tests) {
		t.Errorf("%d sweep files shipped, %d tested", len(names), len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			sw, err := Loader{}.LoadSweep("tables/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			points, err := Loader{}.Expand(sw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(points) != tc.points {
				t.Fatalf("%d points, want %d", len(points), tc.points)
			}
			study, err := PlanStudy(DefaultPipeline(), points)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, task := range study.Tasks {
				count[task.Stage]++
			}
			for stage, want := range tc.unique {
				if count[stage] != want {
					t.Errorf("stage %s: %d tasks, want %d", stage, count[stage], want)
				}
			}
			if study.Saved() != study.Executions()-len(study.Tasks) || study.Saved() <= 0 {
				t.Errorf("saved %d of %d", study.Saved(), study.Executions())
			}
		})
	}
}

func ExampleLoader_Expand() {
	sw, _ := ParseSweep("t5.yaml", []byte("name: t5\naxes:\n  - grid:\n      model.mask_layers: [1, 9]\nseeds: [1, 2]\n"))
	points, _ := Loader{}.Expand(sw, nil)
	for _, p := range points {
		fmt.Println(p.Label, p.Seed)
	}
	study, _ := PlanStudy(DefaultPipeline(), points)
	fmt.Printf("%d stage executions, %d after deduplication\n", study.Executions(), len(study.Tasks))
	// Output:
	// model.mask_layers=1 1
	// model.mask_layers=1 2
	// model.mask_layers=9 1
	// model.mask_layers=9 2
	// 36 stage executions, 19 after deduplication
}
