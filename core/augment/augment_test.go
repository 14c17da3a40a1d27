package augment

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"slices"
	"testing"
)

// testSource makes a w×h image of smooth colour ramps plus noise and a
// rectangular mask.
func testSource(w, h int, seed uint64) Source {
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	mask := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(rng.IntN(256)), 255})
			if x > w/4 && x < w/2 && y > h/3 && y < h*2/3 {
				mask.SetGray(x, y, color.Gray{255})
			}
		}
	}
	return Source{Image: img, Mask: mask}
}

func TestTrainBatchSameForAnyWorkerCount(t *testing.T) {
	t.Run("reference", func(t *testing.T) { testTrainBatchWorkers(t) })
	t.Run("resized crop", func(t *testing.T) { testTrainBatchWorkers(t, ResizedCrop(0.08)) })
	t.Run("region masks", func(t *testing.T) { testTrainBatchWorkers(t, RegionMasks(), ResizedCrop(0.5)) })
}

func testTrainBatchWorkers(t *testing.T, opts ...Option) {
	const s, n = 32, 5
	srcs := []Source{testSource(40, 50, 1), testSource(30, 30, 2), testSource(64, 37, 3), testSource(36, 80, 4), testSource(50, 50, 5)}
	load := func(i int) (Source, error) { return srcs[i], nil }
	key := func(i int) Key { return Key{Seed: 9, Epoch: 2, Index: 10 + i} }
	run := func(workers int) [2][]float32 {
		a, err := New(s, workers, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var views, masks [2][]float32
		for v := range 2 {
			views[v] = make([]float32, n*3*s*s)
			masks[v] = make([]float32, n*s*s)
		}
		if err := a.TrainBatch(n, load, key, &views, &masks); err != nil {
			t.Fatal(err)
		}
		// run twice on the same Augmenter: reused buffers must not leak state
		if err := a.TrainBatch(n, load, key, &views, &masks); err != nil {
			t.Fatal(err)
		}
		return [2][]float32{append(views[0], masks[0]...), append(views[1], masks[1]...)}
	}
	one := run(1)
	for _, w := range []int{2, 3, 8} {
		got := run(w)
		if !slices.Equal(one[0], got[0]) || !slices.Equal(one[1], got[1]) {
			t.Errorf("workers=%d differs from workers=1", w)
		}
	}
	if slices.Equal(one[0], one[1]) {
		t.Error("the two views are identical")
	}
}

func TestKeyChangesDraws(t *testing.T) {
	base := Key{Seed: 1, Epoch: 0, Index: 0, View: 0}
	p0 := Draw(base.Rand(), 300, 256, 224)
	if Draw(base.Rand(), 300, 256, 224) != p0 {
		t.Fatal("same key, different draws")
	}
	for _, k := range []Key{{Seed: 2}, {Seed: 1, Epoch: 1}, {Seed: 1, Index: 1}, {Seed: 1, View: 1}} {
		if Draw(k.Rand(), 300, 256, 224) == p0 {
			t.Errorf("key %+v draws the same as %+v", k, base)
		}
	}
}

func TestDrawRanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kernels := map[int]bool{}
	for range 2000 {
		p := Draw(rng, 300, 256, 224)
		if p.Top < 0 || p.Top >= 32 || p.Left < 0 || p.Left >= 76 {
			t.Fatalf("crop offset %d,%d out of range", p.Top, p.Left)
		}
		if p.Jitter[0] < 0.6 || p.Jitter[0] > 1.4 || p.Jitter[2] < 0.6 || p.Jitter[2] > 1.8 {
			t.Fatalf("jitter %v out of range", p.Jitter)
		}
		if p.Sharpness < 0.2 || p.Sharpness > 2 || p.BlurSigma < 0.1 || p.BlurSigma > 2 {
			t.Fatalf("sharpness %v sigma %v out of range", p.Sharpness, p.BlurSigma)
		}
		if p.PosterizeBits < 5 || p.PosterizeBits > 8 || p.Rotate < 0 || p.Rotate > 3 {
			t.Fatalf("bits %d rotate %d out of range", p.PosterizeBits, p.Rotate)
		}
		kernels[p.BlurKernel] = true
	}
	if len(kernels) != 7 || !kernels[9] || !kernels[33] {
		t.Errorf("kernels drawn %v, want the 7 sizes 9..33", kernels)
	}
}

