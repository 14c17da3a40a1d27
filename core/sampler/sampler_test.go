package sampler

import (
	"fmt"
	"slices"
	"testing"
)

func TestBalancedWeights(t *testing.T) {
	tests := []struct {
		labeled []bool
		want    []float64
		wantErr bool
	}{
		{[]bool{true, false, false, false}, []float64{1, 1.0 / 3, 1.0 / 3, 1.0 / 3}, false},
		{[]bool{true, true, false}, []float64{1, 1, 2}, false},
		{[]bool{true, true}, nil, true},
		{[]bool{false}, nil, true},
	}
	for _, tc := range tests {
		got, err := Balanced(tc.labeled)
		if (err != nil) != tc.wantErr {
			t.Errorf("%v: err = %v", tc.labeled, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v: %v, want %v", tc.labeled, got, tc.want)
		}
	}
}

func TestEpochBalanceAndDeterminism(t *testing.T) {
	// 100 labeled and 900 unlabeled: each half should be about 50% of the draws.
	labeled := make([]bool, 1000)
	for i := range 100 {
		labeled[i] = true
	}
	w, err := Balanced(labeled)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewWeighted(w)
	if err != nil {
		t.Fatal(err)
	}
	nLab, total := 0, 0
	for e := range 20 {
		order := s.Epoch(7, e)
		if len(order) != 1000 {
			t.Fatalf("epoch %d has %d draws", e, len(order))
		}
		for _, i := range order {
			if labeled[i] {
				nLab++
			}
		}
		total += len(order)
	}
	if frac := float64(nLab) / float64(total); frac < 0.48 || frac > 0.52 {
		t.Errorf("labeled fraction %.3f, want about 0.5", frac)
	}
	if !slices.Equal(s.Epoch(7, 3), s.Epoch(7, 3)) {
		t.Error("same (seed, epoch) gave different orders")
	}
	if slices.Equal(s.Epoch(7, 3), s.Epoch(7, 4)) || slices.Equal(s.Epoch(7, 3), s.Epoch(8, 3)) {
		t.Error("different epoch or seed gave the same order")
	}
}

func TestZeroWeightNeverDrawn(t *testing.T) {
	s, err := NewWeighted([]float64{0, 1, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range s.Epoch(1, 0) {
		if i == 0 || i == 2 {
			t.Fatalf("drew zero-weight index %d", i)
		}
	}
	if _, err := NewWeighted([]float64{0, 0}); err == nil {
		t.Error("all-zero weights accepted")
	}
	if _, err := NewWeighted([]float64{1, -1}); err == nil {
		t.Error("negative weight accepted")
	}
}

func TestBatches(t *testing.T) {
	tests := []struct {
		n, size int
		want    string
	}{
		{5, 2, "[[0 1] [2 3] [4]]"},
		{4, 2, "[[0 1] [2 3]]"},
		{0, 32, "[]"},
	}
	for _, tc := range tests {
		order := make([]int, tc.n)
		for i := range order {
			order[i] = i
		}
		if got := fmt.Sprint(Batches(order, tc.size)); got != tc.want {
			t.Errorf("Batches(%d, %d) = %s, want %s", tc.n, tc.size, got, tc.want)
		}
	}
}

func ExampleBatches() {
	fmt.Println(Batches([]int{4, 1, 1, 3, 0}, 2))
	// Output: [[4 1] [1 3] [0]]
}
