package train

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestReadMetricsReadsWhatTrainingWrites: the typed reader returns the
// records appendMetrics wrote (a rerun epoch replaces the later lines), and
// a broken line is an error naming the file and line.
func TestReadMetricsReadsWhatTrainingWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), MetricsFile)
	epochs := []EpochMetrics{
		{Epoch: 0, LR: 0.1, Batches: 3, Total: 2.5, Cluster: 1, ClusterPerHead: []float64{1, 2}},
		{Epoch: 1, LR: 0.05, Batches: 3, Skipped: 1, Total: 1.5, ClusterPerHead: []float64{0.5, 0.25}},
		{Epoch: 1, LR: 0.05, Batches: 2, Total: 1.25, ClusterPerHead: []float64{0.5, 0.5}}, // resumed
	}
	for _, m := range epochs {
		if err := appendMetrics(path, m); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadMetrics(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []EpochMetrics{epochs[0], epochs[2]}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if err := os.WriteFile(path, []byte("{\"epoch\": 0}\nnot json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadMetrics(path); err == nil || !strings.Contains(err.Error(), path+":2") {
		t.Errorf("broken line: err %v, want one naming %s:2", err, path)
	}
}