// TestMarkedPixelFollowsGeometry: with identity colour operations, a single
// marked pixel lands at the same place in image and mask, and where the
// geometry says.
func TestMarkedPixelFollowsGeometry(t *testing.T) {
	const s = 8
	p := &Prepared{W: 11, H: 10}
	for c := range 3 {
		p.RGB[c] = make([]uint8, p.W*p.H)
	}
	p.Mask = make([]float32, p.W*p.H)
	// mark prepared pixel (row 3, col 6); crop at top 1, left 2 → cropped (2,4)
	p.RGB[0][3*p.W+6] = 200
	p.Mask[3*p.W+6] = 1
	tests := []struct {
		hflip, vflip bool
		rot          int
		wantY, wantX int
	}{
		{false, false, 0, 2, 4},
		{true, false, 0, 2, 3},  // x → 7−4
		{false, true, 0, 5, 4},  // y → 7−2
		{false, false, 1, 3, 2}, // CCW: (y,x) → (7−x, y)
		{false, false, 2, 5, 3},
		{false, false, 3, 4, 5}, // CW: (y,x) → (x, 7−y)
		{true, true, 1, 4, 5},   // flips to (5,3), then CCW → (4,5)
	}
	for _, tc := range tests {
		par := Params{Top: 1, Left: 2, HFlip: tc.hflip, VFlip: tc.vflip, Rotate: tc.rot,
			JitterOrder: [3]int{0, 1, 2}, Jitter: [3]float32{1, 1, 1}, Sharpness: 1, BlurKernel: 1, BlurSigma: 1, PosterizeBits: 8}
		img := make([]float32, 3*s*s)
		mask := make([]float32, s*s)
		Train(p, par, s, img, mask, &Scratch{})
		wantI := tc.wantY*s + tc.wantX
		if mask[wantI] != 1 {
			t.Errorf("%+v: mask mark not at (%d,%d)", tc, tc.wantY, tc.wantX)
		}
		if argmax(img[:s*s]) != wantI || argmax(mask) != wantI {
			t.Errorf("%+v: image mark at %d, mask mark at %d, want %d", tc, argmax(img[:s*s]), argmax(mask), wantI)
		}
	}
}

