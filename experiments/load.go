package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/anomalyncd/ancd/configs"
)

// Layer is one source of settings: a YAML file or a map built from one.
// Later layers override earlier ones key by key.
type Layer struct {
	// Source names the layer in errors: a file path or "<file> set".
	Source string
	// Settings is the nested map of the layer (section -> key -> value).
	Settings map[string]any
}

// Override is one key.path=value setting from the command line or a sweep
// axis. It has the highest precedence.
type Override struct {
	Path   string
	Value  any
	Source string // e.g. "override model.mask_layers=3" or "table5.yaml axis 0"
}

// String formats the override as key.path=value with the value in YAML flow
// style, so that ParseOverride(o.String()) gives o back.
func (o Override) String() string { return o.Path + "=" + formatValue(o.Value) }

// ParseOverride parses "key.path=value". The value is read as a YAML scalar
// or flow sequence, so 3 is an int, 0.5 a float, true a bool and [0,1] a list.
func ParseOverride(s string) (Override, error) {
	path, raw, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Override{}, fmt.Errorf("override %q: want key.path=value", s)
	}
	var v any
	if err := yaml.Unmarshal([]byte(raw), &v); err != nil {
		return Override{}, fmt.Errorf("override %q: value %q: %v", s, raw, err)
	}
	return Override{Path: path, Value: v, Source: "override " + s}, nil
}

// Loader resolves configs. Its FS holds base.yaml, profiles/ and tables/;
// the zero Loader uses the embedded configs.FS, and a --configs folder is
// given as os.DirFS. base.yaml, the profiles and the embedded sweeps come
// only from FS: files in the working folder never replace them. Only the
// files a user names (a sweep or experiment file on the command line) are
// read from disk first.
type Loader struct {
	FS fs.FS
	// Trace, when set, is called with a description of every config file
	// read ("base.yaml (embedded)", "my.yaml (disk)").
	Trace func(file string)
}

func (l Loader) fsys() fs.FS {
	if l.FS == nil {
		return configs.FS
	}
	return l.FS
}

func (l Loader) origin() string {
	if l.FS == nil {
		return "embedded"
	}
	return "--configs"
}

func (l Loader) trace(file string) {
	if l.Trace != nil {
		l.Trace(file)
	}
}

// ReadFile reads a config file from the loader's FS (a leading "configs/"
// is dropped, so "configs/tables/table3.yaml" works too); a file a
// --configs folder lacks comes from the embedded configs.
func (l Loader) ReadFile(path string) ([]byte, error) {
	name := strings.TrimPrefix(path, "configs/")
	data, err := fs.ReadFile(l.fsys(), name)
	origin := l.origin()
	if errors.Is(err, fs.ErrNotExist) && l.FS != nil {
		data, err = fs.ReadFile(configs.FS, name)
		origin = "embedded"
	}
	if err != nil {
		return nil, fmt.Errorf("read config %s (%s configs): %w", path, l.origin(), err)
	}
	l.trace(name + " (" + origin + ")")
	return data, nil
}

// ReadUserFile reads a file the user named: from disk when path exists
// there, else from the loader's FS (so "tables/table3.yaml" works from
// anywhere).
func (l Loader) ReadUserFile(path string) ([]byte, error) {
	if data, err := os.ReadFile(path); err == nil {
		l.trace(path + " (disk)")
		return data, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	data, err := l.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: not on disk and not in the %s configs", path, l.origin())
	}
	return data, nil
}

// ParseLayer parses YAML data from source into a Layer, checking syntax and
// that every key is a known key path with a value of the right type.
func ParseLayer(source string, data []byte) (Layer, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return Layer{}, fmt.Errorf("%s: YAML syntax: %v", source, err)
	}
	layer := Layer{Source: source, Settings: v.AllSettings()}
	if err := checkLayer(layer); err != nil {
		return Layer{}, err
	}
	return layer, nil
}

// LoadLayer reads and parses one YAML file of the loader's FS (see
// ReadFile and ParseLayer).
func (l Loader) LoadLayer(path string) (Layer, error) {
	data, err := l.ReadFile(path)
	if err != nil {
		return Layer{}, err
	}
	return ParseLayer(path, data)
}

// LoadUserLayer reads and parses a YAML file the user named (see
// ReadUserFile and ParseLayer).
func (l Loader) LoadUserLayer(path string) (Layer, error) {
	data, err := l.ReadUserFile(path)
	if err != nil {
		return Layer{}, err
	}
	return ParseLayer(path, data)
}

