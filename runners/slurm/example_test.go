package slurm_test

import (
	"fmt"

	"github.com/anomalyncd/ancd/runners"
	"github.com/anomalyncd/ancd/runners/slurm"
)

// A runner keeps everything about one plan in <store>/slurm/<plan-hash>/:
// array scripts, task lists, logs, exit statuses and the submission record.
func ExampleRunner_Dir() {
	r := slurm.New("/shared/store", slurm.Options{Partition: "gpu", Retries: 2, MaxConcurrent: 8})
	plan := runners.Plan{Tasks: []runners.Task{
		{Key: "synth-1", Stage: "synth"},
		{Key: "detect-1", Stage: "detect", Deps: []string{"synth-1"}},
	}}
	fmt.Println(r.Dir(plan))
	// Output: /shared/store/slurm/50ec9ce5392f3ded
}
