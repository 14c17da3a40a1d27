package mgvit

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// stepMeta is the per-step, non-differentiable side input of the loss
// kernels. A graph owns one and the model fills it before each run.
type stepMeta struct {
	labels      []int     // len B; base class or -1 (unlabelled)
	weights     []float64 // len B; PLR weight (already 0 when PLR is off)
	teacherTemp float64   // τ_t of this epoch
	// teacherLogits, when not nil, replace each head's own logits as the
	// source of the distillation targets (Batch.TeacherLogits).
	teacherLogits [][]float32

	// frozenTargets, when non-nil, is a test hook: each distill kernel
	// (keyed by head) stores its first targets here and reuses them, so a
	// finite-difference check sees the teacher as the constant it is.
	frozenTargets map[int][]float64
}

// rowsWhere lists the rows of both views (r and B+r) whose label satisfies keep.
func (m *stepMeta) rowsWhere(keep func(label int) bool) []int {
	b := len(m.labels)
	var rows []int
	for v := range 2 {
		for i, l := range m.labels {
			if keep(l) {
				rows = append(rows, v*b+i)
			}
		}
	}
	return rows
}

func isLabeled(l int) bool   { return l >= 0 }
func isUnlabeled(l int) bool { return l < 0 }

// softmaxScaled writes softmax(row/temp) restricted to columns [from, len)
// into p (zeros before from), in float64.
func softmaxScaled[T float32 | float64](row []T, temp float64, from int, p []float64) {
	mx := math.Inf(-1)
	for j := from; j < len(row); j++ {
		mx = max(mx, float64(row[j])/temp)
	}
	var sum float64
	for j := range row {
		if j < from {
			p[j] = 0
			continue
		}
		p[j] = math.Exp(float64(row[j])/temp - mx)
		sum += p[j]
	}
	for j := range p {
		p[j] /= sum
	}
}

// distillK is the self-distillation loss of one head on logits [2B, C]
// (view 1 rows then view 2 rows). Only the unlabelled rows of both views
// take part (the reference feeds DistillLoss f[~mask_lab] of each view);
// labelled rows get no gradient from it. Teacher = the same logits,
// detached (or stepMeta.teacherLogits when set): softmax at τ_t over the
// novel columns (base columns zeroed and the rest renormalised), then
// q' = w·onehot(L) + (1-w)·q with the PLR weight w. Student = log-softmax over all C columns at τ_s. The loss is the
// cross-view cross-entropy (teacher view 1 vs student view 2 and the
// reverse), each direction averaged over the n unlabelled samples, and the
// two directions averaged. With no unlabelled row it is 0.
type distillK struct {
	batch, classes, numLabeled int
	head                       int // which classifier head (names the kernel)
	studentTemp                float64
	meta                       *stepMeta
}

func (k distillK) name() string {
	return fmt.Sprintf("distill(head=%d,B=%d,C=%d,L=%d)", k.head, k.batch, k.classes, k.numLabeled)
}
func (k distillK) outShape() tensor.Shape { return tensor.ScalarShape() }

// distillTargets returns q' for every row of both views (rows of labelled
// samples are computed too but never read).
func distillTargets[T float32 | float64](k distillK, logits []T) []float64 {
	c := k.classes
	q := make([]float64, 2*k.batch*c)
	for r := range 2 * k.batch {
		p := q[r*c : (r+1)*c]
		softmaxScaled(logits[r*c:(r+1)*c], k.meta.teacherTemp, k.numLabeled, p)
		w := k.meta.weights[r%k.batch]
		if w != 0 {
			// The reference's weights are a float32 tensor, so 1-w is
			// rounded to float32 before it meets the float64 targets.
			omw := float64(1 - float32(w))
			for j := range p {
				p[j] *= omw
			}
			p[k.numLabeled] += w
		}
	}
	return q
}

func distillForward[T float32 | float64](k distillK, logits []T) float64 {
	return distillLoss(k, logits, distillTargetsOrFrozen(k, logits))
}

// distillTargetsOrFrozen returns the targets from the step's teacher
// logits when there are any, else from the student's own logits, and
// honours the stepMeta.frozenTargets test hook.
func distillTargetsOrFrozen[T float32 | float64](k distillK, logits []T) []float64 {
	targets := func() []float64 {
		if tl := k.meta.teacherLogits; tl != nil {
			return distillTargets(k, tl[k.head])
		}
		return distillTargets(k, logits)
	}
	if k.meta.frozenTargets == nil {
		return targets()
	}
	q, ok := k.meta.frozenTargets[k.head]
	if !ok {
		q = targets()
		k.meta.frozenTargets[k.head] = q
	}
	return q
}

