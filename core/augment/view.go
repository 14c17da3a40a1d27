package augment

import (
	"math"
	"math/rand/v2"

	"github.com/anomalyncd/ancd/internal/buf"
)

// Key identifies one view of one sample; its PCG source is seeded from all
// four fields, so a view's augmentation does not depend on which worker
// makes it or in which order.
type Key struct {
	Seed  uint64
	Epoch int
	Index int // position of the sample in the epoch's draw order
	View  int // 0 or 1
}

// Rand returns the view's random source.
func (k Key) Rand() *rand.Rand {
	hi := k.Seed ^ 0x9e3779b97f4a7c15*uint64(k.Epoch+1)
	lo := uint64(k.Index)<<1 | uint64(k.View&1)
	return rand.New(rand.NewPCG(hi, lo^0xa0761d6478bd642f))
}

// Params are the random choices of one train view, drawn by [Draw].
type Params struct {
	Top, Left     int
	HFlip, VFlip  bool
	JitterOrder   [3]int     // 0 brightness, 1 contrast, 2 saturation
	Jitter        [3]float32 // factors, indexed like JitterOrder's values
	Rotate        int        // quarter turns counter-clockwise, 0..3
	Sharpness     float32
	BlurKernel    int // odd, already scaled to S
	BlurSigma     float32
	PosterizeBits int
}

// Draw makes the random choices for a train view of a prepared image of
// w×h at input size s, in the documented order.
func Draw(rng *rand.Rand, w, h, s int) Params {
	var p Params
	p.Top = int(rng.Float64() * float64(h-s))
	p.Left = int(rng.Float64() * float64(w-s))
	p.HFlip = rng.Float64() < 0.5
	p.VFlip = rng.Float64() < 0.5
	perm := rng.Perm(3)
	copy(p.JitterOrder[:], perm)
	p.Jitter[0] = float32(0.6 + rng.Float64()*0.8)
	p.Jitter[1] = float32(0.6 + rng.Float64()*0.8)
	p.Jitter[2] = float32(0.6 + rng.Float64()*1.2)
	p.Rotate = rng.IntN(4)
	p.Sharpness = float32(0.2 + rng.Float64()*1.8)
	p.BlurKernel = BlurKernelSize(referenceBlurKernels[rng.IntN(len(referenceBlurKernels))], s)
	p.BlurSigma = float32(0.1 + rng.Float64()*1.9)
	p.PosterizeBits = 5 + rng.IntN(4)
	return p
}

// Scratch holds one worker's reusable buffers. The zero value is ready.
type Scratch struct {
	rgb  [3][]uint8
	aux  []uint8
	blur []float32
	pad  []float32
	kern []float32
}

// Train writes one train view of p with choices par into img (3·S·S, CHW,
// normalised) and mask (S·S).
func Train(p *Prepared, par Params, s int, img, mask []float32, sc *Scratch) {
	gather(p, s, par.Top, par.Left, par.HFlip, par.VFlip, par.Rotate, sc, mask)
	for _, op := range par.JitterOrder {
		switch op {
		case 0:
			brightness(&sc.rgb, par.Jitter[0])
		case 1:
			contrast(&sc.rgb, par.Jitter[1])
		case 2:
			saturation(&sc.rgb, par.Jitter[2])
		}
	}
	sc.aux = buf.Resize(sc.aux, s*s)
	for c := range 3 {
		sharpness(sc.rgb[c], s, par.Sharpness, sc.aux)
	}
	sc.blur = buf.Resize(sc.blur, s*s)
	sc.kern = gaussKernel(sc.kern, par.BlurKernel, par.BlurSigma)
	sc.pad = buf.Resize(sc.pad, s+len(sc.kern)-1)
	for c := range 3 {
		gaussBlur(sc.rgb[c], s, sc.kern, sc.blur, sc.pad)
	}
	posterize(&sc.rgb, par.PosterizeBits)
	normalise(&sc.rgb, s, img)
}

// Test writes the test view of p (centre crop) into img and mask.
func Test(p *Prepared, s int, img, mask []float32, sc *Scratch) {
	top := int(math.RoundToEven(float64(p.H-s) / 2))
	left := int(math.RoundToEven(float64(p.W-s) / 2))
	gather(p, s, top, left, false, false, 0, sc, mask)
	normalise(&sc.rgb, s, img)
}

// gather crops, flips and rotates p into sc.rgb (S×S planar) and mask.
// Output pixel (y,x) of the rotated image comes from pixel (ay,ax) of the
// cropped-and-flipped one, which comes from the prepared image at
// (top+fy, left+fx).
func gather(p *Prepared, s, top, left int, hflip, vflip bool, rot int, sc *Scratch, mask []float32) {
	for c := range 3 {
		sc.rgb[c] = buf.Resize(sc.rgb[c], s*s)
	}
	last := s - 1
	for y := 0; y < s; y++ {
		for x := 0; x < s; x++ {
			var ay, ax int
			switch rot & 3 {
			case 0:
				ay, ax = y, x
			case 1: // 90° counter-clockwise
				ay, ax = x, last-y
			case 2:
				ay, ax = last-y, last-x
			case 3: // 270° counter-clockwise
				ay, ax = last-x, y
			}
			if vflip {
				ay = last - ay
			}
			if hflip {
				ax = last - ax
			}
			src := (top+ay)*p.W + left + ax
			dst := y*s + x
			sc.rgb[0][dst] = p.RGB[0][src]
			sc.rgb[1][dst] = p.RGB[1][src]
			sc.rgb[2][dst] = p.RGB[2][src]
			mask[dst] = p.Mask[src]
		}
	}
}

// normalise writes (v/255 − mean)/std per channel.
func normalise(rgb *[3][]uint8, s int, img []float32) {
	n := s * s
	for c := range 3 {
		out := img[c*n : (c+1)*n]
		m, sd := imagenetMean[c], imagenetStd[c]
		for i, v := range rgb[c] {
			out[i] = (float32(v)/255 - m) / sd
		}
	}
}
