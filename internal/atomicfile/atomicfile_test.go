package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileReplacesWhole(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "a.txt")
	if err := WriteFile(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "two" {
		t.Fatalf("got %q, %v", b, err)
	}
}

func TestWriteFailureLeavesOldContent(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := WriteFile(p, []byte("keep")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want wrapped disk-full error, got %v", err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "keep" {
		t.Fatalf("old content lost: %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("temporary files left behind: %v", ents)
	}
}

func TestDirAtomic(t *testing.T) {
	root := t.TempDir()
	dst := filepath.Join(root, "out")
	if err := Dir(dst, func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "x"), []byte("1"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	err := Dir(dst, func(tmp string) error {
		os.WriteFile(filepath.Join(tmp, "y"), []byte("2"), 0o644)
		return errors.New("fail")
	})
	if err == nil {
		t.Fatal("want error")
	}
	if _, err := os.Stat(filepath.Join(dst, "x")); err != nil {
		t.Fatalf("finished folder lost: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dst, "y")); err == nil {
		t.Fatal("half-written content leaked into dst")
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Fatalf("temporary folders left: %v", ents)
	}
}

// TestDirFuncBuild: a nil DirFunc builds with Dir; another is called.
func TestDirFuncBuild(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "out")
	fill := func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "a.txt"), []byte("a"), 0o644) }
	if err := DirFunc(nil).Build(dst, fill); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "a.txt")); err != nil || string(b) != "a" {
		t.Fatalf("nil DirFunc: got %q, %v", b, err)
	}
	var got string
	own := DirFunc(func(d string, _ func(string) error) error { got = d; return nil })
	if err := own.Build("x", fill); err != nil || got != "x" {
		t.Fatalf("own DirFunc: called with %q, %v", got, err)
	}
}
