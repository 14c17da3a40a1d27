package slurm

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSlurm writes bash stand-ins for sbatch, squeue, scancel, scontrol and
// sacct into a temporary folder. The fake sbatch runs every array task at
// once, in order; an array whose afterok dependency failed (or was itself
// blocked) is queued as PENDING/DependencyNeverSatisfied instead.
type fakeSlurm struct {
	bin   string // folder of the fake programs
	state string // their shared state: queue, logs of calls, job counter
}

const fakeSbatch = `#!/bin/bash
state=%q
n=$(( $(cat "$state/calls" 2>/dev/null || echo 0) + 1 )); echo $n > "$state/calls"
printf '%%s\n' "$*" >> "$state/sbatch.log"
if [ -e "$state/fail-at" ] && [ "$(cat "$state/fail-at")" = "$n" ]; then
  echo "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified" >&2
  exit 1
fi
script="${@: -1}"
dep=""
for a in "$@"; do case "$a" in --dependency=afterok:*) dep="${a#--dependency=afterok:}";; esac; done
id=$(cat "$state/next" 2>/dev/null || echo 100); echo $((id+1)) > "$state/next"
last=$(sed -n 's/^#SBATCH --array=0-\([0-9]*\).*/\1/p' "$script")
out=$(sed -n 's/^#SBATCH --output=//p' "$script")
blocked=0
for d in ${dep//:/ }; do
  if [ -e "$state/failed.$d" ] || [ -e "$state/blocked.$d" ]; then blocked=1; fi
done
if [ $blocked = 1 ]; then
  touch "$state/blocked.$id"
  for i in $(seq 0 "$last"); do echo "$id|$i|PENDING|DependencyNeverSatisfied" >> "$state/queue"; done
else
  for i in $(seq 0 "$last"); do
    log=${out//%%A/$id}; log=${log//%%a/$i}
    if SLURM_ARRAY_JOB_ID=$id SLURM_ARRAY_TASK_ID=$i SLURM_JOB_ID=$id bash "$script" > "$log" 2>&1; then
      echo "$id|$i|COMPLETED|None" >> "$state/queue"
    else
      touch "$state/failed.$id"
      echo "$id|$i|FAILED|NonZeroExitCode" >> "$state/queue"
    fi
  done
fi
echo "$id"
`

const fakeSqueue = `#!/bin/bash
state=%q
printf '%%s\n' "$*" >> "$state/squeue.log"
for a in "$@"; do case "$a" in --jobs=*) jobs="${a#--jobs=}";; esac; done
for j in ${jobs//,/ }; do grep "^$j|" "$state/queue" 2>/dev/null; done
exit 0
`

const fakeScancel = `#!/bin/bash
state=%q
printf '%%s\n' "$*" >> "$state/scancel.log"
for j in "$@"; do sed -i "s/^$j|\([0-9]*\)|PENDING|.*/$j|\1|CANCELLED|None/" "$state/queue"; done
`

const fakeScontrol = `#!/bin/bash
state=%q
echo "Configuration data as of 2024-01-01T00:00:00"
echo "MaxArraySize            = $(cat "$state/maxarray" 2>/dev/null || echo 1001)"
echo "MaxJobCount             = 10000"
`

const fakeSacct = `#!/bin/bash
echo "Slurm accounting storage is disabled" >&2
exit 1
`

func newFakeSlurm(t *testing.T) fakeSlurm {
	t.Helper()
	f := fakeSlurm{bin: t.TempDir(), state: t.TempDir()}
	for name, body := range map[string]string{
		"sbatch": fakeSbatch, "squeue": fakeSqueue, "scancel": fakeScancel,
		"scontrol": fakeScontrol, "sacct": fakeSacct,
	} {
		if strings.Contains(body, "%q") {
			body = fmt.Sprintf(body, f.state)
		}
		if err := os.WriteFile(filepath.Join(f.bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f fakeSlurm) commands() Commands {
	return Commands{
		Sbatch: filepath.Join(f.bin, "sbatch"), Squeue: filepath.Join(f.bin, "squeue"),
		Scontrol: filepath.Join(f.bin, "scontrol"), Sacct: filepath.Join(f.bin, "sacct"),
		Scancel: filepath.Join(f.bin, "scancel"),
	}
}

// set writes a state file (maxarray, fail-at) or removes it when value is "".
func (f fakeSlurm) set(t *testing.T, name, value string) {
	t.Helper()
	path := filepath.Join(f.state, name)
	if value == "" {
		os.Remove(path)
		return
	}
	if err := os.WriteFile(path, []byte(value+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// calls returns the lines a fake program logged (its argument lists).
func (f fakeSlurm) calls(t *testing.T, program string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.state, program+".log"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// shellExecutor runs each task as a bash command that writes out/<key>: the
// line "<key>" followed by the outputs of its dependencies, so a task that
// ran before its dependencies fails. A key in fail fails that many times
// before it succeeds (counted in out/.<key>.tries).
type shellExecutor struct {
	out  string
	deps map[string][]string
	fail map[string]int
}

func (e shellExecutor) Done(key string) bool {
	_, err := os.Stat(filepath.Join(e.out, key))
	return err == nil
}

func (e shellExecutor) Exec(ctx context.Context, key string, log io.Writer) error {
	return fmt.Errorf("shellExecutor runs tasks only through Command")
}

const shellTask = `set -e
out=$1; key=$2; fail=$3; shift 3
n=$(cat "$out/.$key.tries" 2>/dev/null || echo 0); echo $((n+1)) > "$out/.$key.tries"
if [ "$n" -lt "$fail" ]; then echo "failing on purpose (try $((n+1)))"; exit 3; fi
{ echo "$key"; for d in "$@"; do cat "$out/$d"; done; } > "$out/.$key.tmp"
mv "$out/.$key.tmp" "$out/$key"
echo "wrote $out/$key"
`

func (e shellExecutor) Command(key string) []string {
	argv := []string{"bash", "-c", shellTask, "task", e.out, key, fmt.Sprint(e.fail[key])}
	return append(argv, e.deps[key]...)
}
