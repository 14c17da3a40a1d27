package results

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

// Provenance records how an entry was made. It is stored in PROVENANCE.json,
// apart from the result files, so that results stay byte-identical between
// runs while provenance (times, host) differs.
type Provenance struct {
	Stage string `json:"stage"`
	Key   string `json:"key"`
	// Config is the resolved config the stage read (the sections in its key).
	Config json.RawMessage `json:"config,omitempty"`
	Seed   int             `json:"seed"`
	// Inputs are the entries the stage read, and whether each came from the
	// cache (made before this process started it) or was made in this run.
	Inputs []Input    `json:"inputs"`
	Start  time.Time  `json:"start"`
	End    time.Time  `json:"end"`
	Build  Build      `json:"build"`
	Extra  []KeyValue `json:"extra,omitempty"`
}

// Input is one input entry of a stage.
type Input struct {
	Stage  string `json:"stage"`
	Key    string `json:"key"`
	Cached bool   `json:"cached"`
}

// KeyValue is a free-form provenance note (e.g. the device a job ran on).
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Build describes the program and machine that made an entry.
type Build struct {
	GitCommit string   `json:"git_commit"` // "unknown" when git or the repository is unavailable
	GitDirty  bool     `json:"git_dirty"`
	GoVersion string   `json:"go_version"`
	Module    string   `json:"module"`
	Modules   []string `json:"modules"` // "path@version", sorted
	Host      string   `json:"host"`
	OS        string   `json:"os"`
	Arch      string   `json:"arch"`
}

func (s *Store) buildInfo() Build {
	s.buildOnce.Do(func() { s.build = CurrentBuild() })
	return s.build
}

// CurrentBuild collects the build description of this process: git state of
// the working directory (via the git command, "unknown" without it), Go
// version, module versions from runtime/debug.ReadBuildInfo and host name.
func CurrentBuild() Build {
	b := Build{GitCommit: "unknown", GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	b.Host, _ = os.Hostname()
	if info, ok := debug.ReadBuildInfo(); ok {
		b.Module = info.Main.Path
		for _, d := range info.Deps {
			b.Modules = append(b.Modules, d.Path+"@"+d.Version)
		}
		sort.Strings(b.Modules)
		for _, kv := range info.Settings {
			switch kv.Key {
			case "vcs.revision":
				b.GitCommit = kv.Value
			case "vcs.modified":
				b.GitDirty = kv.Value == "true"
			}
		}
	}
	if commit, dirty, ok := gitState(""); ok {
		b.GitCommit, b.GitDirty = commit, dirty
	}
	return b
}

// StudyOutputs are the tracked paths (relative to the repository root) that
// a study writes itself: RESULTS.md, the figures and the report. Changes to
// them do not make the code dirty, so that rerunning a study after it
// rewrote them gives the same header.
func StudyOutputs() []string { return []string{"RESULTS.md", "plots/out", "report"} }

// gitState returns the commit of the repository holding dir ("" = the
// working folder) and whether its tracked files differ from it, ignoring
// StudyOutputs; ok is false without git or a repository.
func gitState(dir string) (commit string, dirty, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	git := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		return cmd.Output()
	}
	out, err := git("rev-parse", "HEAD")
	if err != nil {
		return "", false, false
	}
	commit = strings.TrimSpace(string(out))
	args := []string{"status", "--porcelain", "--untracked-files=no", "--", ":(top)"}
	for _, p := range StudyOutputs() {
		args = append(args, ":(top,exclude)"+p)
	}
	if st, err := git(args...); err == nil {
		dirty = len(strings.TrimSpace(string(st))) > 0
	}
	return commit, dirty, true
}

// ReadProvenance reads the provenance of a complete entry.
func (s *Store) ReadProvenance(stage, key string) (Provenance, error) {
	p, _, err := s.ReadProvenanceFile(stage, key)
	return p, err
}

// ReadProvenanceFile is ReadProvenance that also returns the file's bytes.
func (s *Store) ReadProvenanceFile(stage, key string) (Provenance, []byte, error) {
	var p Provenance
	data, err := os.ReadFile(s.Dir(stage, key) + "/" + ProvenanceFile)
	if err != nil {
		return p, nil, err
	}
	return p, data, json.Unmarshal(data, &p)
}