func argmax(v []float32) int {
	best := 0
	for i := range v {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}

func TestTestViewIsCentreCrop(t *testing.T) {
	// 224 → R=256, offset 16: prepared pixel (16+5, 16+7) becomes (5,7).
	src := testSource(256, 256, 1)
	src.Mask = image.NewGray(src.Image.Bounds())
	src.Mask.SetGray(16+7, 16+5, color.Gray{255})
	a, _ := New(224, 1)
	img := make([]float32, 3*224*224)
	mask := make([]float32, 224*224)
	if err := a.TestBatch(1, func(int) (Source, error) { return src, nil }, img, mask); err != nil {
		t.Fatal(err)
	}
	if got := argmax(mask); got != 5*224+7 || mask[got] != 1 {
		t.Errorf("mask mark at %d (value %v), want %d", got, mask[got], 5*224+7)
	}
	// red channel of pixel (0,0) is x=16 of the ramp: 16*255/256 = 15
	want := (float32(15)/255 - imagenetMean[0]) / imagenetStd[0]
	if img[0] != want {
		t.Errorf("img[0] = %v, want %v", img[0], want)
	}
}

func TestPrepareSizes(t *testing.T) {
	tests := []struct {
		w, h, s      int
		wantW, wantH int
	}{
		{100, 200, 224, 256, 512},
		{300, 150, 224, 512, 256},
		{50, 50, 224, 256, 256},
		{64, 48, 32, 48, 36},
	}
	for _, tc := range tests {
		var p Prepared
		src := testSource(tc.w, tc.h, 1)
		p.Prepare(src.Image, src.Mask, tc.s)
		if p.W != tc.wantW || p.H != tc.wantH || len(p.Mask) != p.W*p.H {
			t.Errorf("%dx%d at S=%d: got %dx%d, want %dx%d", tc.w, tc.h, tc.s, p.W, p.H, tc.wantW, tc.wantH)
		}
	}
}

func TestPrepareSoftMaskAndConstantImage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 20, 20))
	mask := image.NewGray(img.Rect)
	for i := range img.Pix {
		img.Pix[i] = 77
	}
	for y := range 20 {
		for x := 10; x < 20; x++ {
			mask.Pix[y*20+x] = 255
		}
	}
	var p Prepared
	p.Prepare(img, mask, 224)
	for c := range 3 {
		for _, v := range p.RGB[c] {
			if v != 77 {
				t.Fatalf("constant image changed to %d", v)
			}
		}
	}
	soft := 0
	for _, v := range p.Mask {
		if v < 0 || v > 1 {
			t.Fatalf("mask value %v outside [0,1]", v)
		}
		if v > 0 && v < 1 {
			soft++
		}
	}
	if soft == 0 || p.Mask[0] != 0 || p.Mask[255] != 1 {
		t.Errorf("mask not soft at the edge or wrong at the sides: soft=%d left=%v right=%v", soft, p.Mask[0], p.Mask[255])
	}
	p.Prepare(img, nil, 224)
	if slices.Max(p.Mask) != 0 {
		t.Error("nil mask is not all zero")
	}
}

