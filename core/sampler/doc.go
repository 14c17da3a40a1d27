// Package sampler owns the order in which training samples are drawn: the
// reference's balanced WeightedRandomSampler (with replacement, weight 1 for
// labeled samples and n_lab/n_unl for unlabeled ones, as many draws as the
// data set has samples) and the split of that order into batches.
//
// Every epoch's order comes from a PCG source seeded by (seed, epoch), so it
// is reproducible and independent of anything else the program draws. It
// does not reproduce torch.multinomial's bit stream, only its distribution.
package sampler
