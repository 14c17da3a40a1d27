package results

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func writeOutputs(dir string, content string) error {
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "metrics.json"), []byte(content), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "sub", "b.txt"), []byte("b"), 0o644)
}

func noTemp(t *testing.T, root string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(root, "*", tmpPrefix+"*"))
	if len(matches) > 0 {
		t.Errorf("temporary folders left: %v", matches)
	}
}

func TestPutAndDone(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.Done("train", "k1") {
		t.Fatal("done before put")
	}
	created, err := s.Put("train", "k1", Provenance{Seed: 3}, func(dir string) error { return writeOutputs(dir, `{"nmi":0.5}`) })
	if err != nil || !created {
		t.Fatal(created, err)
	}
	if !s.Done("train", "k1") {
		t.Fatal("not done after put")
	}
	m, err := s.ReadManifest("train", "k1")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 || m.Files[0].Path != "metrics.json" || m.Files[1].Path != "sub/b.txt" || m.Files[1].Size != 1 {
		t.Errorf("manifest %+v", m)
	}
	p, err := s.ReadProvenance("train", "k1")
	if err != nil || p.Seed != 3 || p.Build.GoVersion == "" || p.Build.GitCommit == "" || p.End.Before(p.Start) {
		t.Errorf("provenance %+v %v", p, err)
	}
	// second put is a no-op and does not call fill
	created, err = s.Put("train", "k1", Provenance{}, func(string) error { t.Error("fill called"); return nil })
	if err != nil || created {
		t.Fatal(created, err)
	}
	// manifest bytes do not depend on time: a second store gives the same bytes
	s2, _ := Open(t.TempDir())
	s2.Put("train", "k1", Provenance{}, func(dir string) error { return writeOutputs(dir, `{"nmi":0.5}`) })
	a, _ := os.ReadFile(filepath.Join(s.Dir("train", "k1"), ManifestFile))
	b, _ := os.ReadFile(filepath.Join(s2.Dir("train", "k1"), ManifestFile))
	if !bytes.Equal(a, b) {
		t.Error("manifest not deterministic")
	}
	noTemp(t, s.Root())
}

func TestPutFailures(t *testing.T) {
	full := errors.New("no space left on device")
	tests := []struct {
		name      string
		fill      func(dir string) error
		writeFile func(string, []byte) error
		want      string
	}{
		{"fill fails", func(string) error { return errors.New("boom") }, nil, "boom"},
		{"reserved name", func(dir string) error { return os.WriteFile(filepath.Join(dir, ManifestFile), nil, 0o644) }, nil, "reserved"},
		{"disk full on manifest", func(dir string) error { return writeOutputs(dir, "x") }, func(p string, d []byte) error {
			if strings.HasSuffix(p, ManifestFile) {
				return full
			}
			return writeSynced(p, d)
		}, "no space"},
		{"disk full in stage writer", func(dir string) error {
			f, _ := os.Create(filepath.Join(dir, "big"))
			defer f.Close()
			_, err := (&failingWriter{w: f, left: 10}).Write(make([]byte, 100))
			return err
		}, nil, "no space"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := Open(t.TempDir())
			if _, err := s.Put("detect", "kept", Provenance{}, func(dir string) error { return writeOutputs(dir, "kept") }); err != nil {
				t.Fatal(err)
			}
			s.writeFile = tc.writeFile
			_, err := s.Put("detect", "k", Provenance{}, tc.fill)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if s.Done("detect", "k") {
				t.Error("failed entry is done")
			}
			if _, err := os.Stat(s.Dir("detect", "k")); !os.IsNotExist(err) {
				t.Error("failed entry folder exists")
			}
			if !s.Done("detect", "kept") {
				t.Error("finished entry lost")
			}
			noTemp(t, s.Root())
		})
	}
}

type failingWriter struct {
	w    *os.File
	left int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.w.Write(p[:f.left])
		f.left = 0
		return n, fmt.Errorf("write: %w", syscall.ENOSPC)
	}
	f.left -= len(p)
	return f.w.Write(p)
}

