package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// treeHash hashes every path and file content under dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fmt.Fprintln(h, p, d.IsDir())
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestOutNeverLosesUserData: synth, detect and binarize refuse an --out that
// is, contains or lies inside an input, or that is a file; refuse a
// non-empty --out that is not their own earlier output unless --force; with
// --force a user's file there survives; their own earlier output is
// replaced without --force.
func TestOutNeverLosesUserData(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runAncd(t, "synth", "--profile", "smoke", "--seed", "1", "--out", data)
	mvtec := filepath.Join(data, "mvtec")
	maps := filepath.Join(dir, "maps")
	detect := func(out string, extra ...string) (string, error) {
		return runAncdErr(append([]string{"detect", "--data", mvtec, "--method", "gt", "--category", "wood", "--out", out}, extra...)...)
	}
	binarize := func(out string, extra ...string) (string, error) {
		return runAncdErr(append([]string{"binarize", "--maps", maps, "--out", out}, extra...)...)
	}
	synthTo := func(out string, extra ...string) (string, error) {
		return runAncdErr(append([]string{"synth", "--profile", "smoke", "--seed", "1", "--out", out}, extra...)...)
	}
	if _, err := detect(maps); err != nil {
		t.Fatal(err)
	}
	// Rerunning into one's own output replaces it.
	if _, err := detect(maps); err != nil {
		t.Fatalf("rerun into own output: %v", err)
	}
	dataHash, mapsHash := treeHash(t, data), treeHash(t, maps)
	aMap := filepath.Join(maps, "wood", "good", "000.png")
	if _, err := os.Stat(aMap); err != nil {
		t.Fatal(err)
	}

	refusals := []struct {
		name string
		run  func() (string, error)
		want string
	}{
		{"detect into its dataset", func() (string, error) { return detect(mvtec, "--force") }, "is the input --data"},
		{"detect inside its dataset", func() (string, error) { return detect(filepath.Join(mvtec, "maps")) }, "lies inside the input --data"},
		{"detect around its dataset", func() (string, error) { return detect(data, "--force") }, "contains the input --data"},
		{"binarize into its maps", func() (string, error) { return binarize(maps, "--force") }, "is the input --maps"},
		{"binarize onto a map file", func() (string, error) {
			return runAncdErr("binarize", "--maps", maps, "--out", aMap, "--force")
		}, "lies inside the input --maps"},
		{"detect onto a file", func() (string, error) { return detect(filepath.Join(data, "synth.json"), "--force") }, "existing file"},
		{"synth over detect's output", func() (string, error) { return synthTo(maps) }, "is not empty and is not an output of ancd synth"},
		{"detect over synth's output", func() (string, error) { return detect(data) }, "contains the input"},
		{"binarize over detect's output", func() (string, error) {
			return runAncdErr("binarize", "--maps", filepath.Join(data, "mvtec"), "--out", maps)
		}, "not an output of ancd binarize"},
	}
	for _, r := range refusals {
		out, err := r.run()
		if err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: err = %v, want %q\n%s", r.name, err, r.want, out)
		}
	}
	if treeHash(t, data) != dataHash || treeHash(t, maps) != mapsHash {
		t.Fatal("a refused command changed its input")
	}

	// A user's thesis in --out: refused without --force, kept with it.
	writers := []struct {
		name string
		run  func(out string, extra ...string) (string, error)
	}{{"synth", synthTo}, {"detect", detect}, {"binarize", binarize}}
	for _, w := range writers {
		out := filepath.Join(dir, "out-"+w.name)
		thesis := filepath.Join(out, "thesis.txt")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(thesis, []byte("my thesis"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := w.run(out); err == nil || !strings.Contains(err.Error(), "thesis.txt") || !strings.Contains(err.Error(), "--force") {
			t.Errorf("%s into a folder with thesis.txt: err = %v", w.name, err)
		}
		for i := 0; i < 2; i++ {
			if _, err := w.run(out, "--force"); err != nil {
				t.Fatalf("%s --force (run %d): %v", w.name, i+1, err)
			}
			if b, err := os.ReadFile(thesis); err != nil || string(b) != "my thesis" {
				t.Fatalf("%s --force (run %d) lost thesis.txt: %q, %v", w.name, i+1, b, err)
			}
		}
		entries, _ := os.ReadDir(out)
		if len(entries) < 3 {
			t.Errorf("%s --force wrote nothing beside thesis.txt: %d entries", w.name, len(entries))
		}
	}
	// No temporary folders left anywhere.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary folder left: %s", e.Name())
		}
	}
}

// TestSynthSignalsLeaveNoTempFolder: SIGTERM (or Ctrl-C) during ancd synth
// removes its temporary folder; one left by SIGKILL is swept by the next run.
func TestSynthSignalsLeaveNoTempFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildAncd(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "data")
	temps := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, ".data.tmp*"))
		return m
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "synth", "--profile", "quick", "--workers", "1", "--out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for len(temps()) == 0 {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("no temporary folder appeared")
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		return cmd
	}
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		cmd := start()
		cmd.Process.Signal(sig)
		if err := cmd.Wait(); err == nil {
			t.Fatalf("%v: synth exited 0", sig)
		}
		if left := temps(); len(left) > 0 {
			t.Fatalf("%v left %v", sig, left)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v: --out exists: %v", sig, err)
		}
	}
	cmd := start()
	cmd.Process.Kill()
	cmd.Wait()
	if len(temps()) != 1 {
		t.Fatalf("SIGKILL left %v, want one temporary folder", temps())
	}
	ancdProcess(t, bin, "synth", "--profile", "smoke", "--out", out)
	if left := temps(); len(left) > 0 {
		t.Fatalf("the next run did not sweep %v", left)
	}
}
