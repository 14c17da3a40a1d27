package optim

import "fmt"

// SGDConfig holds the hyper-parameters of [SGD]. The zero value is plain
// gradient descent without momentum or decay; [ReferenceSGD] gives the
// reference's values.
type SGDConfig struct {
	Momentum    float64 // momentum factor m (reference 0.9)
	WeightDecay float64 // L2 factor added to the gradient of Decay params (reference 5e-5)
}

// ReferenceSGD is the reference's optimiser: momentum 0.9, weight decay 5e-5
// (decay only on parameters with Decay=true, i.e. not on biases or 1-D tensors).
func ReferenceSGD() SGDConfig { return SGDConfig{Momentum: 0.9, WeightDecay: 5e-5} }

// SGD is stochastic gradient descent with momentum in PyTorch semantics
// (dampening 0, no Nesterov):
//
//	d   = g + wd*p          (wd only when Param.Decay)
//	buf = m*buf + d         (buf starts at zero, so the first step gives buf = d)
//	p   = p - lr*buf
//
// every operation rounded to float32 as PyTorch's float32 kernels do.
// Parameters with Train=false are never touched and get no buffer.
type SGD struct {
	cfg    SGDConfig
	params []*Param
	bufs   [][]float32 // momentum buffer per param, nil for frozen ones
}

// NewSGD creates an optimiser over params; it keeps the slice order, which is
// also the order of [SGD.State].
func NewSGD(params []*Param, cfg SGDConfig) (*SGD, error) {
	s := &SGD{cfg: cfg, params: params, bufs: make([][]float32, len(params))}
	seen := make(map[string]bool, len(params))
	for i, p := range params {
		if seen[p.Name] {
			return nil, fmt.Errorf("optim: duplicate parameter name %q", p.Name)
		}
		seen[p.Name] = true
		if len(p.Grad) != len(p.Value) {
			return nil, fmt.Errorf("optim: parameter %q has %d values but %d gradients", p.Name, len(p.Value), len(p.Grad))
		}
		if n := shapeSize(p.Shape); n != len(p.Value) {
			return nil, fmt.Errorf("optim: parameter %q shape %v holds %d values, have %d", p.Name, p.Shape, n, len(p.Value))
		}
		if p.Train && cfg.Momentum != 0 {
			s.bufs[i] = make([]float32, len(p.Value))
		}
	}
	return s, nil
}

// Step applies one update with learning rate lr using every trainable
// parameter's Grad.
func (s *SGD) Step(lr float64) {
	lr32 := float32(lr)
	m := float32(s.cfg.Momentum)
	wd := float32(s.cfg.WeightDecay)
	for i, p := range s.params {
		if !p.Train {
			continue
		}
		decay := p.Decay && wd != 0
		buf := s.bufs[i]
		for j, g := range p.Grad {
			d := g
			if decay {
				d = g + float32(wd*p.Value[j])
			}
			if buf != nil {
				buf[j] = float32(m*buf[j]) + d
				d = buf[j]
			}
			p.Value[j] -= float32(lr32 * d)
		}
	}
}

// Buffer is the momentum buffer of one parameter, as saved in checkpoints.
type Buffer struct {
	Name   string
	Shape  []int
	Values []float32
}

// State returns copies of the momentum buffers of the trainable parameters, in
// parameter order. Empty when momentum is 0.
func (s *SGD) State() []Buffer {
	var out []Buffer
	for i, p := range s.params {
		if s.bufs[i] == nil {
			continue
		}
		out = append(out, Buffer{Name: p.Name, Shape: append([]int(nil), p.Shape...), Values: append([]float32(nil), s.bufs[i]...)})
	}
	return out
}

// SetState restores momentum buffers saved by [SGD.State]. Every trainable
// parameter must have exactly one buffer of its size; an unknown or missing
// name is an error.
func (s *SGD) SetState(bufs []Buffer) error {
	byName := make(map[string]int, len(s.params))
	for i, p := range s.params {
		if s.bufs[i] != nil {
			byName[p.Name] = i
		}
	}
	done := make(map[string]bool, len(bufs))
	for _, b := range bufs {
		i, ok := byName[b.Name]
		if !ok {
			return fmt.Errorf("optim: momentum buffer %q matches no trainable parameter", b.Name)
		}
		if len(b.Values) != len(s.bufs[i]) {
			return fmt.Errorf("optim: momentum buffer %q has %d values, parameter has %d", b.Name, len(b.Values), len(s.bufs[i]))
		}
		done[b.Name] = true
	}
	if len(done) != len(byName) {
		for name := range byName {
			if !done[name] {
				return fmt.Errorf("optim: no momentum buffer for trainable parameter %q", name)
			}
		}
	}
	for _, b := range bufs {
		copy(s.bufs[byName[b.Name]], b.Values)
	}
	return nil
}

func shapeSize(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
