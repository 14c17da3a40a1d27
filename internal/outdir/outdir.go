package outdir

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// MarkerFile is written at the top of every folder Write builds. It names
// the command and the top-level entries it wrote, so that a later run of the
// same command recognises its own output and replaces only those entries.
const MarkerFile = ".ancd-output.json"

// tmpMarkerFile marks a temporary folder of a running Write with its
// process, so that a later run can tell a stale one (its process is gone)
// from a live one.
const tmpMarkerFile = ".ancd-tmp.json"

// Input is a path the command reads; --out may not equal it, contain it or
// lie inside it.
type Input struct {
	Flag string // e.g. "--data"
	Path string // "" is skipped
}

// Options describes the command that owns an output folder.
type Options struct {
	// Command names the writer, e.g. "ancd synth"; only a folder whose
	// marker names the same command counts as its previous output.
	Command string
	// Inputs are the paths the command reads.
	Inputs []Input
	// Force allows a non-empty folder that holds files the command did not
	// write; only the command's own entries are replaced there, and the
	// write fails rather than replace a foreign entry of the same name.
	Force bool
	// Logger receives a line per stale temporary folder removed (nil: slog.Default()).
	Logger *slog.Logger
}

type marker struct {
	Command string   `json:"command"`
	Entries []string `json:"entries"`
}

type tmpMarker struct {
	Command string `json:"command"`
	Host    string `json:"host"`
	PID     int    `json:"pid"`
}

// state is what Check learnt about an existing output folder.
type state struct {
	exists  bool
	own     []string // entries written by a previous run of the command (marker included)
	foreign []string // every other entry
}

// Check validates out for o without writing anything; Write calls it first,
// commands may call it before expensive work.
func Check(out string, o Options) error {
	_, err := inspect(out, o)
	return err
}