// otherView returns the row of the same sample in the other view.
func (k distillK) otherView(r int) int { return (r + k.batch) % (2 * k.batch) }

// distillLoss is the loss of student logits against fixed targets q, over
// the unlabelled rows of both views.
func distillLoss[T float32 | float64](k distillK, logits []T, q []float64) float64 {
	rows := k.meta.rowsWhere(isUnlabeled)
	if len(rows) == 0 {
		return 0
	}
	c := k.classes
	var total float64
	for _, r := range rows {
		o := k.otherView(r)
		teacher := q[o*c : (o+1)*c]
		lse := logSumExpScaled(logits[r*c:(r+1)*c], k.studentTemp)
		for j := range c {
			if teacher[j] != 0 {
				total -= teacher[j] * (float64(logits[r*c+j])/k.studentTemp - lse)
			}
		}
	}
	return total / float64(len(rows)/2) / 2
}

func distillBackward[T float32 | float64](k distillK, logits []T, g float64, d []T) {
	rows := k.meta.rowsWhere(isUnlabeled)
	if len(rows) == 0 {
		return
	}
	c := k.classes
	q := distillTargetsOrFrozen(k, logits)
	p := make([]float64, c)
	scale := g / float64(len(rows)/2) / 2 / k.studentTemp
	for _, r := range rows {
		o := k.otherView(r)
		teacher := q[o*c : (o+1)*c]
		softmaxScaled(logits[r*c:(r+1)*c], k.studentTemp, 0, p)
		for j := range c {
			d[r*c+j] = T(scale * (p[j] - teacher[j]))
		}
	}
}

// logSumExpScaled returns log Σ exp(row/temp).
func logSumExpScaled[T float32 | float64](row []T, temp float64) float64 {
	mx := math.Inf(-1)
	for _, v := range row {
		mx = max(mx, float64(v)/temp)
	}
	var s float64
	for _, v := range row {
		s += math.Exp(float64(v)/temp - mx)
	}
	return mx + math.Log(s)
}

func (k distillK) forward32(in [][]float32, out []float32) {
	out[0] = float32(distillForward(k, in[0]))
}
func (k distillK) forward64(in [][]float64, out []float64) { out[0] = distillForward(k, in[0]) }
func (k distillK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	distillBackward(k, in[0], float64(dOut[0]), d[0])
}
func (k distillK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	distillBackward(k, in[0], dOut[0], d[0])
}

// memaxK is the mean-entropy-maximisation term of one head:
// Σ p̄ log p̄ + log C, with p̄ the mean of softmax(logits/τ_s) over the
// unlabelled rows of both views.
type memaxK struct {
	batch, classes int
	studentTemp    float64
	meta           *stepMeta
}

func (k memaxK) name() string           { return fmt.Sprintf("memax(B=%d,C=%d)", k.batch, k.classes) }
func (k memaxK) outShape() tensor.Shape { return tensor.ScalarShape() }

