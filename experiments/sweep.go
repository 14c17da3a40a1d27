package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Sweep is a parsed sweep file:
//
//	name: table3
//	description: binarization methods (Table III)
//	base: experiments/mine.yaml   # optional experiment file under everything
//	set:                          # settings shared by every point
//	  detect.method: musc
//	axes:                         # combined as a product, first axis outermost
//	  - points:                   # explicit points; "label" names a point
//	      - {label: MEBin, binarize.method: mebin}
//	      - {binarize.method: otsu}
//	  - grid:                     # product of the listed keys, in file order
//	      crop.enabled: [false, true]
//	  - zip:                      # paired lists of equal length
//	      experiment.dataset.kind: [mvtec, mtd]
//	      merge.temperature: [100, 50]
//	seeds: default                # or [3407, 1, 2]; replicates averaged into mean ± std
//
// A sweep file may also be a plain experiment file; then it has one point.
type Sweep struct {
	Name        string
	Description string
	Source      string // file the sweep came from
	Base        string
	Set         []Override
	Axes        []Axis
	// Seeds are explicit replicate seeds; nil with DefaultSeeds false means
	// one replicate at experiment.seed.
	Seeds        []int
	DefaultSeeds bool
}

// Axis is one dimension of a sweep: an ordered list of settings.
type Axis struct {
	Kind   string // "points", "grid" or "zip"
	Values []AxisValue
}

// AxisValue is one position on an axis: the overrides it applies and its label.
type AxisValue struct {
	Label     string
	Overrides []Override
}

// Point is one fully resolved configuration of a sweep.
type Point struct {
	// Index is the position in expansion order.
	Index int
	// Label names the setting without the seed, e.g.
	// "binarize.method=fixed binarize.theta=0.1"; replicates share it.
	Label string
	// Seed is the replicate's seed (also in Config.Experiment.Seed).
	Seed      int
	Overrides []Override
	Config    Config
}

// ID is a stable identifier of the point: a hash of its resolved config.
func (p Point) ID() string {
	data, _ := json.Marshal(p.Config)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

type sweepFile struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Base        string     `yaml:"base"`
	Set         yaml.Node  `yaml:"set"`
	Axes        []axisFile `yaml:"axes"`
	Seeds       yaml.Node  `yaml:"seeds"`
}

type axisFile struct {
	Points []yaml.Node `yaml:"points"`
	Grid   yaml.Node   `yaml:"grid"`
	Zip    yaml.Node   `yaml:"zip"`
}

var sweepKeys = map[string]bool{"name": true, "description": true, "base": true, "set": true, "axes": true, "seeds": true}

// LoadSweep reads a sweep file of the loader's FS (the embedded configs or
// --configs), e.g. "tables/table3.yaml".
func (l Loader) LoadSweep(path string) (*Sweep, error) {
	data, err := l.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSweep(path, data)
}

// LoadUserSweep reads a sweep file the user named: from disk first, then
// from the loader's FS.
func (l Loader) LoadUserSweep(path string) (*Sweep, error) {
	data, err := l.ReadUserFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSweep(path, data)
}

// ParseSweep parses sweep YAML. A file without any sweep key (name, set,
// axes, seeds, ...) is read as an experiment file: its settings become Set.
func ParseSweep(source string, data []byte) (*Sweep, error) {
	var top yaml.Node
	if err := yaml.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%s: YAML syntax: %v", source, err)
	}
	isSweep := false
	if len(top.Content) == 1 && top.Content[0].Kind == yaml.MappingNode {
		for i := 0; i < len(top.Content[0].Content); i += 2 {
			if sweepKeys[top.Content[0].Content[i].Value] {
				isSweep = true
			}
		}
	}
	sw := &Sweep{Source: source}
	if !isSweep {
		if len(top.Content) == 0 {
			return sw, nil
		}
		set, err := flatten(source, top.Content[0], "")
		sw.Set = set
		return sw, err
	}
	var f sweepFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %v (sweep keys: name, description, base, set, axes, seeds)", source, err)
	}
	sw.Name, sw.Description, sw.Base = f.Name, f.Description, f.Base
	var err error
	if sw.Set, err = flatten(source, &f.Set, ""); err != nil {
		return nil, err
	}
	for i, a := range f.Axes {
		ax, err := parseAxis(fmt.Sprintf("%s: axes[%d]", source, i), a)
		if err != nil {
			return nil, err
		}
		sw.Axes = append(sw.Axes, ax)
	}
	switch {
	case f.Seeds.Kind == 0:
	case f.Seeds.Kind == yaml.ScalarNode && f.Seeds.Value == "default":
		sw.DefaultSeeds = true
	default:
		if err := f.Seeds.Decode(&sw.Seeds); err != nil || len(sw.Seeds) == 0 {
			return nil, fmt.Errorf("%s:%d: seeds: want \"default\" or a non-empty list of integers", source, f.Seeds.Line)
		}
	}
	return sw, nil
}

