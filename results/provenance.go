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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "git", "rev-parse", "HEAD").Output(); err == nil {
		b.GitCommit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil {
			b.GitDirty = len(strings.TrimSpace(string(st))) > 0
		}
	}
	return b
}

// ReadProvenance reads the provenance of a complete entry.
func (s *Store) ReadProvenance(stage, key string) (Provenance, error) {
	var p Provenance
	data, err := os.ReadFile(s.Dir(stage, key) + "/" + ProvenanceFile)
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(data, &p)
}
