package checkpoint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/anomalyncd/ancd/core/optim"
)

// Prefixes of tensor names inside a training checkpoint.
const (
	paramPrefix    = "param/"
	momentumPrefix = "momentum/"
	formatVersion  = "ancd-train-1"
)

// State is everything needed to continue training after a completed epoch.
// The per-sample random sources are derived from (Seed, epoch, index), so
// Seed and Epoch are the whole sampler/augmentation RNG state.
type State struct {
	Epoch      int    // epochs completed (the next epoch to run)
	Step       int    // optimiser steps taken so far
	Seed       uint64 // the run's seed
	ConfigHash string // hash of the training configuration that wrote it
	// ClusterPerHead is the mean cluster loss per head over the batches of
	// the epoch just completed (what picks the reported head after the last
	// epoch); stored exactly (shortest round-trip float64 text).
	ClusterPerHead []float64
	Params         []Tensor
	Momentum       []optim.Buffer
}

// Capture builds a State from live parameters (copied) and optimiser buffers.
func Capture(epoch, step int, seed uint64, configHash string, params []*optim.Param, momentum []optim.Buffer) State {
	st := State{Epoch: epoch, Step: step, Seed: seed, ConfigHash: configHash, Momentum: momentum}
	for _, p := range params {
		st.Params = append(st.Params, Tensor{Name: p.Name, Shape: append([]int(nil), p.Shape...), Data: append([]float32(nil), p.Value...)})
	}
	return st
}

// Save writes st to path atomically as a safetensors file: parameters under
// "param/<name>", momentum buffers under "momentum/<name>", the scalars in
// the metadata.
func Save(path string, st State) error {
	tensors := make([]Tensor, 0, len(st.Params)+len(st.Momentum))
	for _, p := range st.Params {
		tensors = append(tensors, Tensor{Name: paramPrefix + p.Name, Shape: p.Shape, Data: p.Data})
	}
	for _, b := range st.Momentum {
		tensors = append(tensors, Tensor{Name: momentumPrefix + b.Name, Shape: b.Shape, Data: b.Values})
	}
	meta := map[string]string{
		"format":      formatVersion,
		"epoch":       strconv.Itoa(st.Epoch),
		"step":        strconv.Itoa(st.Step),
		"seed":        strconv.FormatUint(st.Seed, 10),
		"config_hash": st.ConfigHash,
	}
	if len(st.ClusterPerHead) > 0 {
		vals := make([]string, len(st.ClusterPerHead))
		for i, v := range st.ClusterPerHead {
			vals[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		meta["cluster_per_head"] = strings.Join(vals, ",")
	}
	return WriteFile(path, tensors, meta)
}

// Load reads a checkpoint written by [Save].
func Load(path string) (State, error) {
	f, err := ReadFile(path)
	if err != nil {
		return State{}, err
	}
	if f.Meta["format"] != formatVersion {
		return State{}, fmt.Errorf("checkpoint: %s: format %q, want %q", path, f.Meta["format"], formatVersion)
	}
	var st State
	st.ConfigHash = f.Meta["config_hash"]
	for _, kv := range []struct {
		key string
		dst *int
	}{{"epoch", &st.Epoch}, {"step", &st.Step}} {
		v, err := strconv.Atoi(f.Meta[kv.key])
		if err != nil {
			return State{}, fmt.Errorf("checkpoint: %s: metadata %s: %w", path, kv.key, err)
		}
		*kv.dst = v
	}
	if st.Seed, err = strconv.ParseUint(f.Meta["seed"], 10, 64); err != nil {
		return State{}, fmt.Errorf("checkpoint: %s: metadata seed: %w", path, err)
	}
	if s := f.Meta["cluster_per_head"]; s != "" {
		for _, v := range strings.Split(s, ",") {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return State{}, fmt.Errorf("checkpoint: %s: metadata cluster_per_head: %w", path, err)
			}
			st.ClusterPerHead = append(st.ClusterPerHead, x)
		}
	}
	for _, t := range f.Tensors {
		switch {
		case strings.HasPrefix(t.Name, paramPrefix):
			t.Name = strings.TrimPrefix(t.Name, paramPrefix)
			st.Params = append(st.Params, t)
		case strings.HasPrefix(t.Name, momentumPrefix):
			st.Momentum = append(st.Momentum, optim.Buffer{Name: strings.TrimPrefix(t.Name, momentumPrefix), Shape: t.Shape, Values: t.Data})
		default:
			return State{}, fmt.Errorf("checkpoint: %s: unexpected tensor %q", path, t.Name)
		}
	}
	return st, nil
}

// Restore copies st.Params into params by name. Every parameter must be
// present with the same shape; extra tensors are an error too, so a
// checkpoint of another model is never half-applied.
func (st State) Restore(params []*optim.Param) error {
	byName := make(map[string]Tensor, len(st.Params))
	for _, t := range st.Params {
		byName[t.Name] = t
	}
	if len(byName) != len(params) {
		return fmt.Errorf("checkpoint: holds %d parameters, model has %d", len(byName), len(params))
	}
	for _, p := range params {
		t, ok := byName[p.Name]
		if !ok {
			return fmt.Errorf("checkpoint: no tensor for parameter %q", p.Name)
		}
		if !sameShape(t.Shape, p.Shape) {
			return fmt.Errorf("checkpoint: parameter %q has shape %v, checkpoint %v", p.Name, p.Shape, t.Shape)
		}
	}
	for _, p := range params {
		copy(p.Value, byName[p.Name].Data)
	}
	return nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
