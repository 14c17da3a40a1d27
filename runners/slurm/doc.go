// Package slurm runs a plan on a Slurm cluster as sbatch job arrays. It
// implements runners.Runner (Run = submit and wait) and also offers
// submit-and-return (Submit, then Status and Collect from any later process).
//
// # How a plan becomes job arrays
//
// Tasks whose output is already done are never submitted. The others get a
// level: 0 when none of their dependencies is submitted with them, else one
// more than their deepest submitted dependency. Each (level, stage, slots)
// group becomes one job array, split into several when it holds more tasks
// than the cluster's MaxArraySize (read from `scontrol show config`). An
// array waits for exactly the arrays holding its tasks' dependencies with
// --dependency=afterok:<jobid>:..., i.e. for those whole arrays to succeed.
// Slots become --cpus-per-task.
//
// Everything lives in the run folder <store>/slurm/<plan-hash>/ on the shared
// filesystem:
//
//	array-<n>.sh        the batch script of array n (all options as #SBATCH lines)
//	tasks-<n>.txt       line i+1 = "<key>\t<shell-quoted Executor.Command(key)>"
//	logs/<jobid>_<i>.out the log of array task i (--output=%A_%a.out)
//	exit/array-<n>_<i>.exit  exit status and wall seconds, written atomically by the script
//	submission.json     the record of every submitted array and its job id,
//	                    rewritten atomically after each successful sbatch
//
// Array task i reads line i+1 of its task list (i = SLURM_ARRAY_TASK_ID),
// runs the command and writes its exit status file. The exit status files,
// not Slurm's accounting, decide what succeeded, so sacct is optional.
//
// # Retries and failed dependencies
//
// When a task fails, Slurm never starts the arrays that depend on its array
// (they pend with reason DependencyNeverSatisfied). Run cancels those arrays
// once nothing else of the round is queued or running, then starts a new
// round that resubmits every task that is not done, as long as it has failed
// at most Options.Retries times; tasks that were only blocked do not use up a
// retry. A task that gave up makes its dependents give up too, reported as
// "not run: dependency <key> did not succeed".
//
// # Running a sweep on a cluster
//
//  1. Put the ancd binary, the configs and the store on a filesystem every
//     node mounts at the same path (a relative store path is made absolute), e.g.
//     go build -o /shared/bin/ancd ./cmd/ancd.
//  2. Build the executor so that Command(key) names that binary with absolute
//     paths: the array scripts run it on the compute nodes, in the folder
//     sbatch was called from.
//  3. Either wait: runner.Run(ctx, plan, exec) submits, polls squeue every
//     Options.PollInterval, retries, and returns the report; keep the process
//     alive for the whole sweep (e.g. inside tmux or a small batch job).
//     Killing it cancels nothing; running it again on the same plan waits
//     for the jobs still queued and resubmits only what is missing.
//  4. Or submit and return: runner.Submit(ctx, plan, exec) returns after
//     sbatch; later runner.Status(ctx, plan) shows pending, running, blocked,
//     succeeded, failed and lost tasks, and runner.Collect(ctx, plan, exec)
//     builds the report from the exit status files. Calling Submit again
//     resubmits what failed or never ran (it refuses while jobs are active).
//
// sbatch failures ("Batch job submission failed", a non-zero exit) return an
// error naming the array script; the arrays submitted before it stay queued
// and recorded, and Run waits for them before returning so that nothing
// finished is lost.
//
// # Tests
//
// The unit tests drive the runner with bash stand-ins for sbatch, squeue,
// scancel, scontrol and sacct. TestRealSlurm starts a real single-node Slurm
// with package slurmtest (slurmctld and slurmd on localhost with free ports,
// a private munged with its own key and socket, a slurm.conf in a temporary
// folder, SLURM_CONF pointing at it), so runs in parallel do not interfere,
// installing the Debian packages slurmctld, slurmd, slurm-client and munge
// with apt-get when they are missing; it needs root. With CI=true it fails
// when Slurm cannot be started; elsewhere it skips, and it skips in -short
// mode. cmd/ancd's TestSlurmMatchesLocal uses the same harness to check that
// a sweep submitted with ancd run --submit gives the same outputs as a local
// run.
package slurm
