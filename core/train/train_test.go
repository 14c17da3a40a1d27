package train

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// metricsWithoutTimings parses metrics.jsonl and zeroes the timing fields.
func metricsWithoutTimings(t *testing.T, dir string) []EpochMetrics {
	t.Helper()
	var out []EpochMetrics
	for _, line := range strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, MetricsFile)))), "\n") {
		var m EpochMetrics
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		m.Seconds, m.ImagesPerSec = 0, 0
		out = append(out, m)
	}
	return out
}

func TestResumeGivesIdenticalResults(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 10, 3)
	cfg := testConfig()
	ctx := context.Background()

	full := filepath.Join(t.TempDir(), "full")
	mFull := newFakeModel(3, cfg.ImageSize)
	if _, err := Run(ctx, mFull, items, cfg, Options{OutDir: full, Workers: 2}); err != nil {
		t.Fatal(err)
	}

	for _, stopAt := range []int{1, 3} {
		part := filepath.Join(t.TempDir(), "part")
		m1 := newFakeModel(3, cfg.ImageSize)
		if _, err := Run(ctx, m1, items, cfg, Options{OutDir: part, Workers: 2, StopAfter: stopAt}); !errors.Is(err, ErrStopped) {
			t.Fatalf("stop after %d: err = %v, want ErrStopped", stopAt, err)
		}
		if len(metricsWithoutTimings(t, part)) != stopAt {
			t.Fatalf("stop after %d: metrics has wrong number of epochs", stopAt)
		}
		m2 := newFakeModel(3, cfg.ImageSize) // a fresh process: initial weights again
		if _, err := Run(ctx, m2, items, cfg, Options{OutDir: part, Workers: 1, Resume: true}); err != nil {
			t.Fatal(err)
		}
		for i, p := range m2.Params() {
			if !slices.Equal(p.Value, mFull.Params()[i].Value) {
				t.Errorf("stop after %d: param %s = %v, uninterrupted %v", stopAt, p.Name, p.Value, mFull.Params()[i].Value)
			}
		}
		for _, f := range []string{CheckpointFile, PredictionsFile, FeaturesFile} {
			if !bytes.Equal(readFile(t, filepath.Join(full, f)), readFile(t, filepath.Join(part, f))) {
				t.Errorf("stop after %d: %s differs from the uninterrupted run", stopAt, f)
			}
		}
		a, b := metricsWithoutTimings(t, full), metricsWithoutTimings(t, part)
		if len(a) != cfg.Epochs || !jsonEqual(a, b) {
			t.Errorf("stop after %d: metrics differ:\n%v\n%v", stopAt, a, b)
		}
	}
	// the weights did move
	if slices.Equal(mFull.Params()[0].Value, newFakeModel(3, cfg.ImageSize).Params()[0].Value) {
		t.Error("training did not change the weights")
	}
	if !slices.Equal(mFull.Params()[2].Value, []float32{1, 2}) {
		t.Error("frozen parameter changed")
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestWorkerCountDoesNotChangeResults(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 9, 4)
	cfg := testConfig()
	cfg.Epochs = 2
	var outs [][]byte
	for _, w := range []int{1, 2, 5} {
		dir := t.TempDir()
		if _, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: dir, Workers: w}); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, append(readFile(t, filepath.Join(dir, PredictionsFile)), readFile(t, filepath.Join(dir, CheckpointFile))...))
	}
	if !bytes.Equal(outs[0], outs[1]) || !bytes.Equal(outs[0], outs[2]) {
		t.Error("results depend on the worker count")
	}
}

// Items relative to Options.Root give byte-identical outputs (predictions,
// checkpoint, metrics) wherever the root is, and the predictions keep the
// relative paths.
func TestRootMakesOutputsIndependentOfLocation(t *testing.T) {
	cfg := testConfig()
	cfg.Epochs = 2
	var outs [][]byte
	for range 2 {
		root := t.TempDir()
		items := writeCrops(t, root, 8, 3)
		for i := range items {
			items[i].Image, _ = filepath.Rel(root, items[i].Image)
			items[i].Mask, _ = filepath.Rel(root, items[i].Mask)
		}
		dir := t.TempDir()
		preds, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: dir, Workers: 2, Root: root})
		if err != nil {
			t.Fatal(err)
		}
		if got := preds.Crops[0].Image; got != items[3].Image || filepath.IsAbs(got) {
			t.Fatalf("first prediction is for %q, want the relative path %q", got, items[3].Image)
		}
		var all []byte
		for _, f := range []string{PredictionsFile, CheckpointFile, MetricsFile} {
			all = append(all, readFile(t, filepath.Join(dir, f))...)
		}
		outs = append(outs, all)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("outputs depend on where the item root is")
	}
}

