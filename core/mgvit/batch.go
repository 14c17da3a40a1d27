package mgvit

// Batch is one training step's input: B samples, two augmented views each.
type Batch struct {
	Views   [2][]float32 // each B*3*S*S, per sample channel-major (C,H,W), ImageNet-normalised
	Masks   [2][]float32 // each B*S*S, values in [0,1] (soft after bilinear resize)
	Labels  []int        // len B; base-class index 0..L-1 for labeled rows, -1 for unlabeled rows
	Weights []float32    // len B; PLR weight per sample (0 for labeled rows)
	// TeacherLogits, when not nil, are the self-distillation teacher's
	// logits: one slice per head of 2B×(L+U) unscaled cosine logits, view 1
	// rows then view 2 rows (an EMA teacher's Infer output on the same
	// views). nil is the reference: the teacher is the head's own logits,
	// detached.
	TeacherLogits [][]float32
}

// Losses of one step (already averaged as the reference does).
type Losses struct {
	Total, Contrastive, SupCon, Cls, Cluster float64
	ClusterPerHead                           []float64 // cluster_i per head, used to pick the reported head
}

// Output of inference on N samples.
type Output struct {
	Logits   [][][]float32 // [head][sample][L+U] cosine logits (unscaled)
	Features [][]float32   // [sample][D] L2-normalised final [CLS] token
}
