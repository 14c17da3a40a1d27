package results

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDirtyIgnoresStudyOutputs: rewriting RESULTS.md, plots/out/ or
// report/ (what a study writes) keeps the code clean; any other tracked
// change makes it dirty.
func TestDirtyIgnoresStudyOutputs(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := []string{"RESULTS.md", "plots/out/fig.svg", "report/index.html", "code.go", "plots/plot.go"}
	run("init", "-q")
	for _, f := range files {
		write(f, "v1")
	}
	run("add", ".")
	run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
	for _, f := range files[:3] {
		write(f, "v2")
	}
	write("plots/out/new.png", "untracked")
	// From the root and from a subfolder.
	for _, at := range []string{dir, filepath.Join(dir, "plots")} {
		commit, dirty, ok := gitState(at)
		if !ok || len(commit) != 40 || dirty {
			t.Fatalf("after rewriting the study outputs (from %s): commit %q dirty %v ok %v", at, commit, dirty, ok)
		}
	}
	for _, f := range files[3:] {
		write(f, "v2")
		if _, dirty, _ := gitState(dir); !dirty {
			t.Fatalf("a change to %s is not dirty", f)
		}
		run("checkout", "--", f)
	}
}
