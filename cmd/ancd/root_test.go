package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --cpuprofile writes a CPU profile (a gzipped protocol buffer, complete
// once the command returns) for any command;
// a profile path that cannot be created is an error naming the flag.
func TestCPUProfileFlag(t *testing.T) {
	dir := t.TempDir()
	labels := filepath.Join(dir, "labels.csv")
	if err := os.WriteFile(labels, []byte("y_true,y_pred\n0,1\n0,1\n1,0\n1,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "cpu.prof")
	out := runAncd(t, "--cpuprofile", prof, "metrics", "--labels", labels)
	if !strings.Contains(out, `"nmi"`) {
		t.Fatalf("metrics output: %s", out)
	}
	f, err := os.Open(prof)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not a CPU profile: %v", prof, err)
	}
	if n, err := io.Copy(io.Discard, zr); err != nil || n == 0 {
		t.Fatalf("%s: %d bytes of profile, %v", prof, n, err)
	}

	root := newRootCmd()
	root.SetArgs([]string{"--cpuprofile", filepath.Join(dir, "missing", "cpu.prof"), "metrics", "--labels", labels})
	root.SetOut(&strings.Builder{})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "--cpuprofile") {
		t.Fatalf("err = %v, want one naming --cpuprofile", err)
	}
}
