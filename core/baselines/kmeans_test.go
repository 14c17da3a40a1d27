package baselines

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteKMeans returns the minimum within-cluster sum of squares over every
// partition of x into exactly k non-empty clusters.
func bruteKMeans(x [][]float64, k int) float64 {
	n := len(x)
	labels := make([]int, n)
	best := math.Inf(1)
	var rec func(i, used int)
	rec = func(i, used int) {
		if n-i < k-used {
			return
		}
		if i == n {
			best = min(best, sse(x, labels, k))
			return
		}
		for c := 0; c <= min(used, k-1); c++ {
			labels[i] = c
			rec(i+1, max(used, c+1))
		}
	}
	rec(0, 0)
	return best
}

func sse(x [][]float64, labels []int, k int) float64 {
	total := 0.0
	for c := range k {
		var mem [][]float64
		for i, l := range labels {
			if l == c {
				mem = append(mem, x[i])
			}
		}
		if len(mem) == 0 {
			continue
		}
		m := make([]float64, len(x[0]))
		for _, p := range mem {
			for d, v := range p {
				m[d] += v / float64(len(mem))
			}
		}
		for _, p := range mem {
			total += sqDist(p, m)
		}
	}
	return total
}

func TestKMeansIsLloydFixedPointAndOptimalOnSmallInputs(t *testing.T) {
	cases := []struct{ n, d, k int }{{6, 1, 2}, {8, 2, 3}, {9, 2, 2}, {10, 3, 4}}
	for ci, c := range cases {
		for rep := range 4 {
			x, _ := blobs(rand.New(rand.NewPCG(uint64(ci), uint64(rep))), c.k, (c.n+c.k-1)/c.k, c.d, 1)
			x = x[:c.n]
			r, err := KMeansFit(x, c.k, uint64(rep), KMeansParams{Tol: -1})
			if err != nil {
				t.Fatal(err)
			}
			// Fixed point: every point is at its nearest centre and every
			// centre is the mean of its points.
			for i, p := range x {
				for cc := range r.Centers {
					if sqDist(p, r.Centers[cc]) < sqDist(p, r.Centers[r.Labels[i]])-1e-12 {
						t.Fatalf("case %d rep %d: point %d closer to centre %d than its own", ci, rep, i, cc)
					}
				}
			}
			if got := sse(x, r.Labels, c.k); math.Abs(got-r.Inertia) > 1e-9*(1+got) {
				t.Fatalf("case %d rep %d: inertia %v but SSE of labels %v", ci, rep, r.Inertia, got)
			}
			if opt := bruteKMeans(x, c.k); r.Inertia > opt+1e-9*(1+opt) {
				t.Errorf("case %d rep %d: inertia %v above the optimum %v", ci, rep, r.Inertia, opt)
			}
		}
	}
}

func TestKMeansSeparatesBlobs(t *testing.T) {
	for _, k := range []int{2, 4, 6} {
		x, truth := blobs(rand.New(rand.NewPCG(3, uint64(k))), k, 25, 3, 0.5)
		got, err := KMeans(x, k, 42, KMeansParams{})
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := canonical(truth); !slices.Equal(got, want) {
			t.Errorf("k=%d: labels %v want %v", k, got, want)
		}
	}
}

func TestKMeansDeterministicAcrossWorkers(t *testing.T) {
	x := randomPoints(rand.New(rand.NewPCG(5, 5)), 200, 6)
	ref, err := KMeansFit(x, 7, 11, KMeansParams{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 16} {
		r, _ := KMeansFit(x, 7, 11, KMeansParams{Workers: w})
		if !slices.Equal(r.Labels, ref.Labels) || r.Inertia != ref.Inertia || r.Run != ref.Run {
			t.Errorf("workers %d: run %d inertia %v, want run %d inertia %v", w, r.Run, r.Inertia, ref.Run, ref.Inertia)
		}
	}
	// Run 0 alone is one of the ten candidates, so it cannot beat the best.
	one, _ := KMeansFit(x, 7, 11, KMeansParams{NInit: 1})
	if one.Inertia < ref.Inertia {
		t.Errorf("best of 10 runs (%v) worse than run 0 alone (%v)", ref.Inertia, one.Inertia)
	}
}

func TestKMeansEdgeCases(t *testing.T) {
	// k = n: every point its own cluster, zero inertia.
	x := [][]float64{{0}, {3}, {1}}
	r, err := KMeansFit(x, 3, 1, KMeansParams{})
	if err != nil || r.Inertia != 0 || !slices.Equal(r.Labels, []int{0, 1, 2}) {
		t.Errorf("k=n: %+v %v", r, err)
	}
	// Duplicated points with k above the number of distinct values keeps
	// every cluster label in range.
	dup := [][]float64{{1}, {1}, {1}, {2}}
	r, err = KMeansFit(dup, 3, 1, KMeansParams{})
	if err != nil || slices.Max(r.Labels) > 2 || math.Abs(r.Inertia) > 1e-12 {
		t.Errorf("duplicates: %+v %v", r, err)
	}
	for _, bad := range []struct {
		x [][]float64
		k int
		p KMeansParams
	}{
		{x, 0, KMeansParams{}}, {x, 4, KMeansParams{}}, {x, 2, KMeansParams{NInit: -1}},
		{[][]float64{{1}, {math.Inf(1)}}, 1, KMeansParams{}},
	} {
		if _, err := KMeans(bad.x, bad.k, 0, bad.p); err == nil {
			t.Errorf("k=%d %+v accepted", bad.k, bad.p)
		}
	}
}

func ExampleKMeans() {
	x := [][]float64{{5, 5}, {0, 0}, {5.2, 4.9}, {0.1, 0.2}, {4.8, 5.1}}
	labels, _ := KMeans(x, 2, 1, KMeansParams{})
	fmt.Println(labels)
	// Output: [0 1 0 1 0]
}

func BenchmarkKMeans500(b *testing.B) {
	x := randomPoints(rand.New(rand.NewPCG(1, 2)), 500, 64)
	for b.Loop() {
		if _, err := KMeans(x, 10, 1, KMeansParams{}); err != nil {
			b.Fatal(err)
		}
	}
}
