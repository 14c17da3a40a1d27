package optim

import "math"

// CosineLR is PyTorch's CosineAnnealingLR in closed form, stepped once per
// epoch: lr(e) = EtaMin + (Base-EtaMin)*(1+cos(pi*e/TMax))/2.
// The reference uses Base 0.003, TMax = epochs (50), EtaMin = Base*1e-3
// (see [ReferenceCosine]). The zero value gives lr 0 everywhere.
type CosineLR struct {
	Base   float64 // initial learning rate
	EtaMin float64 // floor reached at epoch TMax
	TMax   int     // half period in epochs
}

// ReferenceCosine returns the reference schedule for base lr and epochs:
// TMax = epochs, EtaMin = base*1e-3.
func ReferenceCosine(base float64, epochs int) CosineLR {
	return CosineLR{Base: base, EtaMin: base * 1e-3, TMax: epochs}
}

// At returns the learning rate used during epoch e (0-based). TMax <= 0 gives Base.
func (c CosineLR) At(e int) float64 {
	if c.TMax <= 0 {
		return c.Base
	}
	return c.EtaMin + (c.Base-c.EtaMin)*(1+math.Cos(math.Pi*float64(e)/float64(c.TMax)))/2
}

// TeacherTemp is the reference's teacher-temperature staircase (reference §5):
// linspace(Start, End, WarmupEpochs/Repeat) with every value repeated Repeat
// times, then End for the remaining epochs. For the reference's 50 epochs
// (Start 0.07, End 0.04, Warmup 40, Repeat 4) that is
// τ_e = 0.07 − (0.03/9)·⌊e/4⌋ for e < 40 and 0.04 after.
// The zero value yields End (0) for every epoch.
type TeacherTemp struct {
	Start, End   float64
	WarmupEpochs int // epochs of the staircase (reference 40)
	Repeat       int // epochs per stair (reference 4)
}

// ReferenceTeacherTemp scales the reference schedule to any epoch count:
// the warm-up keeps the reference's 40/50 = 80% share of training
// (WarmupEpochs = ⌊0.8·epochs⌋, exactly 40 at 50 epochs), Start/End stay
// 0.07→0.04 and each stair stays 4 epochs long, so longer runs get more,
// equally long stairs. When the warm-up is shorter than one stair (fewer
// than 5 epochs) τ holds 0.07 through the warm-up, then 0.04.
// (The reference itself would fail for fewer than 40 epochs: numpy rejects
// ones(epochs-40).)
func ReferenceTeacherTemp(epochs int) TeacherTemp {
	return TeacherTemp{Start: 0.07, End: 0.04, WarmupEpochs: epochs * 4 / 5, Repeat: 4}
}

// Schedule returns τ for epochs 0..epochs-1, computed like numpy's
// linspace (i*step + start, last value exactly End).
func (t TeacherTemp) Schedule(epochs int) []float64 {
	out := make([]float64, 0, max(epochs, 0))
	steps := 0
	if t.Repeat > 0 {
		steps = t.WarmupEpochs / t.Repeat
	}
	if steps == 0 && t.WarmupEpochs > 0 && epochs > 0 {
		// fewer warm-up epochs than one stair: hold Start through the warm-up
		for e := 0; e < t.WarmupEpochs && len(out) < epochs; e++ {
			out = append(out, t.Start)
		}
	}
	for i := 0; i < steps && len(out) < epochs; i++ {
		v := t.End
		if i < steps-1 {
			step := (t.End - t.Start) / float64(steps-1)
			v = float64(i)*step + t.Start
		}
		if steps == 1 {
			v = t.Start
		}
		for r := 0; r < t.Repeat && len(out) < epochs; r++ {
			out = append(out, v)
		}
	}
	for len(out) < epochs {
		out = append(out, t.End)
	}
	return out
}

// At returns τ for epoch e (0-based); epochs past the warm-up give End.
func (t TeacherTemp) At(e int) float64 {
	s := t.Schedule(e + 1)
	return s[e]
}
