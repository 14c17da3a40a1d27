package slurm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// Record is the account of everything submitted for one plan, kept as
// submission.json in the run folder and rewritten atomically after every
// successful sbatch, so a crash never loses a submitted job id.
type Record struct {
	PlanHash string        `json:"plan_hash"`
	Arrays   []ArrayRecord `json:"arrays"`
}

// ArrayRecord is one submitted job array.
type ArrayRecord struct {
	// Number is n in array-<n>.sh and tasks-<n>.txt; it grows across rounds.
	Number int `json:"number"`
	// Round counts submissions of the plan from 0: Run starts a new round
	// for the tasks left after the previous one (retries included).
	Round int    `json:"round"`
	JobID string `json:"job_id"`
	Stage string `json:"stage"`
	Level int    `json:"level"`
	Slots int64  `json:"slots"`
	// Keys[i] ran as array task i.
	Keys []string `json:"keys"`
	// After are the job ids this array waited for (afterok).
	After []string `json:"after,omitempty"`
}

// lastRound returns the highest round in the record, or -1 when empty.
func (r Record) lastRound() int {
	last := -1
	for _, a := range r.Arrays {
		last = max(last, a.Round)
	}
	return last
}

func (r Record) jobIDs() []string {
	var ids []string
	for _, a := range r.Arrays {
		ids = append(ids, a.JobID)
	}
	return sortedUnique(ids)
}

func readRecord(dir string) (Record, error) {
	path := filepath.Join(dir, recordName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, nil
	}
	if err != nil {
		return Record{}, fmt.Errorf("read submission record: %w", err)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return Record{}, fmt.Errorf("parse submission record %s: %w", path, err)
	}
	return r, nil
}

func writeRecord(dir string, r Record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode submission record: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dir, recordName), append(data, '\n'))
}

// exitStatus reads the exit status file a wrapper script wrote: the exit
// code on the first line and the task's wall time in whole seconds on the
// second. ok is false when the file is missing (the task has not finished,
// never ran or was killed).
func exitStatus(path string) (code int, took time.Duration, ok bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("read exit status: %w", err)
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, 0, false, fmt.Errorf("exit status file %s is empty", path)
	}
	code, err = strconv.Atoi(fields[0])
	if err != nil {
		return 0, 0, false, fmt.Errorf("exit status file %s holds %q, not a number", path, fields[0])
	}
	if len(fields) > 1 {
		if secs, err := strconv.Atoi(fields[1]); err == nil {
			took = time.Duration(secs) * time.Second
		}
	}
	return code, took, true, nil
}
