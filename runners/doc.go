// Package runners defines how a plan of stage tasks is executed, independent
// of what any stage does. Implementations live in subpackages: runners/local
// (goroutines on this machine, golang.org/x/sync) and runners/slurm (sbatch job
// arrays on a cluster with a shared filesystem).
//
// A runner only sees Tasks (a content key, its dependencies, a slot weight)
// and an Executor that can say whether a key is already done, run a key in
// this process, or give the command line that runs it in a fresh process.
// Because every output is addressed by key and written atomically, a runner
// that is killed at any moment can be started again on the same plan and will
// run only what is missing.
package runners
