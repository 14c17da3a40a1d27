package slurm

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// File names inside a run folder.
const (
	recordName = "submission.json"
	logsDir    = "logs"
	exitDir    = "exit"
)

func scriptName(n int) string   { return "array-" + strconv.Itoa(n) + ".sh" }
func taskListName(n int) string { return "tasks-" + strconv.Itoa(n) + ".txt" }

// exitFile is where array task index of array n writes its exit status.
func exitFile(dir string, n, index int) string {
	return filepath.Join(dir, exitDir, fmt.Sprintf("array-%d_%d.exit", n, index))
}

// logFile is the log of array task index of the array submitted as jobID.
func logFile(dir, jobID string, index int) string {
	return filepath.Join(dir, logsDir, fmt.Sprintf("%s_%d.out", jobID, index))
}

// shellQuote quotes s for bash: plain words stay as they are, strings with
// control characters (newlines included) use ANSI-C $'...' quoting so a
// quoted command always fits on one line, anything else is single-quoted.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r))
	}) < 0 {
		return s
	}
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// taskLine is one line of a task list: the key, a tab, and the shell-quoted
// command.
func taskLine(key string, argv []string) (string, error) {
	if strings.ContainsAny(key, "\t\n\r") {
		return "", fmt.Errorf("task key %q contains a tab or newline", key)
	}
	if len(argv) == 0 {
		return "", fmt.Errorf("task %s: executor returned an empty command", key)
	}
	quoted := make([]string, len(argv))
	for i, a := range argv {
		if strings.ContainsRune(a, 0) {
			return "", fmt.Errorf("task %s: command argument %d (%q) contains a NUL byte", key, i, a)
		}
		quoted[i] = shellQuote(a)
	}
	return key + "\t" + strings.Join(quoted, " "), nil
}

// jobName is a Slurm-safe job name for a stage.
func jobName(stage string) string {
	var b strings.Builder
	b.WriteString("ancd")
	if stage != "" {
		b.WriteByte('-')
	}
	for _, r := range stage {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// arrayScript renders the batch script of array n. Every option except the
// dependency (known only at submission) is an #SBATCH line, so the script
// can be resubmitted by hand.
func arrayScript(dir string, n int, a arraySpec, o Options) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("#!/bin/bash")
	line("#SBATCH --job-name=%s", jobName(a.Stage))
	arr := fmt.Sprintf("0-%d", len(a.Keys)-1)
	if o.MaxConcurrent > 0 {
		arr += "%" + strconv.Itoa(o.MaxConcurrent)
	}
	line("#SBATCH --array=%s", arr)
	line("#SBATCH --output=%s", filepath.Join(dir, logsDir, "%A_%a.out"))
	line("#SBATCH --cpus-per-task=%d", a.Slots)
	if o.Partition != "" {
		line("#SBATCH --partition=%s", o.Partition)
	}
	if o.Account != "" {
		line("#SBATCH --account=%s", o.Account)
	}
	if o.TimeLimit != "" {
		line("#SBATCH --time=%s", o.TimeLimit)
	}
	if o.Mem != "" {
		line("#SBATCH --mem=%s", o.Mem)
	}
	line("# ancd job array %d: stage %q, level %d, %d task(s), listed in %s.", n, a.Stage, a.Level, len(a.Keys), taskListName(n))
	line("# Array task i runs line i+1 of the list (key TAB command) and writes its")
	line("# exit status and wall seconds to %s/array-%d_<i>.exit.", exitDir, n)
	line("run_dir=%s", shellQuote(dir))
	line("index=${SLURM_ARRAY_TASK_ID:?not started as a Slurm array task}")
	line("mapfile -t lines < \"$run_dir/%s\"", taskListName(n))
	line("line=${lines[$index]:-}")
	line("if [ -z \"$line\" ]; then")
	line("  echo \"ancd: no task at index $index of $run_dir/%s\" >&2", taskListName(n))
	line("  key='?'")
	line("  code=2")
	line("else")
	line("  key=${line%%%%$'\\t'*}")
	line("  cmd=${line#*$'\\t'}")
	line("  echo \"ancd: task $key (array %d index $index, job ${SLURM_JOB_ID:-?}) on $(hostname)\"", n)
	line("  eval \"$cmd\"")
	line("  code=$?")
	line("fi")
	line("echo \"ancd: task $key exited with status $code\"")
	line("exit_file=\"$run_dir/%s/array-%d_$index.exit\"", exitDir, n)
	line("printf '%%d\\n%%d\\n' \"$code\" \"$SECONDS\" > \"$exit_file.tmp.$$\" && mv -f \"$exit_file.tmp.$$\" \"$exit_file\"")
	line("exit \"$code\"")
	return b.String()
}
