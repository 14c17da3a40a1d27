package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/results"
)

// TestPlanSummary: per stage, the tasks, those already stored, and an
// estimate for the rest from the stored entries' wall times.
func TestPlanSummary(t *testing.T) {
	study, err := loadStudy(experiments.Loader{}, "tables/table7.yaml", []string{"experiment.profile=smoke"})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	// store the data task (2 s) and one unrelated train entry (10 s)
	var dataKey string
	for _, tk := range study.Tasks {
		if tk.Stage == experiments.StageData {
			dataKey = tk.Key
		}
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range []struct {
		stage, key string
		took       time.Duration
	}{{experiments.StageData, dataKey, 2 * time.Second}, {experiments.StageTrain, "other", 10 * time.Second}} {
		dir := filepath.Join(root, e.stage, e.key)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, results.ManifestFile), []byte("{}"), 0o644)
		b, _ := json.Marshal(results.Provenance{Stage: e.stage, Key: e.key, Start: start, End: start.Add(e.took)})
		os.WriteFile(filepath.Join(dir, results.ProvenanceFile), b, 0o644)
	}
	rows := planSummary(study, root)
	byStage := map[string]stagePlan{}
	for _, r := range rows {
		byStage[r.stage] = r
	}
	if d := byStage["data"]; d.tasks != 1 || d.done != 1 || d.toRunEstimate != 0 {
		t.Errorf("data row %+v", d)
	}
	tr := byStage["train"]
	if tr.tasks == 0 || tr.done != 0 || tr.toRunEstimate != time.Duration(tr.tasks)*10*time.Second {
		t.Errorf("train row %+v", tr)
	}
	var out bytes.Buffer
	printPlanSummary(&out, rows, 2)
	text := out.String()
	if !strings.Contains(text, "infer") || !strings.Contains(text, "no stored timings") ||
		!strings.Contains(text, "about "+(time.Duration(tr.tasks)*5*time.Second).String()+" with 2 workers") {
		t.Errorf("summary:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(root, "detect")); !os.IsNotExist(err) {
		t.Error("a dry run must not write to the store")
	}
}
