package tsne

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// blobs returns n points in dim dimensions around c well-separated centres
// (centre spacing 10, unit noise) and their cluster labels.
func blobs(n, dim, c int, seed uint64) ([][]float64, []int) {
	x := make([][]float64, n)
	labels := make([]int, n)
	for i := range x {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		labels[i] = i % c
		x[i] = make([]float64, dim)
		for d := range x[i] {
			x[i][d] = rng.NormFloat64()
		}
		x[i][labels[i]%dim] += 10 * float64(1+labels[i]/dim)
	}
	return x, labels
}

func TestBarnesHutMatchesExactTrustworthiness(t *testing.T) {
	x, _ := blobs(300, 20, 4, 1)
	p := DefaultParams()
	p.Method, p.Seed = BarnesHut, 3
	bh, err := Embed(x, p)
	if err != nil {
		t.Fatal(err)
	}
	p.Method = Exact
	ex, err := Embed(x, p)
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := Trustworthiness(x, bh, 10)
	te, _ := Trustworthiness(x, ex, 10)
	t.Logf("trustworthiness@10: Barnes-Hut %.4f, exact %.4f", tb, te)
	if math.Abs(tb-te) > 0.02 {
		t.Errorf("Barnes-Hut %.4f vs exact %.4f differ by more than 0.02", tb, te)
	}
	if te < 0.85 {
		t.Errorf("exact trustworthiness %.4f is implausibly low", te)
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	x, _ := blobs(200, 10, 3, 2)
	for _, m := range []Method{BarnesHut, Exact} {
		var ref [][2]float64
		for _, w := range []int{1, 2, 3, 7} {
			p := DefaultParams()
			p.Method, p.Iterations, p.Workers, p.Seed = m, 300, w, 9
			y, err := Embed(x, p)
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = y
			} else if !slices.Equal(ref, y) {
				t.Fatalf("method %d: workers %d gave a different embedding", m, w)
			}
		}
		// A different seed gives a different embedding.
		p := DefaultParams()
		p.Method, p.Iterations, p.Seed = m, 300, 10
		y, _ := Embed(x, p)
		if slices.Equal(ref, y) {
			t.Errorf("method %d: seed has no effect", m)
		}
	}
}

func TestClustersStaySeparated(t *testing.T) {
	x, labels := blobs(240, 15, 3, 4)
	p := DefaultParams()
	p.Perplexity = 20
	y, err := Embed(x, p)
	if err != nil {
		t.Fatal(err)
	}
	// Every point's nearest embedded neighbour shares its label, and the
	// clusters' centroids are farther apart than their spreads.
	for i := range y {
		best, bd := -1, math.Inf(1)
		for j := range y {
			if j == i {
				continue
			}
			d := math.Hypot(y[i][0]-y[j][0], y[i][1]-y[j][1])
			if d < bd {
				best, bd = j, d
			}
		}
		if labels[best] != labels[i] {
			t.Fatalf("point %d (cluster %d) has nearest neighbour %d in cluster %d", i, labels[i], best, labels[best])
		}
	}
	var cen [3][2]float64
	var spread [3]float64
	for i, v := range y {
		cen[labels[i]][0] += v[0] / 80
		cen[labels[i]][1] += v[1] / 80
	}
	for i, v := range y {
		spread[labels[i]] = max(spread[labels[i]], math.Hypot(v[0]-cen[labels[i]][0], v[1]-cen[labels[i]][1]))
	}
	for a := 0; a < 3; a++ {
		for b := a + 1; b < 3; b++ {
			if d := math.Hypot(cen[a][0]-cen[b][0], cen[a][1]-cen[b][1]); d < max(spread[a], spread[b]) {
				t.Errorf("clusters %d and %d: centroid distance %.2f < spread %.2f/%.2f", a, b, d, spread[a], spread[b])
			}
		}
	}
}

func TestConditionalRowPerplexity(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 0))
	d := make([]float64, 99)
	for i := range d {
		d[i] = rng.Float64() * 50
	}
	for _, perp := range []float64{5, 30} {
		row := make([]float64, len(d))
		conditionalRow(d, perp, row)
		h, sum := 0.0, 0.0
		for _, v := range row {
			sum += v
			if v > 0 {
				h -= v * math.Log(v)
			}
		}
		if math.Abs(sum-1) > 1e-12 || math.Abs(math.Exp(h)-perp) > 1e-3*perp {
			t.Errorf("perplexity %v: row sums to %v, perplexity %v", perp, sum, math.Exp(h))
		}
	}
}

