package outdir

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cmdName = "ancd test"

// fillWith returns a fill that writes the named files (content = name + tag).
func fillWith(tag string, names ...string) func(string) error {
	return func(tmp string) error {
		for _, n := range names {
			p := filepath.Join(tmp, n)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(n+tag), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteRefusesOverlapWithInputs(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	file := filepath.Join(data, "map.png")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, []byte("png"), 0o644)
	cases := []struct {
		name, out, want string
	}{
		{"equal", data, "is the input"},
		{"equal with trailing parts", data + "/./", "is the input"},
		{"inside", filepath.Join(data, "maps"), "lies inside the input"},
		{"contains", dir, "contains the input"},
		{"a file of the input", file, "lies inside the input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Command: cmdName, Inputs: []Input{{"--data", data}}, Force: true}
			err := Write(context.Background(), c.out, o, fillWith("", "a.txt"))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if got := read(t, file); got != "png" {
				t.Fatalf("input changed: %q", got)
			}
		})
	}
	// A symlink to the input is the input.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	err := Check(filepath.Join(link, "out"), Options{Command: cmdName, Inputs: []Input{{"--data", data}}})
	if err == nil || !strings.Contains(err.Error(), "inside the input") {
		t.Fatalf("through a symlink: %v", err)
	}
}

func TestWriteRefusesFileOut(t *testing.T) {
	f := filepath.Join(t.TempDir(), "map.png")
	os.WriteFile(f, []byte("png"), 0o644)
	err := Write(context.Background(), f, Options{Command: cmdName, Force: true}, fillWith("", "a"))
	if err == nil || !strings.Contains(err.Error(), "existing file") {
		t.Fatalf("err = %v", err)
	}
	if fi, err := os.Stat(f); err != nil || fi.IsDir() || read(t, f) != "png" {
		t.Fatalf("file changed: %v", err)
	}
}

func TestWriteKeepsUserFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(out, 0o755)
	thesis := filepath.Join(out, "thesis.txt")
	os.WriteFile(thesis, []byte("years of work"), 0o644)
	o := Options{Command: cmdName}

	err := Write(context.Background(), out, o, fillWith("1", "a.txt", "sub/b.txt"))
	if err == nil || !strings.Contains(err.Error(), "thesis.txt") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("non-empty foreign folder: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "a.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("refused write still wrote: %v", err)
	}
	o.Force = true
	if err := Write(context.Background(), out, o, fillWith("1", "a.txt", "sub/b.txt")); err != nil {
		t.Fatal(err)
	}
	if read(t, thesis) != "years of work" || read(t, filepath.Join(out, "a.txt")) != "a.txt1" {
		t.Fatal("forced write lost the user's file or did not write")
	}
	// Forced again: our entries are replaced (a stale one removed), the user's kept.
	if err := Write(context.Background(), out, o, fillWith("2", "a.txt")); err != nil {
		t.Fatal(err)
	}
	if read(t, thesis) != "years of work" || read(t, filepath.Join(out, "a.txt")) != "a.txt2" {
		t.Fatal("second forced write")
	}
	if _, err := os.Stat(filepath.Join(out, "sub")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("own stale entry kept: %v", err)
	}
	// Without --force the folder now holds a foreign file: refused.
	o.Force = false
	if err := Write(context.Background(), out, o, fillWith("3", "a.txt")); err == nil || !strings.Contains(err.Error(), "also holds files it did not write") {
		t.Fatalf("err = %v", err)
	}
	// A foreign entry with the name of one of ours is never replaced.
	o.Force = true
	if err := Write(context.Background(), out, o, fillWith("4", "a.txt", "thesis.txt")); err == nil || !strings.Contains(err.Error(), "thesis.txt") {
		t.Fatalf("clash: err = %v", err)
	}
	if read(t, thesis) != "years of work" || read(t, filepath.Join(out, "a.txt")) != "a.txt2" {
		t.Fatal("failed clash write changed the folder")
	}
	assertNoTemps(t, filepath.Dir(out))
}

func TestWriteReplacesOwnOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	o := Options{Command: cmdName}
	if err := Write(context.Background(), out, o, fillWith("1", "a.txt", "b.txt")); err != nil {
		t.Fatal(err)
	}
	var m marker
	if err := json.Unmarshal([]byte(read(t, filepath.Join(out, MarkerFile))), &m); err != nil || m.Command != cmdName || strings.Join(m.Entries, ",") != "a.txt,b.txt" {
		t.Fatalf("marker %+v, %v", m, err)
	}
	if err := Write(context.Background(), out, o, fillWith("2", "a.txt")); err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(out, "a.txt")) != "a.txt2" {
		t.Fatal("not replaced")
	}
	if _, err := os.Stat(filepath.Join(out, "b.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("stale own file kept")
	}
	// Another command's output is not ours.
	err := Write(context.Background(), out, Options{Command: "ancd other"}, fillWith("", "a.txt"))
	if err == nil || !strings.Contains(err.Error(), "not an output of ancd other") {
		t.Fatalf("err = %v", err)
	}
	// An empty folder is fine.
	empty := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(empty, 0o755)
	if err := Write(context.Background(), empty, o, fillWith("", "a.txt")); err != nil {
		t.Fatal(err)
	}
	assertNoTemps(t, filepath.Dir(out))
}

func TestWriteFailureAndCancelLeaveNothing(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	boom := errors.New("boom")
	if err := Write(context.Background(), out, Options{Command: cmdName}, func(tmp string) error {
		fillWith("", "a")(tmp)
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := Write(ctx, out, Options{Command: cmdName}, func(tmp string) error {
		fillWith("", "a")(tmp)
		cancel()
		<-make(chan struct{}) // a fill that ignores ctx
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	assertNoTemps(t, parent)
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("out exists: %v", err)
	}
}

func TestWriteSweepsStaleTempsOfItsOwn(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	host, _ := os.Hostname()
	mk := func(name string, m *tmpMarker) string {
		d := filepath.Join(parent, name)
		os.MkdirAll(filepath.Join(d, "mvtec"), 0o755)
		if m != nil {
			b, _ := json.Marshal(m)
			os.WriteFile(filepath.Join(d, tmpMarkerFile), b, 0o644)
		}
		return d
	}
	stale := mk(".out.tmp111", &tmpMarker{Command: cmdName, Host: host, PID: 1 << 30}) // no such process
	live := mk(".out.tmp222", &tmpMarker{Command: cmdName, Host: host, PID: os.Getpid()})
	other := mk(".out.tmp333", &tmpMarker{Command: "ancd other", Host: host, PID: 1 << 30})
	user := mk(".out.tmp444", nil)
	if err := Write(context.Background(), out, Options{Command: cmdName}, fillWith("", "a")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("stale temp folder kept")
	}
	for _, d := range []string{live, other, user} {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("%s removed: %v", d, err)
		}
	}
}

func assertNoTemps(t *testing.T, parent string) {
	t.Helper()
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Fatalf("temporary folder left: %s", e.Name())
		}
	}
}
