package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runAncd runs the CLI in process and returns its output.
func runAncd(t *testing.T, args ...string) string {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		t.Fatalf("ancd %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestSmokeStudyEndToEnd runs the whole study (every table) on the smoke
// profile twice, in fresh stores with different worker counts, and checks
// that RESULTS.md is complete and byte-identical; then a rerun on the first
// store is served from the cache.
func TestSmokeStudyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("the smoke study takes about a minute")
	}
	dir := t.TempDir()
	res1 := filepath.Join(dir, "a", "RESULTS.md")
	res2 := filepath.Join(dir, "b", "RESULTS.md")
	plots1 := filepath.Join(dir, "a", "plots")
	plots2 := filepath.Join(dir, "b", "plots")
	report1 := filepath.Join(dir, "a", "report")
	report2 := filepath.Join(dir, "b", "report")
	runAncd(t, "ablations", "--profile", "smoke", "--store", filepath.Join(dir, "s1"), "--workers", "1", "--results", res1, "--plots", plots1, "--report", report1)
	runAncd(t, "ablations", "--profile", "smoke", "--store", filepath.Join(dir, "s2"), "--workers", "2", "--results", res2, "--plots", plots2, "--report", report2)
	a, err := os.ReadFile(res1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("RESULTS.md differs between --workers 1 and 2:\n%s\n---\n%s", a, b)
	}
	for _, fig := range []string{"fig3_mebin.png", "fig7_thresholds.png", "fig8_tsne.png", "training_curves.png", "training_diagnostics.png", "fig9_attention.png", "fig11_multilabel.png", "confusion.png"} {
		f1, err1 := os.ReadFile(filepath.Join(plots1, fig))
		f2, err2 := os.ReadFile(filepath.Join(plots2, fig))
		if err1 != nil || err2 != nil || !bytes.Equal(f1, f2) {
			t.Errorf("figure %s missing or not byte-identical across runs (%v, %v)", fig, err1, err2)
		}
	}
	text := string(a)
	for _, id := range []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"} {
		if !strings.Contains(text, "## Table "+id+" — ") {
			t.Errorf("RESULTS.md lacks Table %s", id)
		}
	}
	// every cell where the paper has a number has one of ours too (baseline
	// rows have no AUPRO: "n/a (-)")
	if strings.Contains(text, "n/a (0") || strings.Contains(text, "n/a (1") {
		t.Errorf("RESULTS.md has cells without a value:\n%s", text)
	}
	for _, row := range []string{"AC (Semi), PatchCore maps", "AC (Unsup), MuSc maps", "k-means on frozen whole-image features", "NCD baseline"} {
		if !strings.Contains(text, "| "+row) {
			t.Errorf("RESULTS.md lacks the baseline row %q", row)
		}
	}
	if !strings.Contains(text, "## The paper's claims") {
		t.Error("RESULTS.md lacks the claims section")
	}
	// the smoke profile departs from the reference (size, recipe) and says so;
	// the default configuration's training diagnostics have a row per category
	for _, want := range []string{"Departures of the default configuration from the reference", "- `model.stem`: \"filterbank\" (reference: \"pixels\")",
		"## Training diagnostics", "| MVTec AD-like / cable"} {
		if !strings.Contains(text, want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
	// ... with the training-free filter bank's k-means beside the backbone's
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "| MVTec AD-like / cable ") {
			cells := strings.Split(line, "|")
			if len(cells) < 8 || !strings.Contains(cells[6], " ± ") {
				t.Errorf("diagnostics row without a filter-bank k-means NMI: %s", line)
			}
		}
	}
	if !strings.Contains(text, "**inconclusive**") || !strings.Contains(text, "## Appendix — per-category results") {
		t.Error("RESULTS.md lacks verdicts with intervals or the per-category appendix")
	}
	before := readTree(t, report1)
	if len(before) < 10 || before["index.html"] == nil {
		t.Fatalf("report has %d files", len(before))
	}
	out := runAncd(t, "ablations", "--profile", "smoke", "--store", filepath.Join(dir, "s1"), "--workers", "2", "--results", res1, "--plots", plots1, "--report", report1)
	if !strings.Contains(out, "ran 0,") {
		t.Errorf("rerun on a complete store ran tasks:\n%s", out)
	}
	// the report is a function of the store: rewritten from the same store,
	// every page is byte-identical
	after := readTree(t, report1)
	if len(after) != len(before) {
		t.Errorf("report rewritten from the same store has %d files, was %d", len(after), len(before))
	}
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("report/%s changed when rewritten from the same store", name)
		}
	}
	t.Run("browser", func(t *testing.T) { checkReportInBrowser(t, report1) })
	diff := runAncd(t, "results", "diff", res1, res2)
	if !strings.Contains(diff, "no cells differ") {
		t.Errorf("results diff of identical files: %s", diff)
	}
	compareStores(t, filepath.Join(dir, "s1"), filepath.Join(dir, "s2"))
}

// compareStores checks that two stores hold the same entries with
// byte-identical outputs: stage outputs depend on neither the worker count
// nor where the store is. Provenance (paths, hosts, times) and the run
// logs and reports are excluded.
func compareStores(t *testing.T, s1, s2 string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(s1, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s1, path)
		if d.IsDir() {
			if rel == "logs" || rel == "reports" {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == "PROVENANCE.json" {
			return nil
		}
		a, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(s2, rel))
		if err != nil {
			t.Errorf("%s: in the first store only (%v)", rel, err)
			return nil
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the two stores", rel)
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("compared no files")
	}
	t.Logf("%d store files byte-identical across stores", files)
}

// readTree reads every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
