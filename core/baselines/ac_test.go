package baselines

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/core/metrics"
)

// texture is a smoothed random gray texture around 128.
func texture(rng *rand.Rand, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(128 + 25*rng.NormFloat64()/2)
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return img
}

// defectImage draws a dark blob (kind 0) or a bright thin scratch (kind 1)
// at a random place on a texture and returns the image and its mask.
func defectImage(rng *rand.Rand, kind, w, h int) Image {
	img := texture(rng, w, h)
	mask := image.NewGray(img.Bounds())
	paint := func(x, y int, v uint8) {
		if x >= 0 && y >= 0 && x < w && y < h {
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
			mask.SetGray(x, y, color.Gray{255})
		}
	}
	cx, cy := 16+rng.IntN(w-32), 16+rng.IntN(h-32)
	if kind == 0 {
		r := 4 + rng.IntN(5)
		for y := -r; y <= r; y++ {
			for x := -r; x <= r; x++ {
				if x*x+y*y <= r*r {
					paint(cx+x, cy+y, uint8(20+rng.IntN(20)))
				}
			}
		}
	} else {
		a := rng.Float64() * math.Pi
		l := 10 + rng.IntN(12)
		for t := -l; t <= l; t++ {
			x := cx + int(math.Round(float64(t)*math.Cos(a)))
			y := cy + int(math.Round(float64(t)*math.Sin(a)))
			paint(x, y, uint8(230+rng.IntN(25)))
		}
	}
	return Image{RGB: img, Map: mask}
}

func defectSet(seed uint64, perKind, w, h int) ([]Image, []int) {
	var imgs []Image
	var truth []int
	for i := range 2 * perKind {
		kind := i % 2
		imgs = append(imgs, defectImage(rand.New(rand.NewPCG(seed, uint64(i))), kind, w, h))
		truth = append(truth, kind)
	}
	return imgs, truth
}