func TestUnwritableStore(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	_, err := Open(filepath.Join(file, "store"))
	if err == nil || !strings.Contains(err.Error(), file) {
		t.Fatalf("err %v should name %s", err, file)
	}
}

func TestConcurrentPutGoroutines(t *testing.T) {
	s, _ := Open(t.TempDir())
	var wg sync.WaitGroup
	var mu sync.Mutex
	createdCount := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.Put("crop", "same", Provenance{}, func(dir string) error {
				time.Sleep(10 * time.Millisecond)
				return writeOutputs(dir, "the same output from every writer")
			})
			if err != nil {
				t.Error(err)
			}
			if c {
				mu.Lock()
				createdCount++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if createdCount != 1 {
		t.Errorf("%d writers created the entry, want 1", createdCount)
	}
	noTemp(t, s.Root())
}

// TestTwoProcessesRace starts two copies of this test binary that put the
// same key at the same moment; exactly one must create the entry and the
// entry must match its manifest.
func TestTwoProcessesRace(t *testing.T) {
	if os.Getenv("RESULTS_RACE_CHILD") != "" {
		return
	}
	root := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRaceChild$", "-test.v")
		cmd.Env = append(os.Environ(), "RESULTS_RACE_CHILD="+fmt.Sprint(i), "RESULTS_RACE_ROOT="+root)
		out := &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outs = append(outs, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		a, _ := filepath.Glob(filepath.Join(root, "ready-*"))
		if len(a) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("children not ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
	os.WriteFile(filepath.Join(root, "go"), nil, 0o644)
	created := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i])
		}
		if !strings.Contains(outs[i].String(), "filled") {
			t.Errorf("child %d did not race (found the entry done):\n%s", i, outs[i])
		}
		if strings.Contains(outs[i].String(), "created=true") {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d processes created the entry, want 1", created)
	}
	s, _ := Open(filepath.Join(root, "store"))
	m, err := s.ReadManifest("train", "race")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		info, err := os.Stat(filepath.Join(s.Dir("train", "race"), f.Path))
		if err != nil || info.Size() != f.Size {
			t.Errorf("%s: %v size mismatch", f.Path, err)
		}
	}
	noTemp(t, s.Root())
}

func TestRaceChild(t *testing.T) {
	id := os.Getenv("RESULTS_RACE_CHILD")
	if id == "" {
		t.Skip("helper process for TestTwoProcessesRace")
	}
	root := os.Getenv("RESULTS_RACE_ROOT")
	s, err := Open(filepath.Join(root, "store"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "ready-"+id), nil, 0o644)
	for {
		if _, err := os.Stat(filepath.Join(root, "go")); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	created, err := s.Put("train", "race", Provenance{}, func(dir string) error {
		fmt.Println("filled")
		time.Sleep(200 * time.Millisecond)
		return writeOutputs(dir, "same bytes from both writers")
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("created=%v\n", created)
}

func TestGC(t *testing.T) {
	s, _ := Open(t.TempDir())
	for _, k := range []string{"a", "b", "c"} {
		s.Put("train", k, Provenance{}, func(dir string) error { return writeOutputs(dir, k) })
	}
	os.MkdirAll(filepath.Join(s.Root(), "train", tmpPrefix+"d-123"), 0o755)
	os.MkdirAll(filepath.Join(s.Root(), "logs", "train"), 0o755)
	keep := func(e EntryRef) bool { return e.Key == "b" }
	got, err := s.GC(keep, true)
	if err != nil {
		t.Fatal(err)
	}
	want := "train/.tmp-d-123 train/a train/c"
	if strings.Join(got, " ") != want {
		t.Fatalf("dry run %v, want %s", got, want)
	}
	if !s.Done("train", "a") {
		t.Fatal("dry run removed an entry")
	}
	if _, err := s.GC(keep, false); err != nil {
		t.Fatal(err)
	}
	entries, _ := s.Entries()
	if len(entries) != 1 || entries[0].Path() != "train/b" {
		t.Fatalf("after gc %v", entries)
	}
	if _, err := os.Stat(filepath.Join(s.Root(), "logs")); err != nil {
		t.Error("gc removed a non-entry folder")
	}
	noTemp(t, s.Root())
}
