package experiments

import (
	"fmt"
	"strings"

	"github.com/anomalyncd/ancd/runners"
)

// Task is one deduplicated stage execution of a study.
type Task struct {
	runners.Task
	// Def is the stage definition.
	Def Stage
	// Config is the config of the first point that needs the task; every
	// point sharing the task agrees on the values the stage reads.
	Config Config
	// Inputs maps each input stage name to the key of its task.
	Inputs map[string]string
	// Points are the indices of the points that use this task.
	Points []int
}

// Study is a planned sweep: its points, and one task per distinct stage key.
type Study struct {
	Pipeline Pipeline
	Points   []Point
	// Tasks in plan order: by point, then by pipeline order; a task shared
	// by several points appears once, where it is first needed.
	Tasks []Task
	// PointKeys[i] maps stage name -> key for point i.
	PointKeys []map[string]string

	byKey map[string]int
}

// PlanStudy computes every stage key of every point and deduplicates tasks.
func PlanStudy(pipe Pipeline, points []Point) (*Study, error) {
	if err := pipe.Validate(); err != nil {
		return nil, err
	}
	s := &Study{Pipeline: pipe, Points: points, byKey: map[string]int{}}
	for pi, p := range points {
		keys := map[string]string{}
		for _, st := range pipe {
			key, err := st.Key(p.Config, keys)
			if err != nil {
				return nil, fmt.Errorf("point %q seed %d: %w", p.Label, p.Seed, err)
			}
			keys[st.Name] = key
			if ti, ok := s.byKey[key]; ok {
				s.Tasks[ti].Points = append(s.Tasks[ti].Points, pi)
				continue
			}
			inputs := map[string]string{}
			deps := make([]string, 0, len(st.Inputs))
			for _, in := range st.Inputs {
				inputs[in] = keys[in]
				deps = append(deps, keys[in])
			}
			s.byKey[key] = len(s.Tasks)
			s.Tasks = append(s.Tasks, Task{
				Task: runners.Task{
					Key:   key,
					Name:  taskName(st, p),
					Stage: st.Name,
					Deps:  deps,
					Slots: st.Slots,
				},
				Def:    st,
				Config: p.Config,
				Inputs: inputs,
				Points: []int{pi},
			})
		}
		s.PointKeys = append(s.PointKeys, keys)
	}
	return s, nil
}

func taskName(st Stage, p Point) string {
	parts := []string{st.Name}
	if p.Label != "" && p.Label != "default" {
		parts = append(parts, p.Label)
	}
	parts = append(parts, fmt.Sprintf("seed=%d", p.Seed))
	return strings.Join(parts, " ")
}

// Plan returns the runner's view of the study.
func (s *Study) Plan() runners.Plan {
	tasks := make([]runners.Task, len(s.Tasks))
	for i, t := range s.Tasks {
		tasks[i] = t.Task
	}
	return runners.Plan{Tasks: tasks}
}

// Task returns the task with the given key.
func (s *Study) Task(key string) (Task, bool) {
	i, ok := s.byKey[key]
	if !ok {
		return Task{}, false
	}
	return s.Tasks[i], true
}

// Executions is the number of stage executions without deduplication:
// points × stages.
func (s *Study) Executions() int { return len(s.Points) * len(s.Pipeline) }

// Saved is how many stage executions deduplication saved.
func (s *Study) Saved() int { return s.Executions() - len(s.Tasks) }

// Keys returns every task key of the study, grouped by stage name.
func (s *Study) Keys() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, t := range s.Tasks {
		if out[t.Stage] == nil {
			out[t.Stage] = map[string]bool{}
		}
		out[t.Stage][t.Key] = true
	}
	return out
}