func TestPredictionsContent(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 7, 3)
	cfg := testConfig()
	cfg.Epochs = 1
	dir := t.TempDir()
	got, err := Run(context.Background(), newFakeModel(3, cfg.ImageSize), items, cfg, Options{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// the fake's head 1 has the larger cluster loss while w[0] >= 0... check the rule, not the fake
	want, _ := ChooseHead(got.ClusterPerHead)
	if got.Head != want || len(got.Crops) != 4 || got.Classes != 3 {
		t.Fatalf("head %d (want %d), %d crops, %d classes", got.Head, want, len(got.Crops), got.Classes)
	}
	for i, c := range got.Crops {
		if c.Image != items[3+i].Image || c.Group != items[3+i].Group || len(got.Features[i]) != fakeFeatures {
			t.Errorf("crop %d = %+v, want item %+v", i, c, items[3+i])
		}
	}
	back, err := ReadPredictions(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(back, got) || !slices.Equal(back.Features[3], got.Features[3]) {
		t.Error("ReadPredictions does not return what Run wrote")
	}
}

func TestAllBatchesSkipped(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 4, 2)
	cfg := testConfig()
	cfg.BatchSize, cfg.Epochs = 1, 1 // one row per batch: never both kinds
	m := newFakeModel(2, cfg.ImageSize)
	before := slices.Clone(m.Params()[0].Value)
	dir := t.TempDir()
	_, err := Run(context.Background(), m, items, cfg, Options{OutDir: dir})
	if err == nil || !strings.Contains(err.Error(), "no batch of the final epoch") {
		t.Fatalf("err = %v", err)
	}
	if !slices.Equal(before, m.Params()[0].Value) {
		t.Error("skipped batches changed the weights")
	}
	if ms := metricsWithoutTimings(t, dir); ms[0].Skipped != 4 || ms[0].Batches != 0 {
		t.Errorf("metrics = %+v, want 4 skipped", ms[0])
	}
}

func TestResumeRefusesOtherConfig(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 6, 2)
	cfg := testConfig()
	dir := t.TempDir()
	if _, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: dir, StopAfter: 1}); !errors.Is(err, ErrStopped) {
		t.Fatal(err)
	}
	cfg.LR *= 2
	_, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: dir, Resume: true})
	if err == nil || !strings.Contains(err.Error(), "config hash") {
		t.Errorf("err = %v, want a config hash mismatch", err)
	}
}

func TestRunErrors(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 4, 2)
	bad := slices.Clone(items)
	bad[3].Image = filepath.Join(t.TempDir(), "missing.png")
	tests := []struct {
		name  string
		items []Item
		cfg   func(*Config)
		want  string
	}{
		{"missing image", bad, func(*Config) {}, "missing.png"},
		{"no items", nil, func(*Config) {}, "no training items"},
		{"epochs", items, func(c *Config) { c.Epochs = 0 }, "epochs"},
		{"weight", []Item{{Image: "a.png", Label: -1, Weight: 2}}, func(*Config) {}, "PLR weight"},
	}
	for _, tc := range tests {
		cfg := testConfig()
		tc.cfg(&cfg)
		_, err := Run(context.Background(), newFakeModel(2, 16), tc.items, cfg, Options{OutDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want mention of %q", tc.name, err, tc.want)
		}
	}
}

func TestChooseHead(t *testing.T) {
	tests := []struct {
		in   []float64
		want int
	}{
		{[]float64{3, 1, 2, 4}, 1},
		{[]float64{1, 2, 1, 3}, 2}, // tie: the last tied head
		{[]float64{5}, 0},
	}
	for _, tc := range tests {
		if got, err := ChooseHead(tc.in); err != nil || got != tc.want {
			t.Errorf("ChooseHead(%v) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	if _, err := ChooseHead(nil); err == nil {
		t.Error("empty accepted")
	}
}

func ExampleChooseHead() {
	head, _ := ChooseHead([]float64{0.8, 0.5, 0.9, 0.5})
	fmt.Println(head)
	// Output: 3
}

// TestResumeAfterLastEpoch: a kill between the last checkpoint and the
// predictions; the rerun only infers, with the stored head losses.
func TestResumeAfterLastEpoch(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 6, 2)
	cfg := testConfig()
	cfg.Epochs = 2
	dir := t.TempDir()
	if _, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: dir}); err != nil {
		t.Fatal(err)
	}
	want := readFile(t, filepath.Join(dir, PredictionsFile))
	os.Remove(filepath.Join(dir, PredictionsFile))
	if _, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, Options{OutDir: dir, Resume: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, readFile(t, filepath.Join(dir, PredictionsFile))) {
		t.Error("predictions after resuming a finished run differ")
	}
	if n := len(metricsWithoutTimings(t, dir)); n != 2 {
		t.Errorf("metrics has %d epochs, want 2", n)
	}
}

// TestProgressReports: Options.Progress hears about every batch, counts
// samples up to the run's total, and a resumed run counts only its own
// epochs.
func TestProgressReports(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 9, 4)
	cfg := testConfig()
	cfg.Epochs = 3
	dir := t.TempDir()
	var got []Progress
	opts := Options{OutDir: dir, Workers: 1, StopAfter: 1, Progress: func(p Progress) { got = append(got, p) }}
	if _, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, opts); !errors.Is(err, ErrStopped) {
		t.Fatalf("err = %v, want ErrStopped", err)
	}
	batches := (len(items) + cfg.BatchSize - 1) / cfg.BatchSize
	if len(got) != batches || got[len(got)-1].Done != int64(len(items)) || got[0].Total != int64(3*len(items)) || got[0].Epochs != 3 {
		t.Fatalf("first epoch reports %+v, want %d batches up to %d of %d", got, batches, len(items), 3*len(items))
	}
	got = nil
	opts.StopAfter, opts.Resume = 0, true
	if _, err := Run(context.Background(), newFakeModel(2, cfg.ImageSize), items, cfg, opts); err != nil {
		t.Fatal(err)
	}
	last := got[len(got)-1]
	if len(got) != 2*batches || got[0].Epoch != 1 || last.Epoch != 2 || last.Done != last.Total || last.Total != int64(2*len(items)) {
		t.Errorf("resumed reports: %d, first %+v, last %+v", len(got), got[0], last)
	}
}
