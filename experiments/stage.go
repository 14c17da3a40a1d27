package experiments

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Stage is one step of the pipeline. Its content key depends only on its
// name, its code version, the config values it reads and the keys of its
// input stages, so it changes when (and only when) one of those changes.
type Stage struct {
	// Name is the stage's name and its folder in the run store.
	Name string
	// Version is the stage's code version; bump it when the stage's output
	// for the same config and inputs changes.
	Version string
	// Reads are the key paths whose values enter the key: whole sections
	// ("binarize") or single keys ("experiment.seed").
	Reads []string
	// Inputs are the names of the stages whose outputs this stage reads.
	Inputs []string
	// Slots is how many worker slots a task of this stage occupies (0 = 1).
	Slots int64
}

// Pipeline is a list of stages in dependency order: a stage's inputs come
// before it.
type Pipeline []Stage

// Stage names of the default pipeline.
const (
	StageData     = "data"
	StageDetect   = "detect"
	StageBinarize = "binarize"
	StageCrop     = "crop"
	StagePretrain = "pretrain"
	StageTrain    = "train"
	StageInfer    = "infer"
	StageEvaluate = "evaluate"
	StageBaseline = "baseline"
)

// DefaultPipeline is the AnomalyNCD chain data -> detect -> binarize -> crop
// -> pretrain -> train -> infer (region merging) -> evaluate. Data, detection,
// binarization and cropping do not read the seed, so replicates share them;
// pretraining reads only the backbone's shape, so mask ablations share it;
// merging ablations (Table VII) share everything up to training.
func DefaultPipeline() Pipeline {
	return Pipeline{
		{Name: StageData, Version: "1", Reads: []string{"experiment.dataset", "data"}},
		{Name: StageDetect, Version: "1", Reads: []string{"detect"}, Inputs: []string{StageData}},
		{Name: StageBinarize, Version: "3", Reads: []string{"binarize"}, Inputs: []string{StageData, StageDetect}},
		{Name: StageCrop, Version: "1", Reads: []string{"crop.enabled", "crop.min_crop_size", "crop.max_merge_dist", "crop.pad"}, Inputs: []string{StageData, StageBinarize}},
		{Name: StagePretrain, Version: "4", Reads: []string{"pretrain", "data.synth_seed", "model.image_size", "model.patch_size", "model.dim", "model.depth", "model.heads", "model.mlp_ratio", "model.stem", "model.proj_hidden", "model.proj_out", "model.n_head", "model.weights"}, Inputs: []string{StageData}},
		{Name: StageTrain, Version: "9", Reads: []string{"train", "model", "crop.anomaly_thred", "experiment.seed"}, Inputs: []string{StageData, StageCrop, StagePretrain}},
		{Name: StageInfer, Version: "3", Reads: []string{"merge", "experiment.dataset.kind"}, Inputs: []string{StageData, StageCrop, StageTrain}},
		{Name: StageEvaluate, Version: "2", Reads: []string{"eval"}, Inputs: []string{StageData, StageDetect, StageBinarize, StageInfer}},
		// The clustering baselines (Anomaly Clustering, k-means) read only the
		// data and the detector's maps, so one task serves every point that
		// shares a detector and a seed.
		{Name: StageBaseline, Version: "1", Reads: []string{"experiment.seed"}, Inputs: []string{StageData, StageDetect}},
	}
}

// Validate checks names, versions, read paths and that inputs come earlier.
func (p Pipeline) Validate() error {
	seen := map[string]bool{}
	known := knownPaths()
	for i, s := range p {
		if s.Name == "" || strings.ContainsAny(s.Name, `/\. `) {
			return fmt.Errorf("pipeline stage %d: invalid name %q", i, s.Name)
		}
		if seen[s.Name] {
			return fmt.Errorf("pipeline: stage %q defined twice", s.Name)
		}
		if s.Version == "" {
			return fmt.Errorf("pipeline stage %q: empty version", s.Name)
		}
		for _, r := range s.Reads {
			if !known[r] && !isSection(r, known) {
				return fmt.Errorf("pipeline stage %q reads unknown config path %q", s.Name, r)
			}
		}
		for _, in := range s.Inputs {
			if !seen[in] {
				return fmt.Errorf("pipeline stage %q: input %q is not an earlier stage", s.Name, in)
			}
		}
		seen[s.Name] = true
	}
	return nil
}

// Names returns the stage names in pipeline order.
func (p Pipeline) Names() []string {
	names := make([]string, len(p))
	for i, st := range p {
		names[i] = st.Name
	}
	return names
}

// Find returns the stage named name.
func (p Pipeline) Find(name string) (Stage, bool) {
	i := slices.IndexFunc(p, func(s Stage) bool { return s.Name == name })
	if i < 0 {
		return Stage{}, false
	}
	return p[i], true
}

func isSection(path string, known map[string]bool) bool {
	for k := range known {
		if strings.HasPrefix(k, path+".") {
			return true
		}
	}
	return false
}

// ConfigJSON returns the canonical JSON (sorted keys, compact) of the values
// the stage reads from cfg: an object from each read path to its value.
func (s Stage) ConfigJSON(cfg Config) ([]byte, error) {
	full, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	dec := json.NewDecoder(strings.NewReader(string(full)))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	picked := map[string]any{}
	for _, path := range s.Reads {
		v, ok := lookup(tree, path)
		if !ok {
			return nil, fmt.Errorf("stage %s: config has no %q", s.Name, path)
		}
		picked[path] = v
	}
	return json.Marshal(picked) // encoding/json sorts map keys
}

// keyDoc is what a key hashes; its JSON form is canonical.
type keyDoc struct {
	Stage   string          `json:"stage"`
	Version string          `json:"version"`
	Config  json.RawMessage `json:"config"`
	Inputs  []string        `json:"inputs"`
}

// Key computes the content key of the stage for cfg, given the keys of its
// inputs (input stage name -> key): hex sha256 of the canonical JSON of
// (name, version, read config values, sorted "stage:key" inputs).
func (s Stage) Key(cfg Config, inputs map[string]string) (string, error) {
	conf, err := s.ConfigJSON(cfg)
	if err != nil {
		return "", err
	}
	doc := keyDoc{Stage: s.Name, Version: s.Version, Config: conf, Inputs: []string{}}
	for _, in := range s.Inputs {
		k, ok := inputs[in]
		if !ok {
			return "", fmt.Errorf("stage %s: no key for input %s", s.Name, in)
		}
		doc.Inputs = append(doc.Inputs, in+":"+k)
	}
	sort.Strings(doc.Inputs)
	data, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}
