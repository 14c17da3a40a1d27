package slurm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// client runs the Slurm command-line programs named in Options.
type client struct {
	cmds Commands
	env  []string
}

// output runs program with args and returns its standard output. A non-zero
// exit becomes an error that quotes the program's standard error.
func (c client) output(ctx context.Context, program string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Env = append(os.Environ(), c.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		return stdout.String(), fmt.Errorf("%s %s: %w: %s", program, strings.Join(args, " "), err, msg)
	}
	return stdout.String(), nil
}

// sbatch submits script with the given dependencies and returns the job id.
func (c client) sbatch(ctx context.Context, script string, after []string, extra []string) (string, error) {
	args := []string{"--parsable"}
	if len(after) > 0 {
		args = append(args, "--dependency=afterok:"+strings.Join(after, ":"))
	}
	args = append(args, extra...)
	args = append(args, script)
	program := orDefault(c.cmds.Sbatch, "sbatch")
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Env = append(os.Environ(), c.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	msg := strings.TrimSpace(stderr.String())
	if err != nil {
		return "", fmt.Errorf("submit array script %s: %s: %w: %s", script, program, err, msg)
	}
	if strings.Contains(msg, "Batch job submission failed") {
		return "", fmt.Errorf("submit array script %s: %s: %s", script, program, msg)
	}
	// --parsable prints "jobid" or "jobid;cluster".
	line, _, _ := strings.Cut(strings.TrimSpace(stdout.String()), "\n")
	id, _, _ := strings.Cut(strings.TrimSpace(line), ";")
	if _, perr := strconv.ParseUint(id, 10, 64); perr != nil {
		return "", fmt.Errorf("submit array script %s: %s printed no job id (stdout %q, stderr %q)", script, program, stdout.String(), msg)
	}
	return id, nil
}

// maxArraySize reads MaxArraySize from `scontrol show config`.
func (c client) maxArraySize(ctx context.Context) (int, error) {
	out, err := c.output(ctx, orDefault(c.cmds.Scontrol, "scontrol"), "show", "config")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(out, "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(name) != "MaxArraySize" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 1 {
			return 0, fmt.Errorf("scontrol show config: MaxArraySize %q is not a positive number", strings.TrimSpace(value))
		}
		return n, nil
	}
	return 0, fmt.Errorf("scontrol show config: no MaxArraySize line")
}

// queuedTask is one line of squeue output: one task of an array job.
type queuedTask struct {
	JobID  string // the array's job id (%F)
	Index  int    // the array task id (%K); -1 when not an array task
	State  string // e.g. PENDING, RUNNING, COMPLETED
	Reason string // e.g. Dependency, DependencyNeverSatisfied
}

// terminalStates are the squeue job states of jobs that will not run again.
var terminalStates = map[string]bool{
	"COMPLETED": true, "FAILED": true, "CANCELLED": true, "TIMEOUT": true,
	"NODE_FAIL": true, "PREEMPTED": true, "OUT_OF_MEMORY": true,
	"BOOT_FAIL": true, "DEADLINE": true, "SPECIAL_EXIT": true, "REVOKED": true,
}

// active reports whether the task is still queued or running.
func (q queuedTask) active() bool { return !terminalStates[q.State] }

// neverSatisfied reports whether the task waits on a dependency that failed.
func (q queuedTask) neverSatisfied() bool {
	return q.State == "PENDING" && q.Reason == "DependencyNeverSatisfied"
}

// squeue lists every task of the given jobs that the controller still knows
// about, one line per array task, in any state.
func (c client) squeue(ctx context.Context, jobIDs []string) ([]queuedTask, error) {
	if len(jobIDs) == 0 {
		return nil, nil
	}
	out, err := c.output(ctx, orDefault(c.cmds.Squeue, "squeue"),
		"--noheader", "--array", "--states=all", "--jobs="+strings.Join(jobIDs, ","), "--format=%F|%K|%T|%r")
	if err != nil {
		// Jobs that left the controller's memory make squeue fail when no
		// listed job is left; that is an empty queue, not an error.
		if strings.Contains(err.Error(), "Invalid job id") {
			return nil, nil
		}
		return nil, err
	}
	return parseSqueue(out)
}

func parseSqueue(out string) ([]queuedTask, error) {
	var tasks []queuedTask
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return nil, fmt.Errorf("squeue: unexpected line %q (want JOBID|TASKID|STATE|REASON)", line)
		}
		index := -1
		if n, err := strconv.Atoi(f[1]); err == nil {
			index = n
		}
		tasks = append(tasks, queuedTask{JobID: f[0], Index: index, State: f[2], Reason: f[3]})
	}
	return tasks, nil
}

// scancel cancels whole jobs.
func (c client) scancel(ctx context.Context, jobIDs []string) error {
	if len(jobIDs) == 0 {
		return nil
	}
	_, err := c.output(ctx, orDefault(c.cmds.Scancel, "scancel"), jobIDs...)
	return err
}

// sacctStates asks sacct for the final state of each task of the given jobs,
// keyed "<jobid>_<index>". It returns nil when accounting is not available.
func (c client) sacctStates(ctx context.Context, jobIDs []string) map[string]string {
	if len(jobIDs) == 0 {
		return nil
	}
	out, err := c.output(ctx, orDefault(c.cmds.Sacct, "sacct"),
		"--noheader", "--parsable2", "--allocations", "--jobs="+strings.Join(jobIDs, ","), "--format=JobID,State")
	if err != nil {
		return nil
	}
	states := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		id, state, ok := strings.Cut(strings.TrimSpace(line), "|")
		if !ok {
			continue
		}
		// "CANCELLED by 0" -> "CANCELLED"
		state, _, _ = strings.Cut(state, " ")
		states[id] = state
	}
	return states
}

func sortedUnique(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.ParseUint(out[i], 10, 64)
		b, _ := strconv.ParseUint(out[j], 10, 64)
		if a != b {
			return a < b
		}
		return out[i] < out[j]
	})
	return out
}

// ErrNotFound is wrapped by Installed when a Slurm client program is missing.
var ErrNotFound = errors.New("the Slurm client programs were not found")

// Installed checks that the Slurm client programs the runner calls (sbatch
// and squeue, or the paths set in cmds) can be found, and otherwise says how
// to install them or point at them.
func Installed(cmds Commands) error {
	for _, p := range []string{orDefault(cmds.Sbatch, "sbatch"), orDefault(cmds.Squeue, "squeue")} {
		if _, err := exec.LookPath(p); err != nil {
			return fmt.Errorf("--runner slurm: %w: no %s on PATH (%s). Run on a machine with Slurm's client "+
				"programs (a cluster's login node), install them (Debian/Ubuntu: apt-get install slurm-client, "+
				"or slurm-wlm for a one-machine cluster), or add the folder holding sbatch and squeue to PATH; "+
				"without a cluster use --runner local", ErrNotFound, p, os.Getenv("PATH"))
		}
	}
	return nil
}