func TestAnomalyClusteringSeparatesDefectLooks(t *testing.T) {
	imgs, truth := defectSet(1, 15, 64, 64)
	var normals []*image.RGBA
	for i := range 6 {
		normals = append(normals, texture(rand.New(rand.NewPCG(99, uint64(i))), 64, 64))
	}
	noMaps := make([]Image, len(imgs))
	for i, im := range imgs {
		noMaps[i] = Image{RGB: im.RGB}
	}
	cases := []struct {
		name    string
		imgs    []Image
		normals []*image.RGBA
		p       ACParams
		minNMI  float64
	}{
		{"unsupervised, masks", imgs, nil, ACParams{}, 0.8},
		{"semi-supervised, masks", imgs, normals, ACParams{}, 0.8},
		{"semi-supervised, masks, L2", imgs, normals, ACParams{L2Normalize: true}, 0.8},
		{"semi-supervised, no maps", noMaps, normals, ACParams{}, 0.8},
	}
	for _, c := range cases {
		got, err := AnomalyClustering(c.imgs, c.normals, 2, c.p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		nmi := metrics.NMI(truth, got)
		t.Logf("%s: NMI %.3f", c.name, nmi)
		if nmi < c.minNMI {
			t.Errorf("%s: NMI %.3f < %.2f (labels %v)", c.name, nmi, c.minNMI, got)
		}
	}
}

func TestAnomalyClusteringSameForAnyWorkerCount(t *testing.T) {
	imgs, _ := defectSet(2, 5, 48, 40)
	imgs[3].Map = nil // exercise the fallback path too
	ref, err := Embeddings(imgs, nil, ACParams{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 8} {
		got, err := Embeddings(imgs, nil, ACParams{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		for i := range ref {
			if !slices.Equal(got[i], ref[i]) {
				t.Fatalf("workers %d: embedding %d differs", w, i)
			}
		}
	}
}

func TestEmbeddingWithBinaryMaskIsMaskedMean(t *testing.T) {
	// A plug-in extractor on a 2×1 grid with 1-dim features 0 and 10: a
	// mask covering the right half must give (almost) all weight to 10.
	ext := func(img *image.RGBA) ([][]float32, int, int, error) {
		v := float32(img.Pix[0])
		return [][]float32{{v}, {v + 10}}, 2, 1, nil
	}
	mask := image.NewGray(image.Rect(0, 0, 4, 2))
	for y := range 2 {
		mask.SetGray(2, y, color.Gray{255})
		mask.SetGray(3, y, color.Gray{255})
	}
	rgb := image.NewRGBA(image.Rect(0, 0, 4, 2))
	emb, err := Embeddings([]Image{{RGB: rgb, Map: mask}, {RGB: rgb}}, []*image.RGBA{rgb}, ACParams{Extract: ext, Temperature: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	// Normal stats: patches {0, 10}: mean 5, std 5, so the masked mean 10
	// becomes (10 − 5)/5 = 1.
	if math.Abs(emb[0][0]-1) > 1e-9 {
		t.Errorf("masked embedding %v want 1", emb[0][0])
	}
	// Without a map both patches score alike after min–max scaling of equal
	// |z| = 1, so the weights are uniform and the embedding is 0.
	if math.Abs(emb[1][0]) > 1e-9 {
		t.Errorf("map-less embedding %v want 0", emb[1][0])
	}
}

func TestPoolMap(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range m.Pix {
		m.Pix[i] = uint8(51 * (i % 5)) // columns 0, 51, ..., 204
	}
	cases := []struct {
		gw, gh int
		want   []float64
	}{
		{1, 1, []float64{0.4}},
		{5, 1, []float64{0, 0.2, 0.4, 0.6, 0.8}},
		{2, 1, []float64{0.1, 0.6}}, // columns [0,2) and [2,5)
		{10, 1, []float64{0, 0, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.8, 0.8}},
	}
	for _, c := range cases {
		got := poolMap(m, c.gw, c.gh)
		for i := range c.want {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%dx%d: %v want %v", c.gw, c.gh, got, c.want)
				break
			}
		}
	}
}

func TestAnomalyClusteringErrors(t *testing.T) {
	imgs, _ := defectSet(3, 2, 40, 40)
	bad := func(*image.RGBA) ([][]float32, int, int, error) { return [][]float32{{1}}, 2, 1, nil }
	cases := []struct {
		name    string
		imgs    []Image
		normals []*image.RGBA
		k       int
		p       ACParams
	}{
		{"k too large", imgs, nil, 5, ACParams{}},
		{"k zero", imgs, nil, 0, ACParams{}},
		{"empty normals", imgs, []*image.RGBA{}, 2, ACParams{}},
		{"nil normal", imgs, []*image.RGBA{nil}, 2, ACParams{}},
		{"nil image", append(slices.Clone(imgs), Image{}), nil, 2, ACParams{}},
		{"negative temperature", imgs, nil, 2, ACParams{Temperature: -1}},
		{"bad grid", imgs, nil, 2, ACParams{Extract: bad}},
	}
	for _, c := range cases {
		if _, err := AnomalyClustering(c.imgs, c.normals, c.k, c.p); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestKMeansImages(t *testing.T) {
	// Whole-image colour differs strongly between the two groups, so mean
	// pooled features separate them.
	var imgs []*image.RGBA
	var truth []int
	for i := range 16 {
		img := texture(rand.New(rand.NewPCG(8, uint64(i))), 32, 32)
		if i%2 == 1 {
			for p := 0; p < len(img.Pix); p += 4 {
				img.Pix[p+2] = 255
			}
		}
		imgs = append(imgs, img)
		truth = append(truth, i%2)
	}
	for _, w := range []int{1, 3} {
		got, err := KMeansImages(imgs, 2, 1, ImageKMeansParams{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := canonical(truth); !slices.Equal(got, want) {
			t.Errorf("workers %d: labels %v want %v", w, got, want)
		}
	}
	embed := func(img *image.RGBA) ([]float32, error) { return []float32{float32(img.Pix[2])}, nil }
	got, err := KMeansImages(imgs, 2, 1, ImageKMeansParams{Embed: embed})
	if want, _ := canonical(truth); err != nil || !slices.Equal(got, want) {
		t.Errorf("embed func: labels %v want %v (%v)", got, want, err)
	}
	if _, err := KMeansImages(imgs, 17, 1, ImageKMeansParams{}); err == nil {
		t.Error("k above n accepted")
	}
}

func TestMapWeightingIgnoresBackgroundConfounder(t *testing.T) {
	// Half of the images (independently of the defect kind) get a much
	// brighter background. Mean pooling (all-zero maps) follows the
	// background; mask weighting must follow the defect.
	imgs, truth := defectSet(4, 16, 64, 64)
	flat := make([]Image, len(imgs))
	for i, im := range imgs {
		if (i/2)%2 == 1 {
			for p := 0; p < len(im.RGB.Pix); p += 4 {
				if im.Map.Pix[p/4] == 0 {
					for c := range 3 {
						im.RGB.Pix[p+c] = uint8(min(255, int(im.RGB.Pix[p+c])+70))
					}
				}
			}
		}
		flat[i] = Image{RGB: im.RGB, Map: image.NewGray(im.Map.Bounds())}
	}
	masked, err := AnomalyClustering(imgs, nil, 2, ACParams{})
	if err != nil {
		t.Fatal(err)
	}
	pooled, err := AnomalyClustering(flat, nil, 2, ACParams{})
	if err != nil {
		t.Fatal(err)
	}
	nm, np := metrics.NMI(truth, masked), metrics.NMI(truth, pooled)
	t.Logf("NMI with masks %.3f, with mean pooling %.3f", nm, np)
	if nm < 0.8 || np > 0.3 {
		t.Errorf("NMI with masks %.3f (want >= 0.8), with mean pooling %.3f (want <= 0.3)", nm, np)
	}
}

func BenchmarkAnomalyClustering40x128(b *testing.B) {
	imgs, _ := defectSet(5, 20, 128, 128)
	for b.Loop() {
		if _, err := AnomalyClustering(imgs, nil, 2, ACParams{}); err != nil {
			b.Fatal(err)
		}
	}
}