// Resolve builds the typed config from base.yaml < profile < layers <
// overrides and validates it. The profile is the last experiment.profile
// set by an override, a layer or base.yaml.
func (l Loader) Resolve(layers []Layer, overrides []Override) (Config, error) {
	base, err := l.LoadLayer("base.yaml")
	if err != nil {
		return Config{}, err
	}
	for _, o := range overrides {
		if err := checkOverride(o); err != nil {
			return Config{}, err
		}
	}
	profile := profileOf(base, layers, overrides)
	if !slices.Contains(Profiles, profile) {
		return Config{}, &FieldError{Path: "experiment.profile", Value: fmt.Sprintf("%q", profile), Want: "one of " + strings.Join(Profiles, ", ")}
	}
	prof, err := l.LoadLayer("profiles/" + profile + ".yaml")
	if err != nil {
		return Config{}, err
	}
	all := append([]Layer{base, prof}, layers...)

	v := viper.New()
	origin := map[string]string{}
	for _, layer := range all {
		if err := v.MergeConfigMap(layer.Settings); err != nil {
			return Config{}, fmt.Errorf("%s: merge: %v", layer.Source, err)
		}
		for _, p := range leafPaths(layer.Settings, "") {
			origin[p] = layer.Source
		}
	}
	for _, o := range overrides {
		v.Set(o.Path, o.Value)
		origin[strings.ToLower(o.Path)] = o.Source
	}
	var cfg Config
	if err := v.Unmarshal(&cfg, strictDecoding); err != nil {
		return Config{}, fmt.Errorf("resolved config: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, attachSources(err, origin)
	}
	return cfg, nil
}

// LoadExperiment resolves an experiment file (may be "" for base + profile
// only) with command-line overrides "key.path=value".
func (l Loader) LoadExperiment(path string, overrides ...string) (Config, error) {
	var layers []Layer
	if path != "" {
		layer, err := l.LoadUserLayer(path)
		if err != nil {
			return Config{}, err
		}
		layers = append(layers, layer)
	}
	var ovs []Override
	for _, s := range overrides {
		o, err := ParseOverride(s)
		if err != nil {
			return Config{}, err
		}
		ovs = append(ovs, o)
	}
	return l.Resolve(layers, ovs)
}

func profileOf(base Layer, layers []Layer, overrides []Override) string {
	for i := len(overrides) - 1; i >= 0; i-- {
		if strings.EqualFold(overrides[i].Path, "experiment.profile") {
			return fmt.Sprint(overrides[i].Value)
		}
	}
	for i := len(layers) - 1; i >= 0; i-- {
		if p, ok := lookup(layers[i].Settings, "experiment.profile"); ok {
			return fmt.Sprint(p)
		}
	}
	p, _ := lookup(base.Settings, "experiment.profile")
	return fmt.Sprint(p)
}

func lookup(m map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	var cur any = m
	for _, p := range parts {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = mm[p]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// strictDecoding makes unknown keys and lossy conversions errors.
func strictDecoding(dc *mapstructure.DecoderConfig) {
	dc.ErrorUnused = true
	dc.WeaklyTypedInput = false
	dc.DecodeHook = rejectFractionalInts
}

// rejectFractionalInts stops mapstructure from silently truncating 2.5 to 2.
func rejectFractionalInts(from, to reflect.Type, data any) (any, error) {
	switch to.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if f, ok := data.(float64); ok && f != math.Trunc(f) {
			return nil, fmt.Errorf("%v is not an integer", f)
		}
	case reflect.Bool:
		if _, ok := data.(bool); !ok {
			return nil, fmt.Errorf("%v (%T) is not a bool", data, data)
		}
	case reflect.String:
		if _, ok := data.(string); !ok {
			return nil, fmt.Errorf("%v (%T) is not a string", data, data)
		}
	}
	return data, nil
}

// checkLayer reports unknown key paths and type errors of one layer alone.
func checkLayer(layer Layer) error {
	known := knownPaths()
	for _, p := range leafPaths(layer.Settings, "") {
		if known[p] {
			continue
		}
		return fmt.Errorf("%s: unknown key %q%s", layer.Source, p, suggest(p, known))
	}
	v := viper.New()
	if err := v.MergeConfigMap(layer.Settings); err != nil {
		return fmt.Errorf("%s: %v", layer.Source, err)
	}
	var cfg Config
	if err := v.Unmarshal(&cfg, strictDecoding); err != nil {
		return fmt.Errorf("%s: %v", layer.Source, err)
	}
	return nil
}

func checkOverride(o Override) error {
	known := knownPaths()
	p := strings.ToLower(o.Path)
	if !known[p] {
		return fmt.Errorf("%s: unknown key %q%s", o.Source, o.Path, suggest(p, known))
	}
	v := viper.New()
	v.Set(p, o.Value)
	var cfg Config
	if err := v.Unmarshal(&cfg, strictDecoding); err != nil {
		return fmt.Errorf("%s: %v", o.Source, err)
	}
	return nil
}

// suggest lists the known keys of the section the unknown path is in.
func suggest(path string, known map[string]bool) string {
	section := ""
	if i := strings.LastIndex(path, "."); i >= 0 {
		section = path[:i+1]
	}
	var keys []string
	for k := range known {
		if strings.HasPrefix(k, section) && !strings.Contains(k[len(section):], ".") {
			keys = append(keys, k[len(section):])
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	where := "at top level"
	if section != "" {
		where = "in " + strings.TrimSuffix(section, ".")
	}
	return fmt.Sprintf(" (allowed %s: %s)", where, strings.Join(keys, ", "))
}

// leafPaths lists the dotted paths of the non-map values of m, sorted.
func leafPaths(m map[string]any, prefix string) []string {
	var out []string
	for k, v := range m {
		p := prefix + strings.ToLower(k)
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			out = append(out, leafPaths(sub, p+".")...)
			continue
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// knownPaths returns every leaf key path of Config (sections excluded).
func knownPaths() map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			name := f.Tag.Get("mapstructure")
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, prefix+name+".")
				continue
			}
			out[prefix+name] = true
		}
	}
	walk(reflect.TypeFor[Config](), "")
	return out
}

// attachSources fills FieldError.Source from the layer that set each path.
func attachSources(err error, origin map[string]string) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var fe *FieldError
		if errors.As(e, &fe) && fe.Source == "" {
			p := fe.Path
			if i := strings.IndexByte(p, '['); i >= 0 {
				p = p[:i]
			}
			fe.Source = origin[p]
		}
	}
	return errors.Join(errs...)
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		return fmt.Sprint(v)
	}
}
