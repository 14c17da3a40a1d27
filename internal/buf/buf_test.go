package buf

import "testing"

func TestResize(t *testing.T) {
	tests := []struct {
		name      string
		in        []int
		n         int
		reused    bool
		wantFirst int
	}{
		{"grow from nil", nil, 3, false, 0},
		{"shrink keeps the array and contents", []int{7, 8, 9}, 2, true, 7},
		{"within capacity", make([]int, 1, 4), 4, true, 0},
		{"beyond capacity allocates zeroed", []int{5}, 2, false, 0},
	}
	for _, tc := range tests {
		got := Resize(tc.in, tc.n)
		if len(got) != tc.n {
			t.Errorf("%s: len %d, want %d", tc.name, len(got), tc.n)
		}
		if reused := cap(tc.in) > 0 && &got[:1][0] == &tc.in[:1][0]; reused != tc.reused {
			t.Errorf("%s: reused %v, want %v", tc.name, reused, tc.reused)
		}
		if got[0] != tc.wantFirst {
			t.Errorf("%s: first element %d, want %d", tc.name, got[0], tc.wantFirst)
		}
	}
}
