package local_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners"
	"github.com/anomalyncd/ancd/runners/local"
)

const sweepYAML = `
name: resume-test
set:
  experiment.profile: smoke
axes:
  - grid:
      model.mask_layers: [1, 9]
  - points:
      - {merge.strategy: area}
      - {merge.strategy: average}
seeds: [1, 2]
`

// fakeStages write deterministic outputs derived from the stage, key, seed
// and input outputs, sleeping a little to make a run take time.
func fakeStages(delay time.Duration, failing string) experiments.Registry {
	reg := experiments.Registry{}
	for _, st := range experiments.DefaultPipeline() {
		reg[st.Name] = func(ctx context.Context, job experiments.Job) error {
			if job.Stage == failing {
				return fmt.Errorf("write %s: %w", filepath.Join(job.Out, "out.txt"), syscall.ENOSPC)
			}
			h := sha256.New()
			fmt.Fprint(h, job.Stage, job.Key, job.Seed)
			names := make([]string, 0, len(job.Inputs))
			for n := range job.Inputs {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				data, err := os.ReadFile(filepath.Join(job.Inputs[n], "out.txt"))
				if err != nil {
					return err
				}
				h.Write(data)
			}
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return ctx.Err()
			}
			sum := h.Sum(nil)
			if err := os.WriteFile(filepath.Join(job.Out, "out.txt"), []byte(hex.EncodeToString(sum)), 0o644); err != nil {
				return err
			}
			if job.Stage == experiments.StageEvaluate {
				m := map[string]float64{"nmi": float64(sum[0]) / 255, "f1": float64(sum[1]) / 255}
				data, _ := json.Marshal(m)
				return os.WriteFile(filepath.Join(job.Out, "metrics.json"), data, 0o644)
			}
			return nil
		}
	}
	return reg
}

func runSweep(ctx context.Context, storeDir string, workers int, reg experiments.Registry) (runners.Report, *experiments.Study, *results.Store, error) {
	sw, err := experiments.ParseSweep("resume.yaml", []byte(sweepYAML))
	if err != nil {
		return runners.Report{}, nil, nil, err
	}
	points, err := experiments.Loader{}.Expand(sw, nil)
	if err != nil {
		return runners.Report{}, nil, nil, err
	}
	study, err := experiments.PlanStudy(experiments.DefaultPipeline(), points)
	if err != nil {
		return runners.Report{}, nil, nil, err
	}
	store, err := results.Open(storeDir)
	if err != nil {
		return runners.Report{}, nil, nil, err
	}
	ex := experiments.NewExecutor(study, store, reg, nil)
	r := &local.Runner{Workers: workers, LogDir: filepath.Join(storeDir, "logs"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rep, err := r.Run(ctx, study.Plan(), ex)
	return rep, study, store, err
}

// snapshot maps every result file of the store (provenance, logs and
// temporary folders excluded) to its bytes.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == "logs" || strings.HasPrefix(d.Name(), ".tmp-")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() != results.ProvenanceFile {
			data, _ := os.ReadFile(path)
			out[rel] = string(data)
		}
		return nil
	})
	return out
}

func sameSnapshots(t *testing.T, a, b map[string]string) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d files", len(a), len(b))
	}
	for k, v := range a {
		if b[k] != v {
			t.Fatalf("file %s differs", k)
		}
	}
}

// readFakeMetrics reads the metrics.json the fake evaluate stage writes.
func readFakeMetrics(dir string) (map[string]float64, error) {
	data, err := os.ReadFile(filepath.Join(dir, "metrics.json"))
	if err != nil {
		return nil, err
	}
	var m map[string]float64
	return m, json.Unmarshal(data, &m)
}

func TestWorkersGiveIdenticalResults(t *testing.T) {
	var snaps []map[string]string
	for _, w := range []int{1, 2} {
		dir := t.TempDir()
		rep, study, store, err := runSweep(context.Background(), dir, w, fakeStages(0, ""))
		if err != nil || rep.Err() != nil {
			t.Fatal(err, rep.Err())
		}
		if len(study.Tasks) != 27 || study.Saved() != 8*9-27 {
			t.Fatalf("%d tasks, saved %d", len(study.Tasks), study.Saved())
		}
		groups, err := experiments.Aggregate(study, store, experiments.StageEvaluate, readFakeMetrics)
		if err != nil || len(groups) != 4 || len(groups[0].Seeds) != 2 {
			t.Fatal(err, groups)
		}
		snap := snapshot(t, dir)
		snap["summary"] = experiments.FormatGroups(groups)
		snaps = append(snaps, snap)
	}
	sameSnapshots(t, snaps[0], snaps[1])
}

