package tsne

import (
	"math"
	"testing"
)

// sklearnFixture is x_i = (sin i, cos 2i, i mod 7), y_i = (sin 3i, i mod 5 + 0.1 cos i)
// for i = 0..39, the data behind the scikit-learn 1.2.1 values below.
func sklearnFixture() ([][]float64, [][2]float64) {
	x := make([][]float64, 40)
	y := make([][2]float64, 40)
	for i := range x {
		f := float64(i)
		x[i] = []float64{math.Sin(f), math.Cos(2 * f), float64(i % 7)}
		y[i] = [2]float64{math.Sin(3 * f), float64(i%5) + 0.1*math.Cos(f)}
	}
	return x, y
}

func TestMatchesSklearn(t *testing.T) {
	x, y := sklearnFixture()
	// sklearn.manifold.trustworthiness(X, Y, n_neighbors=5)
	if tw, err := Trustworthiness(x, y, 5); err != nil || math.Abs(tw-0.5078125) > 1e-12 {
		t.Errorf("trustworthiness %v (%v), sklearn 0.5078125", tw, err)
	}
	// sklearn.manifold._t_sne._joint_probabilities(squared distances, 5.0, 0)
	// at condensed indices 0, 17, 100 = pairs (0,1), (0,18), (2,26). sklearn
	// rounds the squared distances to float32 before the binary search, so
	// only agreement to 1e-5 relative is expected.
	p := denseP(x, 5, 2)
	for _, c := range []struct {
		i, j int
		want float64
	}{{0, 1, 7.24876419964223e-05}, {0, 18, 3.6353519553185304e-12}, {2, 26, 1.2350958115974233e-08}} {
		if got := p[c.i*40+c.j]; math.Abs(got-c.want) > 1e-5*c.want {
			t.Errorf("P[%d][%d] = %.17g, sklearn %.17g", c.i, c.j, got, c.want)
		}
	}
}
