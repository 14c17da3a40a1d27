package train

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/augment"
	"github.com/anomalyncd/ancd/core/baselines"
)

func TestMeanPairwiseCosine(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    [][]float32
		want float64
	}{
		{"one row", [][]float32{{1, 0}}, 0},
		{"identical", [][]float32{{1, 2}, {2, 4}, {0.5, 1}}, 1},
		{"orthogonal", [][]float32{{1, 0}, {0, 3}}, 0},
		{"opposite", [][]float32{{1, 1}, {-2, -2}}, -1},
		{"mixed", [][]float32{{1, 0}, {1, 0}, {0, 1}}, 1.0 / 3},
	} {
		if got := MeanPairwiseCosine(tc.f); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
}

func TestDescribeFeatures(t *testing.T) {
	// Two well separated classes: k-means finds them exactly.
	f := [][]float32{{1, 0}, {0.9, 0.1}, {1, 0.05}, {0, 1}, {0.1, 0.9}, {0.05, 1}}
	truth := []int{0, 0, 0, 1, 1, 1}
	d, err := DescribeFeatures(f, truth, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d.KMeansNMI-1) > 1e-12 {
		t.Errorf("k-means NMI %g, want 1", d.KMeansNMI)
	}
	p := Predictions{Crops: make([]CropPrediction, 6)}
	for i := range p.Crops {
		// two base columns, then two novel ones: all crops argmax novel column 2
		p.Crops[i].Logits = []float32{5, 5, 1, 0}
	}
	DescribeHead(&d, p, truth, 2)
	if d.HeadNMI == nil || *d.HeadNMI != 0 || d.HeadClusters != 1 {
		t.Errorf("collapsed head: NMI %v clusters %d, want 0 and 1", d.HeadNMI, d.HeadClusters)
	}
	if _, err := DescribeFeatures(f, truth[:2], 1); err == nil {
		t.Error("length mismatch accepted")
	}
	dir := t.TempDir()
	want := Diagnostics{Crops: 6, Classes: 2, After: d}
	if err := want.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDiagnostics(dir)
	if err != nil || got.After.KMeansNMI != want.After.KMeansNMI || *got.After.HeadNMI != 0 {
		t.Errorf("read back %+v, %v", got, err)
	}
	if _, err := ReadDiagnostics(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
}

// TestNewDiagnosticsPrior: the prior's k-means NMI is reported when prior
// features are given (here a perfect and a useless prior) and left out of
// the JSON when not.
func TestNewDiagnosticsPrior(t *testing.T) {
	f := [][]float32{{1, 0}, {0.9, 0.1}, {1, 0.05}, {0.95, 0}, {0, 1}, {0.1, 0.9}, {0.05, 1}, {0, 0.95}}
	truth := []int{0, 0, 0, 0, 1, 1, 1, 1}
	p := Predictions{Features: f, Crops: make([]CropPrediction, len(f))}
	for i := range p.Crops {
		p.Crops[i].Logits = []float32{0, float32(truth[i])}
	}
	useless := [][]float32{{0}, {1}, {0}, {1}, {0}, {1}, {0}, {1}} // splits every class in half
	for _, tc := range []struct {
		name  string
		prior [][]float32
		want  float64
	}{{"perfect", f, 1}, {"useless", useless, 0}} {
		d, err := NewDiagnostics(f, p, truth, 0, 1, tc.prior)
		if err != nil {
			t.Fatal(err)
		}
		if d.PriorKMeansNMI == nil || math.Abs(*d.PriorKMeansNMI-tc.want) > 1e-9 {
			t.Errorf("%s prior: NMI %v, want %g", tc.name, fmtPtr(d.PriorKMeansNMI), tc.want)
		}
	}
	d, err := NewDiagnostics(f, p, truth, 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := d.Write(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, DiagnosticsFile))
	if err != nil {
		t.Fatal(err)
	}
	if d.PriorKMeansNMI != nil || strings.Contains(string(b), "prior") {
		t.Errorf("no prior given, but the diagnostics hold one:\n%s", b)
	}
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "absent"
	}
	return fmt.Sprint(*p)
}

// TestHeadInitKMeans: with head_init kmeans every head's novel rows are the
// k-means centroids of the unlabelled items' features (seeded per head) and
// its base rows the mean feature of each base class.
func TestHeadInitKMeans(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 8, 3)
	cfg := testConfig()
	m := tinyMGViT(t, 2, 2, cfg.ImageSize)
	aug, err := augment.New(cfg.ImageSize, 1)
	if err != nil {
		t.Fatal(err)
	}
	load := func(i int) (augment.Source, error) { return items[i].load("") }
	var unl, lab []int
	for i, it := range items {
		if it.Labeled() {
			lab = append(lab, i)
		} else {
			unl = append(unl, i)
		}
	}
	fu, err := inferFeatures(m, aug, unl, load, 3)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := inferFeatures(m, aug, lab, load, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := initHeadsKMeans(m, aug, items, load, 7, 0, nil); err != nil {
		t.Fatal(err)
	}
	// features handed in (Options.HeadFeatures) give the same heads
	known := make([][]float32, len(fu))
	for i, f := range fu {
		for _, v := range f {
			known[i] = append(known[i], float32(v))
		}
	}
	m2 := tinyMGViT(t, 2, 2, cfg.ImageSize)
	noLoad := func(i int) (augment.Source, error) {
		if !items[i].Labeled() {
			return augment.Source{}, fmt.Errorf("unlabelled item %d loaded although its features were given", i)
		}
		return load(i)
	}
	if err := initHeadsKMeans(m2, aug, items, noLoad, 7, 0, known); err != nil {
		t.Fatal(err)
	}
	for i, p := range m.Params() {
		if strings.HasPrefix(p.Name, "heads.") && !slices.Equal(p.Value, m2.Params()[i].Value) {
			t.Errorf("%s differs with the features handed in", p.Name)
		}
	}
	if err := initHeadsKMeans(m2, aug, items, noLoad, 7, 0, known[1:]); err == nil {
		t.Error("known features of the wrong count accepted")
	}
	h := 0
	for _, p := range m.Params() {
		if !strings.HasPrefix(p.Name, "heads.") {
			continue
		}
		dim := p.Shape[1]
		fit, err := baselines.KMeansFit(fu, 2, 7^uint64(0x6b6d65616e73)+uint64(h), baselines.KMeansParams{})
		if err != nil {
			t.Fatal(err)
		}
		for c := range 2 {
			if !closeRow(p.Value[(2+c)*dim:(3+c)*dim], fit.Centers[c]) {
				t.Errorf("%s novel row %d is not k-means centre %d", p.Name, 2+c, c)
			}
		}
		for l := range 2 {
			mean := make([]float64, dim)
			for i, j := range lab {
				if items[j].Label == l {
					for d := range mean {
						mean[d] += fl[i][d]
					}
				}
			}
			if !closeRow(p.Value[l*dim:(l+1)*dim], mean) {
				t.Errorf("%s base row %d is not the class-%d feature sum", p.Name, l, l)
			}
		}
		h++
	}
	if h != 2 {
		t.Fatalf("%d heads, want 2", h)
	}
	bad := slices.Clone(items[:1])
	if err := initHeadsKMeans(m, aug, bad, load, 7, 0, nil); err == nil {
		t.Error("fewer unlabelled items than novel classes accepted")
	}
}

func closeRow(got []float32, want []float64) bool {
	for i := range got {
		if math.Abs(float64(got[i])-want[i]) > 1e-5*max(1, math.Abs(want[i])) {
			return false
		}
	}
	return true
}
