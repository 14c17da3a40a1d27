package stages

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// Registry returns the implementation of every stage of
// experiments.DefaultPipeline. workers bounds the goroutines one task uses
// inside a stage (0 = GOMAXPROCS); outputs do not depend on it.
func Registry(workers int) experiments.Registry {
	return experiments.Registry{
		experiments.StageData:     dataStage(workers),
		experiments.StageDetect:   detectStage(workers),
		experiments.StageBinarize: binarizeStage(workers),
		experiments.StageCrop:     cropStage,
		experiments.StagePretrain: pretrainStage(workers),
		experiments.StageTrain:    trainStage(workers),
		experiments.StageInfer:    inferStage,
		experiments.StageEvaluate: evaluateStage,
		experiments.StageBaseline: baselineStage(workers),
	}
}

// writeJSON writes v as indented JSON atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, append(b, '\n'))
}

// readJSON decodes path into v; errors name the file.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// inputs returns the folders of input stages of job, in the order asked,
// or an error naming the first missing one.
func inputs(job experiments.Job, stages ...string) ([]string, error) {
	dirs := make([]string, len(stages))
	for i, st := range stages {
		dir, ok := job.Inputs[st]
		if !ok {
			return nil, fmt.Errorf("stage %s: missing input %s", job.Stage, st)
		}
		dirs[i] = dir
	}
	return dirs, nil
}

// rel returns path relative to base when it lies below it, else path.
func rel(base, path string) string {
	if r, err := filepath.Rel(base, path); err == nil && !filepath.IsAbs(r) && len(r) > 0 && r[0] != '.' {
		return r
	}
	return path
}
