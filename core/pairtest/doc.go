// Package pairtest judges paired differences (ours minus a compared method on
// the same seed, category and anomaly maps) with an interval: a seeded
// percentile bootstrap of the mean difference when there are enough pairs,
// else the exact distribution-free interval of the median difference that
// goes with the sign test. A verdict follows from where the interval lies:
// above 0, below 0, or across it.
//
// Everything is deterministic: the bootstrap draws from a PCG source seeded
// by the caller, and the same differences and seed give the same interval.
package pairtest
