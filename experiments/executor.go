package experiments

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/anomalyncd/ancd/results"
	"github.com/anomalyncd/ancd/runners"
)

// Job is what a stage implementation gets to do one task.
type Job struct {
	Stage string
	Key   string
	// Config is the resolved config (the stage should read only the paths
	// its Stage.Reads names: others do not enter the key).
	Config Config
	Seed   int
	// Inputs maps input stage name -> that entry's folder in the store
	// (complete; read-only).
	Inputs map[string]string
	// Out is an empty temporary folder to write the outputs into. It is
	// moved into the store only if the function returns nil.
	Out string
	// Log receives the stage's human-readable log.
	Log io.Writer
	// Env holds extra environment from the runner (CUDA_VISIBLE_DEVICES).
	Env []string
}

// StageFunc implements a stage. It must write only under job.Out, produce
// the same bytes for the same job (seed every random source from job.Seed,
// job.Key and item indices), and return promptly with ctx.Err() when ctx is
// cancelled.
type StageFunc func(ctx context.Context, job Job) error

// Registry maps stage names to implementations.
type Registry map[string]StageFunc

// Check returns an error naming every stage of the study that has no
// implementation.
func (r Registry) Check(s *Study) error {
	var missing []string
	for _, st := range s.Pipeline {
		if r[st.Name] == nil {
			missing = append(missing, st.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no implementation registered for stage(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

// Executor runs study tasks in this process and stores their outputs. It
// implements runners.Executor. Create it with NewExecutor.
type Executor struct {
	study    *Study
	store    *results.Store
	registry Registry
	command  []string

	mu   sync.Mutex
	made map[string]bool // keys made by this process (for provenance)
}

// NewExecutor binds a study to a store and implementations. command is the
// argv prefix that re-runs this study in a fresh process; Command(key)
// appends "--task <key>" to it.
func NewExecutor(study *Study, store *results.Store, registry Registry, command []string) *Executor {
	return &Executor{study: study, store: store, registry: registry, command: command, made: map[string]bool{}}
}

var _ runners.Executor = (*Executor)(nil)

// Done reports whether the task's entry is complete in the store.
func (e *Executor) Done(key string) bool {
	t, ok := e.study.Task(key)
	return ok && e.store.Done(t.Stage, key)
}

// Command returns the argv that runs one task in a fresh process.
func (e *Executor) Command(key string) []string {
	return append(append([]string(nil), e.command...), "--task", key)
}

// Exec runs one task and stores its output atomically.
func (e *Executor) Exec(ctx context.Context, key string, log io.Writer) error {
	t, ok := e.study.Task(key)
	if !ok {
		return fmt.Errorf("task %s is not in the study", key)
	}
	fn := e.registry[t.Stage]
	if fn == nil {
		return fmt.Errorf("stage %q has no implementation", t.Stage)
	}
	if e.store.Done(t.Stage, key) {
		return nil
	}
	conf, err := t.Def.ConfigJSON(t.Config)
	if err != nil {
		return err
	}
	prov := results.Provenance{Config: conf, Seed: t.Config.Experiment.Seed, Start: time.Now().UTC()}
	inputs := map[string]string{}
	names := make([]string, 0, len(t.Inputs))
	for name := range t.Inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	e.mu.Lock()
	for _, name := range names {
		k := t.Inputs[name]
		inputs[name] = e.store.Dir(name, k)
		prov.Inputs = append(prov.Inputs, results.Input{Stage: name, Key: k, Cached: !e.made[k]})
	}
	e.mu.Unlock()
	env := runners.EnvFrom(ctx)
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		prov.Extra = append(prov.Extra, results.KeyValue{Key: name, Value: value})
	}
	created, err := e.store.Put(t.Stage, key, prov, func(dir string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(ctx, Job{Stage: t.Stage, Key: key, Config: t.Config, Seed: t.Config.Experiment.Seed,
			Inputs: inputs, Out: dir, Log: log, Env: env})
	})
	if err != nil {
		return err
	}
	if created {
		e.mu.Lock()
		e.made[key] = true
		e.mu.Unlock()
	}
	return nil
}
