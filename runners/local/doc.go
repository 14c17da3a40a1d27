// Package local runs a runners.Plan on this machine with goroutines.
//
// Concurrency is bounded by a weighted semaphore (golang.org/x/sync) of
// Workers slots (cores; 0 = every CPU) or, when Devices is set, of one slot
// per device, each task receiving its devices through CUDA_VISIBLE_DEVICES in
// its context (runners.WithEnv). A task starts when all its dependencies are
// done. A failed task is reported with its log path and does not stop
// independent tasks; its dependents are skipped. Transient failures
// (runners.IsTransient) are retried. Cancelling the context stops the run:
// running tasks see the cancellation and, because executors write atomically,
// leave no partial output; rerunning the plan does only what is missing.
package local