func memaxMean[T float32 | float64](k memaxK, logits []T, rows []int) (mean, probs []float64) {
	c := k.classes
	mean = make([]float64, c)
	probs = make([]float64, len(rows)*c)
	for i, r := range rows {
		p := probs[i*c : (i+1)*c]
		softmaxScaled(logits[r*c:(r+1)*c], k.studentTemp, 0, p)
		for j, v := range p {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(len(rows))
	}
	return mean, probs
}

func memaxForward[T float32 | float64](k memaxK, logits []T) float64 {
	rows := k.meta.rowsWhere(isUnlabeled)
	if len(rows) == 0 {
		return 0
	}
	mean, _ := memaxMean(k, logits, rows)
	s := math.Log(float64(k.classes))
	for _, v := range mean {
		if v > 0 {
			s += v * math.Log(v)
		}
	}
	return s
}

func memaxBackward[T float32 | float64](k memaxK, logits []T, g float64, d []T) {
	rows := k.meta.rowsWhere(isUnlabeled)
	if len(rows) == 0 {
		return
	}
	c := k.classes
	mean, probs := memaxMean(k, logits, rows)
	logMean := make([]float64, c)
	for j, v := range mean {
		if v > 0 {
			logMean[j] = math.Log(v)
		}
	}
	scale := g / float64(len(rows)) / k.studentTemp
	for i, r := range rows {
		p := probs[i*c : (i+1)*c]
		var dot float64
		for j := range c {
			dot += p[j] * logMean[j]
		}
		for j := range c {
			d[r*c+j] = T(scale * p[j] * (logMean[j] - dot))
		}
	}
}

func (k memaxK) forward32(in [][]float32, out []float32) { out[0] = float32(memaxForward(k, in[0])) }
func (k memaxK) forward64(in [][]float64, out []float64) { out[0] = memaxForward(k, in[0]) }
func (k memaxK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	memaxBackward(k, in[0], float64(dOut[0]), d[0])
}
func (k memaxK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	memaxBackward(k, in[0], dOut[0], d[0])
}

// ceK is the cross-entropy of the labelled rows of both views at τ_s,
// averaged over those rows.
type ceK struct {
	batch, classes int
	studentTemp    float64
	meta           *stepMeta
}

func (k ceK) name() string           { return fmt.Sprintf("ce(B=%d,C=%d)", k.batch, k.classes) }
func (k ceK) outShape() tensor.Shape { return tensor.ScalarShape() }

func ceForward[T float32 | float64](k ceK, logits []T) float64 {
	rows := k.meta.rowsWhere(isLabeled)
	if len(rows) == 0 {
		return 0
	}
	c := k.classes
	var s float64
	for _, r := range rows {
		row := logits[r*c : (r+1)*c]
		s += logSumExpScaled(row, k.studentTemp) - float64(row[k.meta.labels[r%k.batch]])/k.studentTemp
	}
	return s / float64(len(rows))
}

func ceBackward[T float32 | float64](k ceK, logits []T, g float64, d []T) {
	rows := k.meta.rowsWhere(isLabeled)
	if len(rows) == 0 {
		return
	}
	c := k.classes
	p := make([]float64, c)
	scale := g / float64(len(rows)) / k.studentTemp
	for _, r := range rows {
		softmaxScaled(logits[r*c:(r+1)*c], k.studentTemp, 0, p)
		p[k.meta.labels[r%k.batch]] -= 1
		for j := range c {
			d[r*c+j] = T(scale * p[j])
		}
	}
}

func (k ceK) forward32(in [][]float32, out []float32) { out[0] = float32(ceForward(k, in[0])) }
func (k ceK) forward64(in [][]float64, out []float64) { out[0] = ceForward(k, in[0]) }
func (k ceK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	ceBackward(k, in[0], float64(dOut[0]), d[0])
}
func (k ceK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	ceBackward(k, in[0], dOut[0], d[0])
}

// contrastiveK is a softmax contrastive loss over L2-normalised features
// z [2B, P] (view 1 rows then view 2 rows). For each anchor i of the anchor
// set A, with scores l_ij = z_i·z_j/temp over j in A, j≠i:
// loss_i = coef·(log Σ_{j≠i} exp l_ij − mean_{p∈P(i)} l_ip), averaged over A.
//
//   - unsupervised (InfoNCE, SimCLR): A = all 2B rows, P(i) = {the other view
//     of the same sample}, coef 1; equals CrossEntropy over the reference's
//     [positive | negatives] logits.
//   - supervised (SupCon): A = labelled rows of both views, P(i) = the other
//     anchors with the same label, coef = temp/base_temp.
type contrastiveK struct {
	rows, dim  int
	temp, coef float64
	supervised bool
	meta       *stepMeta
}

func (k contrastiveK) name() string {
	return fmt.Sprintf("contrastive(%dx%d,t=%g,sup=%v)", k.rows, k.dim, k.temp, k.supervised)
}
func (k contrastiveK) outShape() tensor.Shape { return tensor.ScalarShape() }

// anchors returns the anchor rows and, per anchor, the positions in the
// anchor list of its positives.
func (k contrastiveK) anchors() ([]int, [][]int) {
	b := k.rows / 2
	if !k.supervised {
		a := make([]int, k.rows)
		pos := make([][]int, k.rows)
		for i := range a {
			a[i] = i
			pos[i] = []int{(i + b) % k.rows}
		}
		return a, pos
	}
	a := k.meta.rowsWhere(isLabeled)
	pos := make([][]int, len(a))
	for i, ri := range a {
		for j, rj := range a {
			if j != i && k.meta.labels[ri%b] == k.meta.labels[rj%b] {
				pos[i] = append(pos[i], j)
			}
		}
	}
	return a, pos
}

// contrastiveScores gathers the anchor features and their scores.
func contrastiveScores[T float32 | float64](k contrastiveK, z []T, a []int) (feat []T, scores []float64) {
	n := len(a)
	feat = make([]T, n*k.dim)
	for i, r := range a {
		copy(feat[i*k.dim:(i+1)*k.dim], z[r*k.dim:(r+1)*k.dim])
	}
	g := make([]T, n*n)
	gemm(false, true, n, n, k.dim, feat, k.dim, feat, k.dim, 0, g, n)
	scores = make([]float64, n*n)
	for i := range g {
		scores[i] = float64(g[i]) / k.temp
	}
	return feat, scores
}

// rowSoftmaxExcluding returns softmax over the row without column i, and
// its log-sum-exp.
func rowSoftmaxExcluding(row []float64, i int, p []float64) float64 {
	mx := math.Inf(-1)
	for j, v := range row {
		if j != i {
			mx = max(mx, v)
		}
	}
	var s float64
	for j, v := range row {
		if j == i {
			p[j] = 0
			continue
		}
		p[j] = math.Exp(v - mx)
		s += p[j]
	}
	for j := range p {
		p[j] /= s
	}
	return mx + math.Log(s)
}

func contrastiveForward[T float32 | float64](k contrastiveK, z []T) float64 {
	a, pos := k.anchors()
	n := len(a)
	if n == 0 {
		return 0
	}
	_, sc := contrastiveScores(k, z, a)
	p := make([]float64, n)
	var total float64
	for i := range n {
		row := sc[i*n : (i+1)*n]
		lse := rowSoftmaxExcluding(row, i, p)
		var pm float64
		for _, j := range pos[i] {
			pm += row[j]
		}
		total += lse - pm/float64(len(pos[i]))
	}
	return k.coef * total / float64(n)
}

func contrastiveBackward[T float32 | float64](k contrastiveK, z []T, g float64, d []T) {
	a, pos := k.anchors()
	n := len(a)
	if n == 0 {
		return
	}
	feat, sc := contrastiveScores(k, z, a)
	p := make([]float64, n)
	ds := make([]T, n*n) // dLoss/dG where G = feat·featᵀ
	scale := g * k.coef / float64(n) / k.temp
	for i := range n {
		row := sc[i*n : (i+1)*n]
		rowSoftmaxExcluding(row, i, p)
		for _, j := range pos[i] {
			p[j] -= 1 / float64(len(pos[i]))
		}
		for j := range n {
			ds[i*n+j] = T(scale * p[j])
		}
	}
	// dfeat = (ds + dsᵀ)·feat
	sym := make([]T, n*n)
	for i := range n {
		for j := range n {
			sym[i*n+j] = ds[i*n+j] + ds[j*n+i]
		}
	}
	df := make([]T, n*k.dim)
	gemm(false, false, n, k.dim, n, sym, n, feat, k.dim, 0, df, k.dim)
	for i, r := range a {
		copy(d[r*k.dim:(r+1)*k.dim], df[i*k.dim:(i+1)*k.dim])
	}
}

func (k contrastiveK) forward32(in [][]float32, out []float32) {
	out[0] = float32(contrastiveForward(k, in[0]))
}
func (k contrastiveK) forward64(in [][]float64, out []float64) {
	out[0] = contrastiveForward(k, in[0])
}
func (k contrastiveK) backward32(in [][]float32, _, dOut []float32, d [][]float32) {
	contrastiveBackward(k, in[0], float64(dOut[0]), d[0])
}
func (k contrastiveK) backward64(in [][]float64, _, dOut []float64, d [][]float64) {
	contrastiveBackward(k, in[0], dOut[0], d[0])
}

// weightedSumK combines scalar losses: Σ coef_i·x_i.
type weightedSumK struct{ coefs []float64 }

func (k weightedSumK) name() string           { return fmt.Sprintf("wsum%v", k.coefs) }
func (k weightedSumK) outShape() tensor.Shape { return tensor.ScalarShape() }
func wsumForward[T float32 | float64](k weightedSumK, in [][]T) T {
	var s float64
	for i, c := range k.coefs {
		s += c * float64(in[i][0])
	}
	return T(s)
}
func wsumBackward[T float32 | float64](k weightedSumK, g T, d [][]T) {
	for i, c := range k.coefs {
		if d[i] != nil {
			d[i][0] = T(c) * g
		}
	}
}
func (k weightedSumK) forward32(in [][]float32, out []float32) { out[0] = wsumForward(k, in) }
func (k weightedSumK) forward64(in [][]float64, out []float64) { out[0] = wsumForward(k, in) }
func (k weightedSumK) backward32(_ [][]float32, _, dOut []float32, d [][]float32) {
	wsumBackward(k, dOut[0], d)
}
func (k weightedSumK) backward64(_ [][]float64, _, dOut []float64, d [][]float64) {
	wsumBackward(k, dOut[0], d)
}