// parseAxis reads one entry of axes: exactly one of points, grid or zip.
func parseAxis(where string, a axisFile) (Axis, error) {
	n := 0
	for _, set := range []bool{a.Points != nil, a.Grid.Kind != 0, a.Zip.Kind != 0} {
		if set {
			n++
		}
	}
	switch {
	case n != 1:
		return Axis{}, fmt.Errorf("%s: want exactly one of points, grid, zip", where)
	case a.Points != nil:
		return parsePoints(where+".points", a.Points)
	case a.Grid.Kind != 0:
		return parseGrid(where+".grid", &a.Grid)
	default:
		return parseZip(where+".zip", &a.Zip)
	}
}

// parsePoints reads explicit points: mappings of key.path: value, each
// labelled by its "label" key or by its settings.
func parsePoints(where string, points []yaml.Node) (Axis, error) {
	ax := Axis{Kind: "points"}
	for j := range points {
		node := &points[j]
		if node.Kind != yaml.MappingNode {
			return Axis{}, fmt.Errorf("%s[%d] (line %d): want a mapping of key.path: value", where, j, node.Line)
		}
		var label string
		var rest yaml.Node = *node
		rest.Content = nil
		for k := 0; k < len(node.Content); k += 2 {
			if node.Content[k].Value == "label" {
				label = node.Content[k+1].Value
				continue
			}
			rest.Content = append(rest.Content, node.Content[k], node.Content[k+1])
		}
		ovs, err := flatten(fmt.Sprintf("%s[%d]", where, j), &rest, "")
		if err != nil {
			return Axis{}, err
		}
		if label == "" {
			label = labelOf(ovs)
		}
		ax.Values = append(ax.Values, AxisValue{Label: label, Overrides: ovs})
	}
	return ax, nil
}

// parseGrid reads a grid: the product of the listed keys' values, first
// key outermost.
func parseGrid(where string, node *yaml.Node) (Axis, error) {
	keys, lists, err := axisLists(where, node)
	if err != nil {
		return Axis{}, err
	}
	perKey := make([][]AxisValue, len(keys))
	for i, key := range keys {
		for _, v := range lists[i] {
			perKey[i] = append(perKey[i], AxisValue{Overrides: []Override{{Path: key, Value: v, Source: where + " " + key}}})
		}
	}
	ax := Axis{Kind: "grid", Values: product(perKey)}
	for i := range ax.Values {
		ax.Values[i].Label = labelOf(ax.Values[i].Overrides)
	}
	return ax, nil
}

// parseZip reads a zip: lists of equal length, taken position by position.
func parseZip(where string, node *yaml.Node) (Axis, error) {
	keys, lists, err := axisLists(where, node)
	if err != nil {
		return Axis{}, err
	}
	for i, l := range lists {
		if len(l) != len(lists[0]) {
			return Axis{}, fmt.Errorf("%s: %s has %d values but %s has %d; zip lists must have equal length", where, keys[i], len(l), keys[0], len(lists[0]))
		}
	}
	ax := Axis{Kind: "zip"}
	for j := range lists[0] {
		var ovs []Override
		for i, key := range keys {
			ovs = append(ovs, Override{Path: key, Value: lists[i][j], Source: where + " " + key})
		}
		ax.Values = append(ax.Values, AxisValue{Label: labelOf(ovs), Overrides: ovs})
	}
	return ax, nil
}

