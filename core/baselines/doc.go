// Package baselines owns the clustering baselines of the paper's Tables I,
// II and X: Anomaly Clustering (Sohn et al., WACV 2023; the paper's
// reference [5]) in its unsupervised and semi-supervised settings, and
// k-means on frozen whole-image embeddings. It also owns the two clustering
// algorithms they use, written once here:
//
//   - WardLinkage / Ward: hierarchical agglomerative clustering with Ward
//     linkage, by the nearest-neighbour chain with Lance–Williams updates.
//     O(n²) time, O(n²) memory (one condensed n(n−1)/2 float64 matrix).
//     The dendrogram has scipy.cluster.hierarchy.linkage(method="ward")
//     semantics: heights are sqrt(2·|A||B|/(|A|+|B|))·‖c_A − c_B‖, merges are
//     stably sorted by height, cluster ids are 0..n−1 for points and n+i for
//     the cluster formed by merge i.
//   - KMeansFit / KMeans: greedy k-means++ seeding (2+⌊ln k⌋ local trials,
//     as scikit-learn), Lloyd iterations to convergence, best of NInit runs
//     by inertia, every run seeded by PCG(seed, run index).
//
// Anomaly Clustering (AnomalyClustering) follows the paper's description of
// [5]: "aggregate the patch features by anomaly map weighting" of a frozen
// network, then cluster with hierarchical (Ward) clustering into the known
// number of classes. The image embedding is
//
//	e = s ⊙ (Σ_p w_p f_p − μ),   w = softmax(m / τ)
//
// where f_p are the patch features of a frozen extractor (core/features by
// default, locally aggregated over 3×3 cells as PatchCore/[5] do), m_p is the
// anomaly map (values in [0, 1]) average-pooled onto the patch grid, τ the
// temperature (ACParams.Temperature, default 0.1: a patch whose pooled score
// is 1 outweighs one scoring 0 by e^10, so a binary mask gives the mean over
// the masked patches and an all-zero map the plain mean), and μ, s the
// per-dimension mean and 1/std of patch features over a reference set:
//
//   - unsupervised (normals == nil; Table II "AC (Unsup.)"): the reference
//     set is every patch of the unlabeled images themselves;
//   - semi-supervised (normals given; Table I "AC (Semi-sup.)"): the
//     reference set is every patch of the labeled normal images. This is the
//     "normal component" removal: centring on the normal mean and whitening
//     (diagonally) with normal statistics makes a patch's feature its
//     deviation from normal appearance in units of normal variability, so
//     dimensions that vary a lot on good texture are damped and those that
//     never vary on good parts dominate. (Subtracting the mean normal image
//     embedding alone would be a no-op for Ward, which is translation
//     invariant; with μ from the normals it is already 0 after centring.)
//     In [5] the labeled normals make the anomaly weighting better; here the
//     anomaly map comes from the caller's detector, which already used them.
//
// When an image has no map (Image.Map == nil) the weights fall back to a
// feature-based anomaly score: the root-mean-square of the standardised
// patch feature (a diagonal-Mahalanobis distance to the reference mean,
// PaDiM-like), min–max scaled to [0, 1] within the image.
//
// Every result is deterministic: feature extraction runs on fixed contiguous
// partitions and statistics are combined in input order, so labels are
// byte-identical for any worker count; labels are numbered by first
// appearance (the first image is cluster 0, the next image in a different
// cluster is cluster 1, ...).
package baselines