func TestFullDiskKeepsFinishedWork(t *testing.T) {
	dir := t.TempDir()
	rep, study, store, err := runSweep(context.Background(), dir, 2, fakeStages(0, experiments.StageInfer))
	if err != nil {
		t.Fatal(err)
	}
	var skipped *local.SkippedError
	for i, o := range rep.Outcomes {
		task := study.Tasks[i]
		switch task.Stage {
		case experiments.StageInfer:
			if o.Err == nil || !errors.Is(o.Err, syscall.ENOSPC) || o.LogPath == "" {
				t.Errorf("infer: %v (log %q)", o.Err, o.LogPath)
			}
		case experiments.StageEvaluate:
			if !errors.As(o.Err, &skipped) {
				t.Errorf("evaluate: %v, want skipped", o.Err)
			}
		default:
			if o.Err != nil || !store.Done(task.Stage, task.Key) {
				t.Errorf("%s: %v", task.Name, o.Err)
			}
		}
	}
	// the disk has room again: only infer and evaluate run
	rep, _, _, err = runSweep(context.Background(), dir, 2, fakeStages(0, ""))
	if err != nil || rep.Err() != nil {
		t.Fatal(err, rep.Err())
	}
	ran, cached, _ := rep.Counts()
	if ran != 16 || cached != 11 {
		t.Errorf("rerun ran %d cached %d, want 16 and 11", ran, cached)
	}
}

func TestUnwritableStore(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	_, _, _, err := runSweep(context.Background(), filepath.Join(file, "store"), 1, fakeStages(0, ""))
	if err == nil || !strings.Contains(err.Error(), file) {
		t.Fatalf("err %v", err)
	}
}

// TestKillAndResume runs the sweep in a child process (this test binary),
// kills it with SIGKILL part-way, reruns, and checks that only the missing
// tasks ran and that the store equals an uninterrupted run byte for byte.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResumeChild$")
	cmd.Env = append(os.Environ(), "ANCD_RESUME_STORE="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		done := finishedEntries(dir)
		if len(done) >= 8 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child made no progress:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	done := finishedEntries(dir)
	if len(done) >= 27 {
		t.Fatalf("child finished (%d entries) before the kill; slow the fake stages", len(done))
	}
	// every folder is a complete entry or a hidden temporary one
	dirs, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	for _, d := range dirs {
		if strings.Contains(d, "logs") || strings.HasPrefix(filepath.Base(d), ".tmp-") {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, results.ManifestFile)); err != nil {
			t.Errorf("partial entry %s", d)
		}
	}
	rep, _, _, err := runSweep(context.Background(), dir, 2, fakeStages(0, ""))
	if err != nil || rep.Err() != nil {
		t.Fatal(err, rep.Err())
	}
	ran, cached, _ := rep.Counts()
	if cached != len(done) || ran != 27-len(done) {
		t.Errorf("resume ran %d cached %d; %d were done at the kill", ran, cached, len(done))
	}
	ref := t.TempDir()
	if rep, _, _, err := runSweep(context.Background(), ref, 1, fakeStages(0, "")); err != nil || rep.Err() != nil {
		t.Fatal(err, rep.Err())
	}
	sameSnapshots(t, snapshot(t, dir), snapshot(t, ref))
	t.Logf("killed after %d of 27 entries; resume ran %d", len(done), ran)
}

func TestResumeChild(t *testing.T) {
	dir := os.Getenv("ANCD_RESUME_STORE")
	if dir == "" {
		t.Skip("helper process for TestKillAndResume")
	}
	runSweep(context.Background(), dir, 2, fakeStages(40*time.Millisecond, ""))
}

func TestCancelLeavesNoPartialEntries(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(150*time.Millisecond, cancel)
	_, _, _, err := runSweep(ctx, dir, 2, fakeStages(40*time.Millisecond, ""))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(tmp) > 0 {
		t.Errorf("temporary folders left after cancel: %v", tmp)
	}
}

// finishedEntries lists the manifests of entries in place in the store. A
// killed writer's temporary folder (".tmp-*") may hold a manifest too (it is
// written last, just before the rename), but it is not an entry.
func finishedEntries(dir string) []string {
	all, _ := filepath.Glob(filepath.Join(dir, "*", "*", results.ManifestFile))
	var done []string
	for _, m := range all {
		if !strings.HasPrefix(filepath.Base(filepath.Dir(m)), ".tmp-") {
			done = append(done, m)
		}
	}
	return done
}
