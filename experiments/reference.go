package experiments

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/viper"
)

// Reference decodes base.yaml alone, without a size profile: every value of
// the reference implementation (the authors' code at ViT-B/8, 224 px).
func (l Loader) Reference() (Config, error) {
	base, err := l.LoadLayer("base.yaml")
	if err != nil {
		return Config{}, err
	}
	v := viper.New()
	if err := v.MergeConfigMap(base.Settings); err != nil {
		return Config{}, fmt.Errorf("%s: merge: %v", base.Source, err)
	}
	var cfg Config
	if err := v.Unmarshal(&cfg, strictDecoding); err != nil {
		return Config{}, fmt.Errorf("%s: %v", base.Source, err)
	}
	return cfg, nil
}

// Departure is one method setting whose value differs from the reference.
type Departure struct {
	Key       string // dotted config path, e.g. "model.image_size"
	Value     string // JSON of the value in use
	Reference string // JSON of the reference value
}

// String formats d for people: "`key`: value (reference: ref)".
func (d Departure) String() string {
	return fmt.Sprintf("`%s`: %s (reference: %s)", d.Key, d.Value, d.Reference)
}

// Departures lists, sorted by key, the settings of the method (every
// section but experiment and data, which choose the benchmark and seeds)
// where cfg differs from ref.
func Departures(cfg, ref Config) ([]Departure, error) {
	a, err := flattenJSON(cfg)
	if err != nil {
		return nil, err
	}
	b, err := flattenJSON(ref)
	if err != nil {
		return nil, err
	}
	var out []Departure
	for k, v := range a {
		if strings.HasPrefix(k, "experiment.") || strings.HasPrefix(k, "data.") {
			continue
		}
		if r, ok := b[k]; !ok || r != v {
			out = append(out, Departure{Key: k, Value: v, Reference: b[k]})
		}
	}
	slices.SortFunc(out, func(x, y Departure) int { return strings.Compare(x.Key, y.Key) })
	return out, nil
}

// flattenJSON maps each leaf of v's JSON form to its dotted path (lists are
// leaves, as their JSON text).
func flattenJSON(v any) (map[string]string, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(js, &tree); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		for k, x := range m {
			if sub, ok := x.(map[string]any); ok {
				if err := walk(prefix+k+".", sub); err != nil {
					return err
				}
				continue
			}
			leaf, err := json.Marshal(x)
			if err != nil {
				return err
			}
			out[prefix+k] = string(leaf)
		}
		return nil
	}
	return out, walk("", tree)
}