func TestColourOps(t *testing.T) {
	one := func(r, g, b uint8) *[3][]uint8 { return &[3][]uint8{{r}, {g}, {b}} }
	tests := []struct {
		name string
		op   func(*[3][]uint8)
		in   *[3][]uint8
		want [3]uint8
	}{
		{"brightness truncates", func(x *[3][]uint8) { brightness(x, 1.3) }, one(100, 200, 3), [3]uint8{130, 255, 3}},
		{"brightness darkens", func(x *[3][]uint8) { brightness(x, 0.6) }, one(101, 0, 255), [3]uint8{60, 0, 153}},
		{"saturation 0 is grey", func(x *[3][]uint8) { saturation(x, 0) }, one(255, 0, 0), [3]uint8{76, 76, 76}},
		{"contrast single pixel is identity", func(x *[3][]uint8) { contrast(x, 1.4) }, one(90, 90, 90), [3]uint8{90, 90, 90}},
		{"posterize 5", func(x *[3][]uint8) { posterize(x, 5) }, one(255, 7, 8), [3]uint8{248, 0, 8}},
	}
	for _, tc := range tests {
		tc.op(tc.in)
		got := [3]uint8{tc.in[0][0], tc.in[1][0], tc.in[2][0]}
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// contrast 0 gives int(mean(L)+0.5) everywhere: L of (0,0,0) and (255,255,255) → mean 127.5 → 128
	x := &[3][]uint8{{0, 255}, {0, 255}, {0, 255}}
	contrast(x, 0)
	if x[0][0] != 128 || x[2][1] != 128 {
		t.Errorf("contrast 0: %v, want all 128", x)
	}
}

func TestSharpnessKeepsBorder(t *testing.T) {
	const s = 5
	ch := make([]uint8, s*s)
	for i := range ch {
		ch[i] = uint8(i * 10)
	}
	ch[12] = 250 // centre spike
	orig := slices.Clone(ch)
	sharpness(ch, s, 0, make([]uint8, s*s)) // factor 0 = the smoothed image
	for y := range s {
		for x := range s {
			i := y*s + x
			border := y == 0 || x == 0 || y == s-1 || x == s-1
			if border && ch[i] != orig[i] {
				t.Errorf("border pixel (%d,%d) changed %d → %d", y, x, orig[i], ch[i])
			}
		}
	}
	// centre: (5·250 + 60+70+80+110+130+160+170+180)/13 = 2210/13 = 170
	if ch[12] != 170 {
		t.Errorf("smoothed centre = %d, want 170", ch[12])
	}
}

func TestGaussBlur(t *testing.T) {
	k := gaussKernel(nil, 9, 1.5)
	var sum float32
	for i := range k {
		sum += k[i]
		if k[i] != k[len(k)-1-i] {
			t.Errorf("kernel not symmetric at %d", i)
		}
	}
	if sum < 0.9999 || sum > 1.0001 || argmax(k) != 4 {
		t.Errorf("kernel sum %v, peak %d", sum, argmax(k))
	}
	const s = 12
	ch := make([]uint8, s*s)
	for i := range ch {
		ch[i] = 123
	}
	gaussBlur(ch, s, k, make([]float32, s*s), make([]float32, s+len(k)-1))
	for _, v := range ch {
		if v != 123 {
			t.Fatalf("blur changed a constant image to %d", v)
		}
	}
}

func TestBlurKernelSize(t *testing.T) {
	tests := []struct{ k, s, want int }{
		{9, 224, 9}, {33, 224, 33}, {9, 112, 5}, {33, 112, 17}, {13, 112, 7}, {9, 32, 1}, {33, 448, 67},
	}
	for _, tc := range tests {
		if got := BlurKernelSize(tc.k, tc.s); got != tc.want {
			t.Errorf("BlurKernelSize(%d, %d) = %d, want %d", tc.k, tc.s, got, tc.want)
		}
	}
}

func ExampleResizeSize() {
	fmt.Println(ResizeSize(224), ResizeSize(112), BlurKernelSize(33, 112))
	// Output: 256 128 17
}

func BenchmarkTrainBatch32(b *testing.B) {
	srcs := make([]Source, 32)
	for i := range srcs {
		srcs[i] = testSource(120+i, 140, uint64(i))
	}
	a, _ := New(224, 2)
	var views, masks [2][]float32
	for v := range 2 {
		views[v] = make([]float32, 32*3*224*224)
		masks[v] = make([]float32, 32*224*224)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := a.TrainBatch(32, func(j int) (Source, error) { return srcs[j], nil },
			func(j int) Key { return Key{Seed: 1, Epoch: i, Index: j} }, &views, &masks); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScaledBlur: ScaledBlur changes nothing at the reference size (σ·224/224)
// and changes the views at a smaller size, while the masks (geometry only)
// stay the same.
func TestScaledBlur(t *testing.T) {
	srcs := []Source{testSource(40, 50, 1), testSource(64, 37, 3), testSource(50, 50, 5)}
	load := func(i int) (Source, error) { return srcs[i], nil }
	key := func(i int) Key { return Key{Seed: 4, Epoch: 1, Index: i} }
	views := func(s int, opts ...Option) [2][]float32 {
		a, err := New(s, 2, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var v, m [2][]float32
		for i := range 2 {
			v[i] = make([]float32, len(srcs)*3*s*s)
			m[i] = make([]float32, len(srcs)*s*s)
		}
		if err := a.TrainBatch(len(srcs), load, key, &v, &m); err != nil {
			t.Fatal(err)
		}
		return [2][]float32{append(v[0], v[1]...), append(m[0], m[1]...)}
	}
	for _, tc := range []struct {
		s           int
		sameViews   bool
		description string
	}{
		{ReferenceSize, true, "reference size: σ unchanged"},
		{32, false, "32 px: σ scaled by 1/7"},
	} {
		plain, scaled := views(tc.s), views(tc.s, ScaledBlur())
		if got := slices.Equal(plain[0], scaled[0]); got != tc.sameViews {
			t.Errorf("%s: views equal = %v, want %v", tc.description, got, tc.sameViews)
		}
		if !slices.Equal(plain[1], scaled[1]) {
			t.Errorf("%s: masks differ; only the blur may change", tc.description)
		}
	}
}
