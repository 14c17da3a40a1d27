package augment

import (
	"fmt"
	"image"
	"sync"
)

// Source is one decoded sample: an RGB image and its mask (nil = empty mask).
type Source struct {
	Image *image.RGBA
	Mask  *image.Gray
}

// Augmenter makes batches of views with a fixed pool of workers; sample i
// is handled by worker i mod Workers, each with its own reused buffers.
// Results are identical for any worker count. An Augmenter is not safe for
// concurrent use; create it with [New].
type Augmenter struct {
	size       int
	workers    []worker
	scaledBlur bool
	cropMin    float64 // 0: no resized crop (see ResizedCrop)
	regionMask bool    // see RegionMasks
}

// Option changes how an Augmenter draws its views.
type Option func(*Augmenter)

// ScaledBlur scales the Gaussian blur's σ ~ U(0.1, 2) by S/224, as the
// kernel size already is, so that a blur has the same strength relative
// to the image at any input size. Without it (the reference) σ keeps its
// 224-px range: at S=32 a blur is up to 7 times stronger relative to the
// image. It changes only σ: every other draw stays the same.
func ScaledBlur() Option { return func(a *Augmenter) { a.scaledBlur = true } }

// ResizedCrop makes every train view from a random sub-rectangle of the
// source, as torchvision's RandomResizedCrop(scale=(minScale, 1),
// ratio=(3/4, 4/3)) does: the area is a fraction U(minScale, 1) of the
// source's, the aspect ratio log-uniform in [3/4, 4/3], the position
// uniform; after 10 failed tries the whole source is used. The sub-image
// then goes through the usual views (resize, crop, flips, ...). It is what
// SimCLR and DINO pretrain with; the reference's fine-tuning views do not
// use it. minScale must be in (0, 1]; 1 keeps whole sources (but still
// draws the crop, so the other draws differ from no ResizedCrop).
func ResizedCrop(minScale float64) Option {
	return func(a *Augmenter) { a.cropMin = minScale }
}

// RegionMasks gives every sample without a mask a random elliptical
// region mask for the train views (see regionMask), the same for both
// views of a sample in an epoch and different across epochs: a
// self-supervised stand-in for anomaly masks, so that a backbone pretrained
// with mask guidance learns to describe a masked region. Samples with a
// mask keep theirs.
func RegionMasks() Option { return func(a *Augmenter) { a.regionMask = true } }

type worker struct {
	prep Prepared
	sc   Scratch
}

// New returns an Augmenter for input size s (reference 224) using workers
// goroutines (at least 1).
func New(s, workers int, opts ...Option) (*Augmenter, error) {
	if err := checkSize(s); err != nil {
		return nil, err
	}
	a := &Augmenter{size: s, workers: make([]worker, max(workers, 1))}
	for _, o := range opts {
		o(a)
	}
	return a, nil
}

// Size is the input size S.
func (a *Augmenter) Size() int { return a.size }

// TrainBatch makes two train views of n samples: load(i) gives sample i and
// key(i) its key (the View field is set here to 0 and 1). Views[v] must hold
// n·3·S·S values and masks[v] n·S·S; sample i occupies the i-th block.
func (a *Augmenter) TrainBatch(n int, load func(i int) (Source, error), key func(i int) Key, views, masks *[2][]float32) error {
	s := a.size
	if err := a.checkDst(n, views[0], masks[0]); err != nil {
		return err
	}
	if err := a.checkDst(n, views[1], masks[1]); err != nil {
		return err
	}
	return a.each(n, load, a.cropMin == 0 && !a.regionMask, func(i int, src Source, w *worker) {
		if a.regionMask && src.Mask == nil {
			src.Mask = regionMask(key(i).regionRand(), src.Image.Bounds())
		}
		if a.regionMask && a.cropMin == 0 {
			w.prep.Prepare(src.Image, src.Mask, s)
		}
		for v := range 2 {
			k := key(i)
			k.View = v
			rng := k.Rand()
			if a.cropMin > 0 {
				img, mask := resizedCrop(rng, src, a.cropMin)
				w.prep.Prepare(img, mask, s)
			}
			par := Draw(rng, w.prep.W, w.prep.H, s)
			if a.scaledBlur {
				par.BlurSigma = float32(float64(par.BlurSigma) * float64(s) / ReferenceSize)
			}
			Train(&w.prep, par, s, views[v][i*3*s*s:(i+1)*3*s*s], masks[v][i*s*s:(i+1)*s*s], &w.sc)
		}
	})
}

// TestBatch makes the test view of n samples into img (n·3·S·S) and mask (n·S·S).
func (a *Augmenter) TestBatch(n int, load func(i int) (Source, error), img, mask []float32) error {
	s := a.size
	if err := a.checkDst(n, img, mask); err != nil {
		return err
	}
	return a.each(n, load, true, func(i int, _ Source, w *worker) {
		Test(&w.prep, s, img[i*3*s*s:(i+1)*3*s*s], mask[i*s*s:(i+1)*s*s], &w.sc)
	})
}

func (a *Augmenter) checkDst(n int, img, mask []float32) error {
	s := a.size
	if len(img) != n*3*s*s || len(mask) != n*s*s {
		return fmt.Errorf("augment: %d samples at size %d need %d image and %d mask values, have %d and %d",
			n, s, n*3*s*s, n*s*s, len(img), len(mask))
	}
	return nil
}

// each loads every sample on its worker, prepares it when prepare is set,
// and then runs fn. The first error in sample order is returned.
func (a *Augmenter) each(n int, load func(i int) (Source, error), prepare bool, fn func(i int, src Source, w *worker)) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	nw := min(len(a.workers), max(n, 1))
	for wi := 0; wi < nw; wi++ {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for i := wi; i < n; i += nw {
				src, err := load(i)
				if err != nil {
					errs[i] = err
					continue
				}
				if src.Mask != nil && src.Mask.Bounds().Size() != src.Image.Bounds().Size() {
					errs[i] = fmt.Errorf("augment: sample %d: mask %v and image %v differ in size", i, src.Mask.Bounds().Size(), src.Image.Bounds().Size())
					continue
				}
				if prepare {
					w.prep.Prepare(src.Image, src.Mask, a.size)
				}
				fn(i, src, w)
			}
		}(&a.workers[wi])
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