// product is the cartesian product of axes, first axis outermost: each
// combination applies its values' overrides in axis order and is labelled
// by their labels joined with spaces (empty labels left out).
func product(axes [][]AxisValue) []AxisValue {
	combos := []AxisValue{{}}
	for _, values := range axes {
		next := make([]AxisValue, 0, len(combos)*len(values))
		for _, prev := range combos {
			for _, v := range values {
				next = append(next, AxisValue{
					Label:     strings.TrimSpace(prev.Label + " " + v.Label),
					Overrides: append(append([]Override(nil), prev.Overrides...), v.Overrides...),
				})
			}
		}
		combos = next
	}
	return combos
}

// axisLists reads a mapping of key.path: [values...] keeping file order.
func axisLists(where string, node *yaml.Node) ([]string, [][]any, error) {
	if node.Kind != yaml.MappingNode || len(node.Content) == 0 {
		return nil, nil, fmt.Errorf("%s (line %d): want a non-empty mapping of key.path: [values]", where, node.Line)
	}
	var keys []string
	var lists [][]any
	for k := 0; k < len(node.Content); k += 2 {
		key, val := node.Content[k], node.Content[k+1]
		var list []any
		if val.Kind != yaml.SequenceNode || val.Decode(&list) != nil || len(list) == 0 {
			return nil, nil, fmt.Errorf("%s: %s (line %d): want a non-empty list of values", where, key.Value, key.Line)
		}
		keys = append(keys, key.Value)
		lists = append(lists, list)
	}
	return keys, lists, nil
}

// flatten turns a (possibly nested, possibly dotted) mapping into overrides
// in file order.
func flatten(where string, node *yaml.Node, prefix string) ([]Override, error) {
	if node.Kind == 0 {
		return nil, nil
	}
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	if node.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s (line %d): want a mapping of key.path: value", where, node.Line)
	}
	var out []Override
	for k := 0; k < len(node.Content); k += 2 {
		key, val := node.Content[k], node.Content[k+1]
		path := prefix + key.Value
		if val.Kind == yaml.MappingNode {
			sub, err := flatten(where, val, path+".")
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			continue
		}
		var v any
		if err := val.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %s (line %d): %v", where, path, key.Line, err)
		}
		out = append(out, Override{Path: path, Value: v, Source: fmt.Sprintf("%s line %d", where, key.Line)})
	}
	return out, nil
}

func labelOf(ovs []Override) string {
	parts := make([]string, len(ovs))
	for i, o := range ovs {
		parts[i] = o.String()
	}
	return strings.Join(parts, " ")
}

// Expand resolves every point of the sweep in a deterministic order: the
// product of the axes (first axis outermost), then seeds innermost. extra
// overrides (from the command line) apply last, on every point.
func (l Loader) Expand(sw *Sweep, extra []Override) ([]Point, error) {
	var layers []Layer
	if sw.Base != "" {
		layer, err := l.LoadUserLayer(sw.Base)
		if err != nil {
			return nil, fmt.Errorf("%s: base: %w", sw.Source, err)
		}
		layers = append(layers, layer)
	}
	axes := make([][]AxisValue, len(sw.Axes))
	for i, ax := range sw.Axes {
		axes[i] = ax.Values
	}
	combos := product(axes)
	var points []Point
	for _, c := range combos {
		ovs := append(append(append([]Override(nil), sw.Set...), c.Overrides...), extra...)
		cfg, err := l.Resolve(layers, ovs)
		if err != nil {
			if c.Label != "" {
				return nil, fmt.Errorf("%s: point %q: %w", sw.Source, c.Label, err)
			}
			return nil, fmt.Errorf("%s: %w", sw.Source, err)
		}
		seeds := []int{cfg.Experiment.Seed}
		switch {
		case sw.Seeds != nil:
			seeds = sw.Seeds
		case sw.DefaultSeeds:
			seeds = cfg.Experiment.Seeds
		}
		label := c.Label
		if label == "" {
			label = "default"
		}
		for _, s := range seeds {
			p := Point{Index: len(points), Label: label, Seed: s, Overrides: ovs, Config: cfg}
			p.Config.Experiment.Seed = s
			if err := p.Config.Validate(); err != nil {
				return nil, fmt.Errorf("%s: point %q seed %d: %w", sw.Source, label, s, err)
			}
			points = append(points, p)
		}
	}
	return points, nil
}