func TestExactKNN(t *testing.T) {
	// Points on a line: 0, 1, 3, 6, 10; ties broken by lower index.
	x := [][]float64{{0}, {1}, {3}, {6}, {10}, {1}}
	nbr, dist := exactKNN(x, 2, 2)
	want := [][]int{{1, 5}, {5, 0}, {1, 5}, {2, 4}, {3, 2}, {1, 0}}
	for i, w := range want {
		if !slices.Equal(nbr[2*i:2*i+2], w) {
			t.Errorf("point %d: neighbours %v, want %v (dist %v)", i, nbr[2*i:2*i+2], w, dist[2*i:2*i+2])
		}
	}
}

func TestQuadTreeExactRepulsion(t *testing.T) {
	// theta = 0 must equal the brute-force sums, duplicates included.
	y := []float64{0, 0, 1, 0, 1, 0, -2, 3, 0.5, 0.25, 4, -1}
	tree := buildQuadTree(y, nil)
	n := len(y) / 2
	for i := 0; i < n; i++ {
		fx, fy, z, _ := tree.repulsion(i, 0, nil)
		var bx, by, bz float64
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			dx, dy := y[2*i]-y[2*j], y[2*i+1]-y[2*j+1]
			q := 1 / (1 + dx*dx + dy*dy)
			bz += q
			bx += q * q * dx
			by += q * q * dy
		}
		if math.Abs(fx-bx) > 1e-12 || math.Abs(fy-by) > 1e-12 || math.Abs(z-bz) > 1e-12 {
			t.Errorf("point %d: tree (%v %v %v) vs brute (%v %v %v)", i, fx, fy, z, bx, by, bz)
		}
	}
}

func TestTrustworthiness(t *testing.T) {
	// An embedding identical to the input is perfectly trustworthy; a
	// reversed order on a line is not.
	x := make([][]float64, 20)
	same := make([][2]float64, 20)
	rev := make([][2]float64, 20)
	for i := range x {
		x[i] = []float64{float64(i * i)}
		same[i] = [2]float64{float64(i * i), 0}
		rev[i] = [2]float64{float64((i * 7) % 20), 0}
	}
	if tw, err := Trustworthiness(x, same, 3); err != nil || tw != 1 {
		t.Errorf("identity: %v %v", tw, err)
	}
	if tw, _ := Trustworthiness(x, rev, 3); tw > 0.9 {
		t.Errorf("scrambled: %v, want < 0.9", tw)
	}
	if _, err := Trustworthiness(x, same, 10); err == nil {
		t.Error("k = n/2 accepted")
	}
}

func TestEmbedErrors(t *testing.T) {
	p := DefaultParams()
	if _, err := Embed([][]float64{{1}}, p); err == nil {
		t.Error("one point accepted")
	}
	if _, err := Embed([][]float64{{1, 2}, {1}}, p); err == nil {
		t.Error("ragged rows accepted")
	}
	if _, err := Embed([][]float64{{1}, {math.NaN()}}, p); err == nil {
		t.Error("NaN accepted")
	}
	p.Perplexity = 0
	if _, err := Embed([][]float64{{1}, {2}}, p); err == nil {
		t.Error("perplexity 0 accepted")
	}
}

func ExampleEmbed() {
	x, _ := blobs(60, 5, 2, 1)
	p := DefaultParams()
	p.Perplexity, p.Iterations, p.Seed = 10, 500, 1
	y, err := Embed(x, p)
	if err != nil {
		panic(err)
	}
	tw, _ := Trustworthiness(x, y, 5)
	fmt.Printf("%d points, trustworthiness@5 > 0.9: %v\n", len(y), tw > 0.9)
	// Output: 60 points, trustworthiness@5 > 0.9: true
}

func BenchmarkBarnesHut5000(b *testing.B) {
	x, _ := blobs(5000, 50, 10, 1)
	p := DefaultParams()
	p.Method = BarnesHut
	for b.Loop() {
		if _, err := Embed(x, p); err != nil {
			b.Fatal(err)
		}
	}
}
