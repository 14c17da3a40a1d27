package ablations

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// exampleEdit is one block of docs/extending.md marked
// <!-- example: new PATH --> or <!-- example: edit PATH after: ANCHOR -->.
type exampleEdit struct {
	path   string // relative to the repository root
	anchor string // "" for a new file; else the line the code goes after
	code   string
}

var exampleMarker = regexp.MustCompile("(?m)^<!-- example: (new|edit) (\\S+?)(?: after: (.*?))? -->\\n```\\w*\\n((?s:.*?))```\\n")

// parseExample returns the marked blocks of the extending guide in order.
func parseExample(doc string) ([]exampleEdit, error) {
	var edits []exampleEdit
	for _, m := range exampleMarker.FindAllStringSubmatch(doc, -1) {
		e := exampleEdit{path: m[2], anchor: m[3], code: m[4]}
		if (m[1] == "edit") != (e.anchor != "") {
			return nil, fmt.Errorf("block for %s: an edit needs an anchor, a new file none", e.path)
		}
		edits = append(edits, e)
	}
	if len(edits) == 0 {
		return nil, fmt.Errorf("no <!-- example: ... --> blocks")
	}
	return edits, nil
}

// applyExample returns the new content of every file the edits touch, the
// files read from root.
func applyExample(root string, edits []exampleEdit) (map[string]string, error) {
	files := map[string]string{}
	for _, e := range edits {
		cur, seen := files[e.path]
		if e.anchor == "" {
			if _, err := os.Stat(filepath.Join(root, e.path)); err == nil || seen {
				return nil, fmt.Errorf("%s: the example adds it, but it exists", e.path)
			}
			files[e.path] = e.code
			continue
		}
		if !seen {
			b, err := os.ReadFile(filepath.Join(root, e.path))
			if err != nil {
				return nil, err
			}
			cur = string(b)
		}
		lines := strings.SplitAfter(cur, "\n")
		at := -1
		for i, l := range lines {
			if strings.TrimSpace(l) == strings.TrimSpace(e.anchor) {
				if at >= 0 {
					return nil, fmt.Errorf("%s: anchor %q occurs more than once", e.path, e.anchor)
				}
				at = i
			}
		}
		if at < 0 {
			return nil, fmt.Errorf("%s: anchor %q not found", e.path, e.anchor)
		}
		files[e.path] = strings.Join(lines[:at+1], "") + e.code + strings.Join(lines[at+1:], "")
	}
	return files, nil
}

// TestExtendingExample keeps docs/extending.md true: it applies the guide's
// worked example (a new merging strategy, its test, a sweep point, a table
// row and a claim) as a go build overlay, runs the example's unit test and
// the planning tests of this package with it, and checks that the smoke
// study plans the new point.
func TestExtendingExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ancd with the example applied")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the example: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "extending.md"))
	if err != nil {
		t.Fatal(err)
	}
	edits, err := parseExample(string(doc))
	if err != nil {
		t.Fatalf("docs/extending.md: %v", err)
	}
	files, err := applyExample(root, edits)
	if err != nil {
		t.Fatalf("docs/extending.md: %v", err)
	}
	tmp := t.TempDir()
	replace := map[string]string{}
	for rel, content := range files {
		p := filepath.Join(tmp, "overlay", rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		replace[filepath.Join(root, rel)] = p
	}
	overlay := filepath.Join(tmp, "overlay.json")
	b, _ := json.Marshal(map[string]any{"Replace": replace})
	if err := os.WriteFile(overlay, b, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	for _, pkg := range []struct{ path, tests string }{
		{"./core/merge", "TestMaxWeights"},
		{"./ablations", "TestPlanStudySharesStagesAcrossTables|TestRenderAllTablesParses"},
	} {
		out := run(goTool, "test", "-overlay", overlay, "-count=1", "-run", pkg.tests, pkg.path)
		if strings.Contains(out, "no tests to run") {
			t.Errorf("go test %s -run %s ran nothing:\n%s", pkg.path, pkg.tests, out)
		}
	}
	bin := filepath.Join(tmp, "ancd")
	run(goTool, "build", "-overlay", overlay, "-o", bin, "./cmd/ancd")
	plan := run(bin, "ablations", "--profile", "smoke", "--dry-run", "--store", filepath.Join(tmp, "store"))
	for _, task := range []string{"\tinfer (iv) max score seed=", "\tevaluate (iv) max score seed="} {
		if !strings.Contains(plan, task) {
			t.Errorf("the smoke plan lacks %q:\n%s", strings.TrimSpace(task), plan)
		}
	}
}

func TestApplyExampleAnchors(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.txt"), []byte("one\n  two\nthree\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edits   []exampleEdit
		want    string
		wantErr string
	}{
		{"insert after a line", []exampleEdit{{path: "a.txt", anchor: "three", code: "x\n"}}, "one\n  two\nthree\nx\ntwo\n", ""},
		{"two inserts", []exampleEdit{{path: "a.txt", anchor: "one", code: "a\n"}, {path: "a.txt", anchor: "a", code: "b\n"}}, "one\na\nb\n  two\nthree\ntwo\n", ""},
		{"ambiguous anchor", []exampleEdit{{path: "a.txt", anchor: "two", code: "x\n"}}, "", "more than once"},
		{"missing anchor", []exampleEdit{{path: "a.txt", anchor: "four", code: "x\n"}}, "", "not found"},
		{"new file that exists", []exampleEdit{{path: "a.txt", code: "x\n"}}, "", "exists"},
	}
	for _, tc := range tests {
		files, err := applyExample(root, tc.edits)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case files["a.txt"] != tc.want:
			t.Errorf("%s: %q, want %q", tc.name, files["a.txt"], tc.want)
		}
	}
	if _, err := parseExample("no blocks"); err == nil {
		t.Error("a guide without example blocks accepted")
	}
}
