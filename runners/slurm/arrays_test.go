package slurm

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/runners"
)

func TestGroupArrays(t *testing.T) {
	tasks := func(specs ...string) []runners.Task {
		// "key:stage:slots:dep,dep"
		var out []runners.Task
		for _, s := range specs {
			f := strings.Split(s, ":")
			var slots int64
			fmt.Sscan(f[2], &slots)
			var deps []string
			if f[3] != "" {
				deps = strings.Split(f[3], ",")
			}
			out = append(out, runners.Task{Key: f[0], Stage: f[1], Slots: slots, Deps: deps})
		}
		return out
	}
	tests := []struct {
		name    string
		tasks   []runners.Task
		skip    string // comma-separated keys not to submit
		maxSize int
		want    string // arrays "level/stage/slots[keys]<-after" joined by " "
	}{
		{"one stage", tasks("a:s:0:", "b:s:1:", "c:s:0:"), "", 1001, "0/s/1[a,b,c]"},
		{"chain across stages", tasks("a:synth:0:", "b:detect:0:a", "c:bin:0:b"), "", 1001,
			"0/synth/1[a] 1/detect/1[b]<-0 2/bin/1[c]<-1"},
		{"fan out and in", tasks("a:s:0:", "b:s:0:", "x:t:0:a", "y:t:0:b", "z:u:0:x,y"), "", 1001,
			"0/s/1[a,b] 1/t/1[x,y]<-0 2/u/1[z]<-1"},
		{"done dependency lowers level", tasks("a:s:0:", "b:t:0:a", "c:u:0:b"), "a", 1001,
			"0/t/1[b] 1/u/1[c]<-0"},
		{"split by max array size", tasks("a:s:0:", "b:s:0:", "c:s:0:", "d:s:0:", "e:s:0:", "x:t:0:e"), "", 2,
			"0/s/1[a,b] 0/s/1[c,d] 0/s/1[e] 1/t/1[x]<-2"},
		{"slots split a stage", tasks("a:train:4:", "b:train:1:", "c:train:4:"), "", 1001,
			"0/train/4[a,c] 0/train/1[b]"},
		{"two stages at one level", tasks("a:s:0:", "b:t:0:", "c:u:0:a,b"), "", 1001,
			"0/s/1[a] 0/t/1[b] 1/u/1[c]<-0,1"},
		{"mixed levels in a stage", tasks("a:s:0:", "b:s:0:a"), "", 1001, "0/s/1[a] 1/s/1[b]<-0"},
		{"nothing to do", tasks("a:s:0:"), "a", 1001, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			skip := map[string]bool{}
			for _, k := range strings.Split(tc.skip, ",") {
				skip[k] = true
			}
			order, err := runners.Validate(runners.Plan{Tasks: tc.tasks}, func(k string) bool { return skip[k] })
			if err != nil {
				t.Fatal(err)
			}
			submit := map[string]bool{}
			for _, task := range order {
				if !skip[task.Key] {
					submit[task.Key] = true
				}
			}
			var got []string
			for _, a := range groupArrays(order, submit, tc.maxSize) {
				s := fmt.Sprintf("%d/%s/%d[%s]", a.Level, a.Stage, a.Slots, strings.Join(a.Keys, ","))
				if len(a.After) > 0 {
					s += "<-" + strings.Trim(strings.Join(strings.Fields(fmt.Sprint(a.After)), ","), "[]")
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got  %s\nwant %s", g, tc.want)
			}
		})
	}
}

func TestTaskLineRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	tests := []struct {
		name string
		argv []string
	}{
		{"plain", []string{"/shared/bin/ancd", "run-task", "--key=abc123"}},
		{"spaces and quotes", []string{"echo", "it's a \"test\"", "$HOME", "`x`", "a;b|c&d"}},
		{"empty argument", []string{"printf", "[%s]", ""}},
		{"newline and tab", []string{"bash", "-c", "echo one\necho 'two'\ttab", "x\\y"}},
		{"glob", []string{"echo", "*", "?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line, err := taskLine("key1", tc.argv)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(line, "\n") {
				t.Fatalf("task line spans lines: %q", line)
			}
			_, cmd, _ := strings.Cut(line, "\t")
			// eval the quoted command with the program replaced by printf
			out, err := exec.Command("bash", "-c", `set -f; eval "args=($1)"; printf '%s\0' "${args[@]}"`, "_", cmd).Output()
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if strings.Join(got, "\x00") != strings.Join(tc.argv, "\x00") {
				t.Errorf("round trip of %q\ngot  %q\nwant %q", cmd, got, tc.argv)
			}
		})
	}
}

