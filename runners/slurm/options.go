package slurm

import (
	"fmt"
	"time"
)

// Options configure how tasks are submitted. The zero value submits to the
// cluster's default partition and account with no time or memory request, no
// concurrency cap, no retries, a 10 s poll interval and the Slurm client
// commands found on PATH.
type Options struct {
	// Partition is passed as --partition when not empty.
	Partition string
	// Account is passed as --account when not empty.
	Account string
	// TimeLimit is passed as --time when not empty, in any form sbatch
	// accepts ("30", "2:00:00", "1-00:00:00").
	TimeLimit string
	// Mem is passed as --mem when not empty ("4G", "16000M").
	Mem string
	// ExtraArgs are added to every sbatch command line before the script,
	// e.g. {"--qos=high", "--gres=gpu:1"}.
	ExtraArgs []string
	// MaxConcurrent caps how many tasks of one array run at once
	// (--array=0-N%cap); zero means no cap.
	MaxConcurrent int
	// MaxArraySize overrides the cluster's MaxArraySize; zero means read it
	// from `scontrol show config` (and 1001, Slurm's default, if that fails).
	MaxArraySize int
	// PollInterval is how often Run asks squeue about the submitted jobs;
	// zero means 10 s.
	PollInterval time.Duration
	// Retries is how many times a failed task is submitted again; zero
	// means a failure is final.
	Retries int
	// Commands names the Slurm client programs.
	Commands Commands
	// Env is added to the environment of every client command, e.g.
	// {"SLURM_CONF=/etc/slurm/test.conf"}.
	Env []string
}

// Commands are the paths of the Slurm client programs. An empty field means
// the program's plain name, looked up on PATH.
type Commands struct {
	Sbatch   string
	Squeue   string
	Scontrol string
	Sacct    string
	Scancel  string
}

const (
	defaultPollInterval = 10 * time.Second
	defaultMaxArraySize = 1001
)

func (o Options) pollInterval() time.Duration {
	if o.PollInterval <= 0 {
		return defaultPollInterval
	}
	return o.PollInterval
}

func (o Options) validate() error {
	if o.MaxConcurrent < 0 {
		return fmt.Errorf("slurm: MaxConcurrent %d is negative", o.MaxConcurrent)
	}
	if o.MaxArraySize < 0 {
		return fmt.Errorf("slurm: MaxArraySize %d is negative", o.MaxArraySize)
	}
	if o.Retries < 0 {
		return fmt.Errorf("slurm: Retries %d is negative", o.Retries)
	}
	return nil
}

func orDefault(path, name string) string {
	if path == "" {
		return name
	}
	return path
}
