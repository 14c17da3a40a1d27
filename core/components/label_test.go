package components

import "testing"

func TestLabelEightConnected(t *testing.T) {
	// Diagonal neighbours join; a separate pixel is its own component.
	mask := []bool{
		true, false, false, true,
		false, true, false, false,
		false, false, false, true,
	}
	labels, n := Label(mask, 4, 3)
	if n != 3 || labels[0] != labels[5] || labels[3] == labels[11] || labels[0] == labels[3] {
		t.Fatalf("labels %v n %d", labels, n)
	}
	boxes := Boxes(labels, 4, n)
	if boxes[0] != (Box{0, 0, 1, 1}) {
		t.Errorf("box of first component %+v", boxes[0])
	}
}

func TestBoxIoU(t *testing.T) {
	tests := []struct {
		a, b Box
		want float64
	}{
		{Box{0, 0, 1, 1}, Box{0, 0, 1, 1}, 1},
		{Box{0, 0, 1, 1}, Box{2, 2, 3, 3}, 0},
		{Box{0, 0, 1, 0}, Box{1, 0, 2, 0}, 1.0 / 3},
	}
	for _, tc := range tests {
		if got := tc.a.IoU(tc.b); got != tc.want {
			t.Errorf("%+v IoU %+v = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
