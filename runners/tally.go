package runners

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Tally counts the tasks of a plan per stage (rows) and state (columns),
// for status reports. Rows are the stages given to NewTally in that order,
// then any other stage in order of its first task.
type Tally struct {
	states []string
	stages []string
	counts map[string][]int // stage -> count per state
}

// NewTally returns an empty tally with rows for stages and the given state
// columns.
func NewTally(stages []string, states ...string) *Tally {
	t := &Tally{states: states, counts: map[string][]int{}}
	for _, st := range stages {
		t.stages = append(t.stages, st)
		t.counts[st] = make([]int, len(states))
	}
	return t
}

// Add counts one task of stage in state; a state that is not a column is a
// programming error and panics.
func (t *Tally) Add(stage, state string) {
	row, ok := t.counts[stage]
	if !ok { // a stage outside the pipeline: append it as a row
		row = make([]int, len(t.states))
		t.stages = append(t.stages, stage)
		t.counts[stage] = row
	}
	for i, s := range t.states {
		if s == state {
			row[i]++
			return
		}
	}
	panic(fmt.Sprintf("runners: tally: unknown state %q", state))
}

// Write prints the table with a total row; stages without tasks are left
// out.
func (t *Tally) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "stage\ttasks\t%s\n", strings.Join(t.states, "\t"))
	total := make([]int, len(t.states))
	line := func(name string, row []int) {
		n := 0
		cells := make([]string, len(row))
		for i, c := range row {
			n += c
			cells[i] = fmt.Sprint(c)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", name, n, strings.Join(cells, "\t"))
	}
	for _, stage := range t.stages {
		row := t.counts[stage]
		empty := true
		for i, c := range row {
			total[i] += c
			empty = empty && c == 0
		}
		if !empty {
			line(stage, row)
		}
	}
	line("total", total)
	return tw.Flush()
}

// StoreTally counts the tasks of plan that are done or missing in the
// store, per stage (rows: stages, then any other), and returns how many
// are done.
func StoreTally(plan Plan, stages []string, done func(key string) bool) (*Tally, int) {
	t := NewTally(stages, "done", "missing")
	n := 0
	for _, task := range plan.Tasks {
		state := "missing"
		if done(task.Key) {
			state = "done"
			n++
		}
		t.Add(task.Stage, state)
	}
	return t, n
}

// StoreReport is the report of a plan from the store alone: done tasks are
// cached, the others failed with "not done in the store".
func StoreReport(plan Plan, done func(key string) bool) Report {
	report := Report{Outcomes: make([]Outcome, 0, len(plan.Tasks))}
	for _, t := range plan.Tasks {
		o := Outcome{Key: t.Key, Name: t.Name, Cached: true}
		if !done(t.Key) {
			o.Cached, o.Err = false, fmt.Errorf("not done in the store")
		}
		report.Outcomes = append(report.Outcomes, o)
	}
	return report
}