func TestTaskLineErrors(t *testing.T) {
	tests := []struct {
		key     string
		argv    []string
		wantErr string
	}{
		{"a\tb", []string{"x"}, "tab or newline"},
		{"a", nil, "empty command"},
		{"a", []string{"x\x00y"}, "NUL"},
	}
	for _, tc := range tests {
		if _, err := taskLine(tc.key, tc.argv); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("taskLine(%q, %q): want error with %q, got %v", tc.key, tc.argv, tc.wantErr, err)
		}
	}
}

func TestArrayScript(t *testing.T) {
	spec := arraySpec{Level: 2, Stage: "train mvtec", Slots: 4, Keys: []string{"k0", "k1", "k2"}}
	tests := []struct {
		name    string
		opts    Options
		want    []string
		notWant []string
	}{
		{"defaults", Options{}, []string{
			"#!/bin/bash\n", "#SBATCH --job-name=ancd-train_mvtec\n", "#SBATCH --array=0-2\n",
			"#SBATCH --output=/store/slurm/h/logs/%A_%a.out\n", "#SBATCH --cpus-per-task=4\n",
			"mapfile -t lines < \"$run_dir/tasks-7.txt\"\n", "exit/array-7_$index.exit",
		}, []string{"--partition", "--account", "--time", "--mem", "%\n"}},
		{"all options", Options{Partition: "gpu", Account: "lab", TimeLimit: "2:00:00", Mem: "8G", MaxConcurrent: 5}, []string{
			"#SBATCH --array=0-2%5\n", "#SBATCH --partition=gpu\n", "#SBATCH --account=lab\n",
			"#SBATCH --time=2:00:00\n", "#SBATCH --mem=8G\n",
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := arrayScript("/store/slurm/h", 7, spec, tc.opts)
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("script lacks %q:\n%s", w, s)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(s, w) {
					t.Errorf("script has %q:\n%s", w, s)
				}
			}
		})
	}
}

func TestPlanHash(t *testing.T) {
	base := runners.Plan{Tasks: []runners.Task{{Key: "a", Stage: "s"}, {Key: "b", Stage: "t", Deps: []string{"a"}}}}
	changed := []runners.Plan{
		{Tasks: []runners.Task{{Key: "a", Stage: "s"}}},
		{Tasks: []runners.Task{{Key: "a", Stage: "s", Slots: 2}, {Key: "b", Stage: "t", Deps: []string{"a"}}}},
		{Tasks: []runners.Task{{Key: "a", Stage: "s"}, {Key: "b", Stage: "t"}}},
	}
	h := PlanHash(base)
	if len(h) != 16 || h != PlanHash(base) {
		t.Fatalf("hash %q not stable or not 16 hex digits", h)
	}
	// Slots 0 and 1 mean the same thing.
	same := runners.Plan{Tasks: []runners.Task{{Key: "a", Stage: "s", Slots: 1}, {Key: "b", Stage: "t", Deps: []string{"a"}}}}
	if PlanHash(same) != h {
		t.Errorf("Slots 1 hashed differently from Slots 0")
	}
	for i, p := range changed {
		if PlanHash(p) == h {
			t.Errorf("changed plan %d has the same hash", i)
		}
	}
}

func TestParseSqueue(t *testing.T) {
	got, err := parseSqueue("12|0|COMPLETED|None\n12|1|PENDING|DependencyNeverSatisfied\n13|N/A|RUNNING|None\n\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []queuedTask{{"12", 0, "COMPLETED", "None"}, {"12", 1, "PENDING", "DependencyNeverSatisfied"}, {"13", -1, "RUNNING", "None"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got[0].active() || !got[1].active() || !got[1].neverSatisfied() || !got[2].active() {
		t.Errorf("active/neverSatisfied wrong for %v", got)
	}
	if _, err := parseSqueue("garbage line"); err == nil {
		t.Error("want an error for a malformed line")
	}
}
