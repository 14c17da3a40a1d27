package mebin

import (
	"fmt"
	"runtime"
)

// Reference defaults of the authors' configuration.
const (
	// DefaultSampleRate is the step between sweep thresholds on the 0..255 scale.
	DefaultSampleRate = 4
	// DefaultMinIntervalLen is the minimal number of consecutive sweep
	// thresholds with the same non-zero count that make a stable interval.
	DefaultMinIntervalLen = 4
)

// Params configures the binarization. The zero value is the reference
// configuration: sample rate 4, minimal interval length 4, erosion on, one
// worker per CPU.
type Params struct {
	// SampleRate is the sweep step (1..255); 0 means DefaultSampleRate.
	SampleRate int
	// MinIntervalLen is the minimal stable-interval length in thresholds;
	// 0 means DefaultMinIntervalLen.
	MinIntervalLen int
	// NoErode switches the 6x6 erosion off (the reference's erode: False).
	NoErode bool
	// Workers bounds the maps processed concurrently; 0 means GOMAXPROCS.
	// Results do not depend on it.
	Workers int
}

// DefaultParams returns the reference configuration with every field set.
func DefaultParams() Params {
	return Params{SampleRate: DefaultSampleRate, MinIntervalLen: DefaultMinIntervalLen, Workers: runtime.GOMAXPROCS(0)}
}

// resolved returns p with zero fields replaced by defaults, or an error
// naming the bad field.
func (p Params) resolved() (Params, error) {
	if p.SampleRate == 0 {
		p.SampleRate = DefaultSampleRate
	}
	if p.MinIntervalLen == 0 {
		p.MinIntervalLen = DefaultMinIntervalLen
	}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	if p.SampleRate < 1 || p.SampleRate > 255 {
		return p, fmt.Errorf("mebin: sample rate %d out of range 1..255", p.SampleRate)
	}
	if p.MinIntervalLen < 1 {
		return p, fmt.Errorf("mebin: min interval length %d must be >= 1", p.MinIntervalLen)
	}
	return p, nil
}

// Thresholds returns the sweep thresholds 255, 255-s, ... down to the last
// positive one (Python's range(255, 0, -s)).
func Thresholds(sampleRate int) []int {
	if sampleRate < 1 {
		sampleRate = DefaultSampleRate
	}
	var ts []int
	for t := 255; t > 0; t -= sampleRate {
		ts = append(ts, t)
	}
	return ts
}
