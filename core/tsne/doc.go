// Package tsne owns the t-SNE embeddings used for the feature plots of the
// paper (Fig. 8): an exact O(n²) t-SNE for small sets (the default, and
// what the figures use) and a Barnes–Hut t-SNE (sparse kNN affinities,
// quad-tree repulsion) for large ones, plus the trustworthiness score used
// to check them.
//
// The optimisation follows the common reference implementations
// (van der Maaten's bhtsne, scikit-learn): Gaussian affinities whose
// bandwidths are found by binary search to match the perplexity (natural
// log entropy), symmetrised P, early exaggeration 12 for 250 iterations with
// momentum 0.5, then momentum 0.8; per-coordinate gains (+0.2 when the
// gradient's sign flips against the update, ×0.8 otherwise, floored at
// 0.01); learning rate 200. The update and gains restart when the
// exaggeration ends, as in scikit-learn. There is no early stopping: every
// run does Params.Iterations iterations.
//
// Determinism: the initial embedding is drawn from math/rand/v2 PCG sources
// seeded by (Params.Seed, point index), and every parallel loop writes
// per-point results that are then combined sequentially in point order, so
// the output is bit-identical for any Params.Workers.
package tsne
