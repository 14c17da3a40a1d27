package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/configs"
)

// TestStrayConfigFilesAreIgnored: base.yaml, profiles/ and tables/ files in
// the working folder do not change a study (only --configs DIR does), and
// the command names the config files it read.
func TestStrayConfigFilesAreIgnored(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	plan := func(args ...string) string {
		t.Helper()
		root := newRootCmd()
		var out, errOut strings.Builder
		root.SetOut(&out)
		root.SetErr(&errOut)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("ancd %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
		return out.String() + "\nSTDERR\n" + errOut.String()
	}
	run := []string{"run", "tables/table7.yaml", "experiment.profile=smoke", "--dry-run", "--store", store}
	abl := []string{"ablations", "--profile", "smoke", "--dry-run", "--store", store}
	cleanRun, cleanAbl := plan(run...), plan(abl...)
	for _, want := range []string{"configs read: ", "base.yaml (embedded)", "profiles/smoke.yaml (embedded)", "tables/table7.yaml (embedded)"} {
		if !strings.Contains(cleanRun, want) {
			t.Errorf("ancd run output lacks %q:\n%s", want, cleanRun)
		}
	}

	// A working folder full of stray configs that would change every key.
	wd := t.TempDir()
	stray := map[string]string{
		"base.yaml":           "train:\n  epochs: 1\n",
		"profiles/smoke.yaml": "train:\n  epochs: 2\n",
		"tables/table7.yaml":  "name: stray\nset:\n  train.epochs: 3\n",
		"tables/table3.yaml":  "name: stray\nset:\n  train.epochs: 3\n",
	}
	for name, text := range stray {
		p := filepath.Join(wd, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(wd)
	if got := plan(abl...); got != cleanAbl {
		t.Errorf("stray configs changed ancd ablations:\n%s\nwant\n%s", got, cleanAbl)
	}
	// A sweep the user names on the command line is read from disk.
	got := plan(run...)
	if !strings.Contains(got, "tables/table7.yaml (disk)") || !strings.Contains(got, "base.yaml (embedded)") || got == cleanRun {
		t.Errorf("named sweep file not read from disk, or base.yaml not embedded:\n%s", got)
	}
	// --configs DIR is read instead of the embedded configs; what it lacks
	// comes from them.
	cfgDir := t.TempDir()
	smoke, err := configs.FS.ReadFile("profiles/smoke.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(cfgDir, "profiles"), 0o755)
	if err := os.WriteFile(filepath.Join(cfgDir, "profiles", "smoke.yaml"), []byte(strings.Replace(string(smoke), "seeds: [3407]", "seeds: [7]", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	got = plan(append(abl, "--configs", cfgDir)...)
	if !strings.Contains(got, "profiles/smoke.yaml (--configs)") || !strings.Contains(got, "base.yaml (embedded)") || got == cleanAbl {
		t.Errorf("--configs %s not used:\n%s", cfgDir, got)
	}
}
