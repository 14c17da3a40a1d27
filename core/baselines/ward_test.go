package baselines

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteWard merges, at every step, the pair of current clusters with the
// smallest Ward height sqrt(2·|A||B|/(|A|+|B|))·‖c_A − c_B‖ computed from
// centroids (lowest (i, j) on ties). It returns, per merge, the sorted
// members of the new cluster and the height, plus the k-cluster partition.
func bruteWard(x [][]float64, k int) (members [][]int, heights []float64, partition []int) {
	clusters := make([][]int, len(x))
	for i := range x {
		clusters[i] = []int{i}
	}
	centroid := func(c []int) []float64 {
		m := make([]float64, len(x[0]))
		for _, i := range c {
			for d, v := range x[i] {
				m[d] += v / float64(len(c))
			}
		}
		return m
	}
	for len(clusters) > 1 {
		bi, bj, bh := -1, -1, math.Inf(1)
		for i := range clusters {
			for j := i + 1; j < len(clusters); j++ {
				na, nb := float64(len(clusters[i])), float64(len(clusters[j]))
				h := math.Sqrt(2*na*nb/(na+nb)) * math.Sqrt(sqDist(centroid(clusters[i]), centroid(clusters[j])))
				if h < bh {
					bi, bj, bh = i, j, h
				}
			}
		}
		merged := slices.Sorted(slices.Values(append(slices.Clone(clusters[bi]), clusters[bj]...)))
		members = append(members, merged)
		heights = append(heights, bh)
		clusters[bi] = merged
		clusters = slices.Delete(clusters, bj, bj+1)
		if len(clusters) == k {
			partition = make([]int, len(x))
			for c, mem := range clusters {
				for _, i := range mem {
					partition[i] = c
				}
			}
		}
	}
	if k == 1 {
		partition = make([]int, len(x))
	}
	partition, _ = canonical(partition)
	return members, heights, partition
}

// dendrogramMembers expands scipy-style merges into member lists.
func dendrogramMembers(m []Merge, n int) [][]int {
	sets := make([][]int, n, n+len(m))
	for i := range n {
		sets[i] = []int{i}
	}
	var out [][]int
	for _, mg := range m {
		s := slices.Sorted(slices.Values(append(slices.Clone(sets[mg.A]), sets[mg.B]...)))
		sets = append(sets, s)
		out = append(out, s)
	}
	return out
}

func randomPoints(rng *rand.Rand, n, d int) [][]float64 {
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, d)
		for j := range x[i] {
			x[i][j] = rng.NormFloat64()
		}
	}
	return x
}

func TestWardMatchesBruteForce(t *testing.T) {
	cases := []struct{ n, d, k int }{
		{2, 1, 1}, {3, 2, 2}, {7, 1, 3}, {12, 2, 4}, {20, 3, 5}, {33, 5, 2}, {40, 2, 7},
	}
	for ci, c := range cases {
		for rep := range 5 {
			rng := rand.New(rand.NewPCG(uint64(ci), uint64(rep)))
			x := randomPoints(rng, c.n, c.d)
			merges, err := WardLinkage(x)
			if err != nil {
				t.Fatal(err)
			}
			wantMem, wantH, wantPart := bruteWard(x, c.k)
			gotMem := dendrogramMembers(merges, c.n)
			for i := range wantMem {
				if !slices.Equal(gotMem[i], wantMem[i]) {
					t.Fatalf("n=%d rep %d merge %d: members %v want %v", c.n, rep, i, gotMem[i], wantMem[i])
				}
				if math.Abs(merges[i].Height-wantH[i]) > 1e-9*(1+wantH[i]) {
					t.Fatalf("n=%d rep %d merge %d: height %v want %v", c.n, rep, i, merges[i].Height, wantH[i])
				}
				if merges[i].Size != len(wantMem[i]) || merges[i].A >= merges[i].B {
					t.Fatalf("merge %d = %+v", i, merges[i])
				}
			}
			got, err := Ward(x, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, wantPart) {
				t.Fatalf("n=%d rep %d k=%d: labels %v want %v", c.n, rep, c.k, got, wantPart)
			}
		}
	}
}

// blobs returns k well-separated Gaussian blobs of m points each,
// interleaved so that point i belongs to blob i % k.
func blobs(rng *rand.Rand, k, m, d int, spread float64) (x [][]float64, truth []int) {
	for i := range k * m {
		c := i % k
		p := make([]float64, d)
		for j := range p {
			p[j] = rng.NormFloat64() * spread
		}
		p[c%d] += 10 * float64(1+c/d)
		x = append(x, p)
		truth = append(truth, c)
	}
	return x, truth
}

func TestWardSeparatesBlobs(t *testing.T) {
	for _, k := range []int{2, 3, 5} {
		x, truth := blobs(rand.New(rand.NewPCG(7, uint64(k))), k, 30, 4, 0.5)
		got, err := Ward(x, k)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := canonical(truth); !slices.Equal(got, want) {
			t.Errorf("k=%d: labels %v want %v", k, got, want)
		}
	}
}

func TestWardKnownHeights(t *testing.T) {
	// Points 0, 1 on a line, 10 far away: merge {0,1} at 1, then with 10 at
	// sqrt(2·2·1/3)·|10 − 0.5|.
	m, err := WardLinkage([][]float64{{0}, {10}, {1}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Merge{{A: 0, B: 2, Height: 1, Size: 2}, {A: 1, B: 3, Height: math.Sqrt(4.0/3) * 9.5, Size: 3}}
	for i := range want {
		if m[i].A != want[i].A || m[i].B != want[i].B || m[i].Size != want[i].Size || math.Abs(m[i].Height-want[i].Height) > 1e-12 {
			t.Errorf("merge %d = %+v want %+v", i, m[i], want[i])
		}
	}
}

func TestWardTiesAndDuplicates(t *testing.T) {
	// Four identical points and four more identical points: every in-group
	// merge has height 0 and the 2-cut must be the two groups.
	x := [][]float64{{0, 0}, {5, 5}, {0, 0}, {5, 5}, {0, 0}, {5, 5}, {0, 0}, {5, 5}}
	got, err := Ward(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 0, 1, 0, 1, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("labels %v want %v", got, want)
	}
	if got, _ := Ward(x[:1], 1); !slices.Equal(got, []int{0}) {
		t.Errorf("single point: %v", got)
	}
}

func TestWardErrors(t *testing.T) {
	cases := []struct {
		name string
		x    [][]float64
		k    int
	}{
		{"k zero", [][]float64{{1}, {2}}, 0},
		{"k above n", [][]float64{{1}, {2}}, 3},
		{"ragged", [][]float64{{1, 2}, {2}}, 1},
		{"nan", [][]float64{{1}, {math.NaN()}}, 1},
		{"empty dims", [][]float64{{}, {}}, 1},
	}
	for _, c := range cases {
		if _, err := Ward(c.x, c.k); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	if _, err := CutTree([]Merge{{A: 0, B: 1, Size: 2}}, 3, 1); err == nil {
		t.Error("CutTree accepted a short dendrogram")
	}
}

func ExampleWard() {
	x := [][]float64{{0, 0}, {10, 10}, {0.5, 0}, {10, 9.5}, {0, 0.5}}
	labels, _ := Ward(x, 2)
	fmt.Println(labels)
	// Output: [0 1 0 1 0]
}

func BenchmarkWard500(b *testing.B) {
	x := randomPoints(rand.New(rand.NewPCG(1, 2)), 500, 64)
	for b.Loop() {
		if _, err := Ward(x, 10); err != nil {
			b.Fatal(err)
		}
	}
}