// CheckInputs refuses an out that equals, contains or lies inside one of
// the inputs (symbolic links resolved).
func CheckInputs(out, command string, inputs []Input) error {
	if out == "" {
		return fmt.Errorf("--out is required")
	}
	outAbs, err := resolve(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	for _, in := range inputs {
		if in.Path == "" {
			continue
		}
		inAbs, err := resolve(in.Path)
		if err != nil {
			return fmt.Errorf("%s %s: %w", in.Flag, in.Path, err)
		}
		switch {
		case inAbs == outAbs:
			return fmt.Errorf("--out %s is the input %s %s; %s never writes over its input", out, in.Flag, in.Path, command)
		case within(outAbs, inAbs):
			return fmt.Errorf("--out %s lies inside the input %s %s; choose a folder outside it", out, in.Flag, in.Path)
		case within(inAbs, outAbs):
			return fmt.Errorf("--out %s contains the input %s %s; choose a folder that does not", out, in.Flag, in.Path)
		}
	}
	return nil
}

func inspect(out string, o Options) (state, error) {
	if err := CheckInputs(out, o.Command, o.Inputs); err != nil {
		return state{}, err
	}
	fi, err := os.Lstat(out)
	if errors.Is(err, os.ErrNotExist) {
		return state{}, nil
	}
	if err != nil {
		return state{}, fmt.Errorf("--out %s: %w", out, err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return state{}, fmt.Errorf("--out %s is a symbolic link; name the folder itself", out)
	}
	if !fi.IsDir() {
		return state{}, fmt.Errorf("--out %s is an existing file, not a folder; %s writes a folder and never replaces a file", out, o.Command)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return state{}, fmt.Errorf("--out %s: %w", out, err)
	}
	st := state{exists: true}
	prev := readMarker(out)
	for _, e := range entries {
		name := e.Name()
		if prev != nil && prev.Command == o.Command && (name == MarkerFile || slices.Contains(prev.Entries, name)) {
			st.own = append(st.own, name)
		} else {
			st.foreign = append(st.foreign, name)
		}
	}
	if len(st.foreign) > 0 && !o.Force {
		what := "is not empty and is not an output of " + o.Command
		if prev != nil && prev.Command == o.Command {
			what = "is an output of " + o.Command + " but also holds files it did not write"
		}
		return state{}, fmt.Errorf("--out %s %s (%s); choose a new or empty folder, or pass --force to replace only %s's own files there (the others are kept)",
			out, what, list(st.foreign), o.Command)
	}
	return st, nil
}

// Write builds the output folder out: fill writes into a fresh temporary
// sibling, which then takes the place of out. Nothing but the command's own
// previous entries (those its marker lists) is ever removed from out. When
// ctx ends before fill returns, the temporary folder is removed and
// ctx.Err() returned. Stale temporary folders of earlier killed runs of the
// same command beside out are removed first.
func Write(ctx context.Context, out string, o Options, fill func(tmp string) error) (err error) {
	if _, err := inspect(out, o); err != nil {
		return err
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create folder %s: %w", parent, err)
	}
	sweep(parent, base, o.Command, log)
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("create temporary folder for %s: %w", out, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := markTemp(tmp, o.Command); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- fill(tmp) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		os.RemoveAll(tmp)
		select { // give fill a moment to notice, then remove what it wrote since
		case <-done:
		case <-time.After(2 * time.Second):
		}
		os.RemoveAll(tmp)
		return fmt.Errorf("%s: interrupted; nothing was written to %s: %w", o.Command, out, ctx.Err())
	}
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(tmp, tmpMarkerFile)); err != nil {
		return err
	}
	return install(out, tmp, o, log)
}

// install moves the finished folder tmp into out.
func install(out, tmp string, o Options, log *slog.Logger) error {
	// The folder may have changed while fill ran: look again.
	st, err := inspect(out, o)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	m := marker{Command: o.Command}
	for _, e := range entries {
		if e.Name() != MarkerFile {
			m.Entries = append(m.Entries, e.Name())
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, MarkerFile), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if !st.exists {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("rename into %s: %w", out, err)
		}
		return nil
	}
	old := tmp + ".old"
	if len(st.foreign) == 0 {
		// out holds only our previous output (or nothing): swap folders.
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("move aside %s: %w", out, err)
		}
		if err := os.Rename(tmp, out); err != nil {
			os.Rename(old, out)
			return fmt.Errorf("rename into %s: %w", out, err)
		}
		markTemp(old, o.Command) // a kill before the removal leaves it to the sweep
		return os.RemoveAll(old)
	}
	// --force into a folder with foreign entries: replace our entries only.
	var clash []string
	for _, name := range append(m.Entries, MarkerFile) {
		if slices.Contains(st.foreign, name) {
			clash = append(clash, name)
		}
	}
	if len(clash) > 0 {
		return fmt.Errorf("--out %s: %s would replace %s, which it did not write; move it away or choose another folder (--force replaces only %s's own files)",
			out, o.Command, list(clash), o.Command)
	}
	if err := os.Mkdir(old, 0o755); err != nil {
		return err
	}
	if err := markTemp(old, o.Command); err != nil {
		return err
	}
	for _, name := range st.own {
		if err := os.Rename(filepath.Join(out, name), filepath.Join(old, name)); err != nil {
			return fmt.Errorf("move aside %s: %w", filepath.Join(out, name), err)
		}
	}
	for _, name := range append(m.Entries, MarkerFile) { // the marker last
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(out, name)); err != nil {
			return fmt.Errorf("rename into %s: %w", filepath.Join(out, name), err)
		}
	}
	log.Info("kept files not written by "+o.Command, "out", out, "kept", list(st.foreign))
	os.RemoveAll(tmp)
	return os.RemoveAll(old)
}

// sweep removes the temporary folders ".<base>.tmp*" in parent that a run
// of command left when it was killed: those whose marker names command and
// a process of this host that no longer runs.
func sweep(parent, base, command string, log *slog.Logger) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	host, _ := os.Hostname()
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "."+base+".tmp") {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, tmpMarkerFile))
		if err != nil {
			continue // not ours, or still being set up
		}
		var m tmpMarker
		if json.Unmarshal(data, &m) != nil || m.Command != command || m.Host != host || alive(m.PID) {
			continue
		}
		if err := os.RemoveAll(dir); err == nil {
			log.Info("removed a temporary folder left by a killed run", "folder", dir, "pid", m.PID)
		}
	}
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func markTemp(dir, command string) error {
	host, _ := os.Hostname()
	data, err := json.Marshal(tmpMarker{Command: command, Host: host, PID: os.Getpid()})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, tmpMarkerFile), data, 0o644)
}

func readMarker(dir string) *marker {
	data, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil {
		return nil
	}
	var m marker
	if json.Unmarshal(data, &m) != nil || m.Command == "" {
		return nil
	}
	return &m
}

// resolve returns the absolute, symlink-free form of path; the part of it
// that does not exist yet is appended as written.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		real, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// within reports whether path lies strictly inside dir.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func list(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
