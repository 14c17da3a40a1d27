package synth

import (
	"math"
	"math/rand/v2"
)

// pt is a point in pixel coordinates.
type pt struct{ x, y float64 }

// segDist is the distance from p to the segment ab.
func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	}
	ex, ey := p.x-a.x-t*dx, p.y-a.y-t*dy
	return math.Hypot(ex, ey)
}

// bounds returns the bounding box of points grown by pad.
func bounds(pts []pt, pad float64) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		b[0], b[1] = math.Min(b[0], p.x), math.Min(b[1], p.y)
		b[2], b[3] = math.Max(b[2], p.x), math.Max(b[3], p.y)
	}
	return [4]float64{b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad}
}

// strokeField rasterizes a polyline of the given width (pixels).
func strokeField(w, h int, pts []pt, width float64) field {
	return rasterize(w, h, bounds(pts, width+2), func(x, y float64) float64 {
		p, d := pt{x, y}, math.Inf(1)
		for i := 1; i < len(pts); i++ {
			d = math.Min(d, segDist(p, pts[i-1], pts[i]))
		}
		if len(pts) == 1 {
			d = math.Hypot(x-pts[0].x, y-pts[0].y)
		}
		return d - width/2
	})
}

// blobField rasterizes an irregular ellipse: semi-axes rx, ry rotated by
// angle, with its radius modulated by up to ±rough (fraction) of angular noise.
func blobField(w, h int, c pt, rx, ry, angle, rough float64, seed uint64) field {
	ca, sa := math.Cos(angle), math.Sin(angle)
	r := math.Max(rx, ry) * (1 + rough)
	mr := math.Min(rx, ry)
	return rasterize(w, h, [4]float64{c.x - r, c.y - r, c.x + r, c.y + r}, func(x, y float64) float64 {
		dx, dy := x-c.x, y-c.y
		u, v := dx*ca+dy*sa, -dx*sa+dy*ca
		rho := math.Hypot(u/rx, v/ry)
		th := math.Atan2(v, u)
		n := fbm(2.2*math.Cos(th)+5, 2.2*math.Sin(th)+5, 3, seed)
		rho /= 1 + rough*(2*n-1)
		return (rho - 1) * mr
	})
}

// discField rasterizes a circle.
func discField(w, h int, c pt, r float64) field {
	return rasterize(w, h, [4]float64{c.x - r, c.y - r, c.x + r, c.y + r}, func(x, y float64) float64 {
		return math.Hypot(x-c.x, y-c.y) - r
	})
}

// crackPath is a jagged random walk of n steps of length step, starting at
// p heading along angle, turning by up to ±jitter radians per step.
func crackPath(r *rand.Rand, p pt, angle, step float64, n int, jitter float64) []pt {
	pts := []pt{p}
	for i := 0; i < n; i++ {
		angle += (r.Float64()*2 - 1) * jitter
		s := step * (0.6 + 0.8*r.Float64())
		p = pt{p.x + s*math.Cos(angle), p.y + s*math.Sin(angle)}
		pts = append(pts, p)
	}
	return pts
}

// curvePath is a smooth curve of total length `length` whose heading turns
// at a constant rate `bend` (radians over the whole length) plus a gentle wobble.
func curvePath(r *rand.Rand, p pt, angle, length, bend float64) []pt {
	const n = 24
	wob := r.Float64() * 2 * math.Pi
	pts := []pt{p}
	for i := 0; i < n; i++ {
		a := angle + bend*float64(i)/n + 0.15*math.Sin(wob+float64(i)*0.5)
		p = pt{p.x + length/n*math.Cos(a), p.y + length/n*math.Sin(a)}
		pts = append(pts, p)
	}
	return pts
}

// uniform returns a value in [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
