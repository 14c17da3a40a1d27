package detect

import (
	"image"
	"math"

	"github.com/anomalyncd/ancd/core/features"
	"github.com/anomalyncd/ancd/core/resample"
)

// Map is a float32 anomaly map, row-major Pix[y*W+x], at the resolution of
// its image. Higher means more anomalous.
type Map = features.Plane

// MaxOf returns the image score of m: its maximum (-Inf for an empty map).
func MaxOf(m Map) float32 {
	v := float32(math.Inf(-1))
	for _, p := range m.Pix {
		v = max(v, p)
	}
	return v
}

// gridToMap turns per-cell scores of grid g into a map of imgW x imgH:
// bilinear upsampling with cell-centre alignment to the working size,
// Gaussian smoothing with sigma smooth (none when <= 0), then bilinear
// resizing to the image size when the working size differs.
func gridToMap(scores []float32, g *features.Grid, imgW, imgH int, smooth float64, b *features.Blurrer) (Map, error) {
	up := upsampleCells(scores, g)
	out := up
	if smooth > 0 {
		var sm features.Plane
		b.Blur(&sm, up, smooth)
		out = sm
	}
	if out.W == imgW && out.H == imgH {
		return out, nil
	}
	return features.ResizeBilinear(out, imgW, imgH)
}

// upsampleCells interpolates cell values bilinearly (resample.Bilinear) at
// every working pixel, cell (cx, cy) being centred on working pixel
// ((cx+0.5)*S-0.5, (cy+0.5)*S-0.5) and values clamped beyond the outer cell
// centres. Working pixel p reads cell coordinate (p+0.5)*(1/S)-0.5; 1/S is
// exact for the strides the detectors use (4 and 8).
func upsampleCells(scores []float32, g *features.Grid) features.Plane {
	out := features.NewPlane(g.WorkW, g.WorkH)
	perPixel := 1 / float64(g.Stride) // cells per working pixel
	resample.Bilinear(out.Pix, g.WorkW, g.WorkH, scores, g.W, g.H, perPixel, perPixel)
	return out
}

// Range is the set-normalisation range of a category: Lo and Hi are the
// smallest and largest value over all its maps.
type Range struct{ Lo, Hi float32 }

// SetRange computes the normalisation range over maps ({0, 0} for none).
func SetRange(maps []Map) Range {
	r := Range{Lo: float32(math.Inf(1)), Hi: float32(math.Inf(-1))}
	for _, m := range maps {
		for _, v := range m.Pix {
			r.Lo, r.Hi = min(r.Lo, v), max(r.Hi, v)
		}
	}
	if r.Lo > r.Hi {
		return Range{}
	}
	return r
}

// ToGray maps m to uint8 with r: floor((v-Lo)/(Hi-Lo)*255 + 0.5) in
// float64, clamped to 0..255; all zero when Hi == Lo.
func (r Range) ToGray(m Map) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, m.W, m.H))
	if r.Hi <= r.Lo {
		return g
	}
	lo, span := float64(r.Lo), float64(r.Hi)-float64(r.Lo)
	for i, v := range m.Pix {
		u := math.Floor((float64(v)-lo)/span*255 + 0.5)
		g.Pix[i] = uint8(min(max(u, 0), 255))
	}
	return g
}

// Normalize set-normalises the maps of one category (see the package doc).
func Normalize(maps []Map) []*image.Gray {
	r := SetRange(maps)
	out := make([]*image.Gray, len(maps))
	for i, m := range maps {
		out[i] = r.ToGray(m)
	}
	return out
}
