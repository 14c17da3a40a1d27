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
	for k := range joinKeys(a, b) {
		if strings.HasPrefix(k, "experiment.") || strings.HasPrefix(k, "data.") {
			continue
		}
		v, r := leafOrZero(a, b, k), leafOrZero(b, a, k)
		if v != r {
			out = append(out, Departure{Key: k, Value: v, Reference: r})
		}
	}
	slices.SortFunc(out, func(x, y Departure) int { return strings.Compare(x.Key, y.Key) })
	return out, nil
}

// joinKeys returns the set of keys of a and b.
func joinKeys(a, b map[string]string) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// leafOrZero is m[k], or, where m lacks k (a field left out of the JSON as
// omitempty, i.e. at its zero value), the zero value of other[k]'s type.
func leafOrZero(m, other map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	switch v := other[k]; {
	case strings.HasPrefix(v, `"`):
		return `""`
	case v == "true" || v == "false":
		return "false"
	case strings.HasPrefix(v, "["):
		return "[]"
	case strings.HasPrefix(v, "{"):
		return "{}"
	default:
		return "0"
	}
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
