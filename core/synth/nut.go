package synth

import (
	"math"
	"math/rand/v2"
)

// nut is a round machined metal part with a bore and four slanted tabs on a
// dark background. Its tabs are chiral, so a part lying upside down ("flip")
// shows the mirror image and its matte underside.
type nut struct {
	metal, bg rgb
	skew      float64 // tab slant, radians
}

func newNut(r *rand.Rand) product {
	return &nut{metal: rgb{0.62, 0.64, 0.68}.scale(float32(uniform(r, 0.92, 1.05))), bg: rgb{0.05, 0.05, 0.055}, skew: uniform(r, 0.3, 0.45)}
}

// nutPose is one placement of the part plus its geometric defects.
type nutPose struct {
	c         pt
	rad, bore float64 // pixels
	rot       float64
	flip      bool
	bentTab   int // -1: none
	bend      float64
	seed      uint64
}

func boxSDF(u, v, hu, hv float64) float64 {
	qu, qv := math.Abs(u)-hu, math.Abs(v)-hv
	return math.Hypot(math.Max(qu, 0), math.Max(qv, 0)) + math.Min(math.Max(qu, qv), 0)
}

// tabFrame places one tab: its centre offset from the part centre and the
// cosine and sine of its axis.
type tabFrame struct{ cx, cy, cos, sin float64 }

// tabs returns the four tab frames of a pose.
func (n *nut) tabs(p nutPose) [4]tabFrame {
	skew := n.skew
	if p.flip {
		skew = -skew
	}
	var out [4]tabFrame
	for k := range out {
		a := p.rot + float64(k)*math.Pi/2
		reach, sk := 1.0, skew
		if k == p.bentTab {
			a += p.bend
			sk += 2 * p.bend
			reach = 1.08
		}
		out[k] = tabFrame{p.rad * reach * math.Cos(a), p.rad * reach * math.Sin(a), math.Cos(a + sk), math.Sin(a + sk)}
	}
	return out
}

// sdf is the signed distance to the part outline (bore excluded).
func (n *nut) sdf(p nutPose, tabs *[4]tabFrame, x, y float64) float64 {
	dx, dy := x-p.c.x, y-p.c.y
	rr := math.Hypot(dx, dy)
	d := rr - p.rad
	for _, t := range tabs {
		u := (dx-t.cx)*t.cos + (dy-t.cy)*t.sin
		v := -(dx-t.cx)*t.sin + (dy-t.cy)*t.cos
		d = math.Min(d, boxSDF(u, v, 0.22*p.rad, 0.15*p.rad)-0.04*p.rad)
	}
	return math.Max(d, p.bore-rr)
}

func (n *nut) render(d *drawing, p nutPose) (*canvas, field) {
	img := newCanvas(d.size, d.size)
	body := make(field, d.size*d.size)
	light := -2.3
	tabs := n.tabs(p)
	img.fill(func(x, y float64) rgb {
		bg := n.bg.scale(float32(0.8 + 0.4*fbm(d.ref(x)/8, d.ref(y)/8, 2, p.seed)))
		a := coverage(n.sdf(p, &tabs, x, y))
		body[int(y)*d.size+int(x)] = a
		if a == 0 {
			return bg
		}
		dx, dy := x-p.c.x, y-p.c.y
		rr := math.Hypot(dx, dy)
		q := rr / p.rad
		th := math.Atan2(dy, dx)
		var k float64
		if !p.flip {
			lathe := 0.06 * math.Sin(d.ref(rr)*1.7+3*fbm(d.ref(rr)/4, 0, 2, p.seed^9))
			k = 0.78 + 0.22*math.Cos(th-light)*q + lathe
			if q > 0.86 && q <= 1 {
				k *= 0.75 // chamfer
			}
		} else {
			k = 0.55 + 0.1*math.Cos(th-light)*q + 0.05*math.Sin(th*36+5*fbm(q*3, 0, 2, p.seed^7))
		}
		if rr < p.bore*1.18 {
			k *= 0.55 // bore chamfer
		}
		return bg.lerp(n.metal.scale(float32(k)), a)
	})
	return img, body
}

func (n *nut) draw(d *drawing, defects []string) error {
	r := d.r
	p := nutPose{
		c:   pt{d.px(0.5 + uniform(r, -0.03, 0.03)), d.px(0.5 + uniform(r, -0.03, 0.03))},
		rad: d.px(uniform(r, 0.3, 0.32)), rot: r.Float64() * 2 * math.Pi, bentTab: -1, seed: r.Uint64(),
	}
	p.bore = p.rad * 0.42
	clean := p
	for _, name := range defects {
		switch name {
		case "bent":
			p.bentTab = r.IntN(4)
			p.bend = uniform(r, 0.25, 0.45)
			if r.IntN(2) == 0 {
				p.bend = -p.bend
			}
		case "flip":
			p.flip = true
		}
	}
	var img *canvas
	img, d.fg = n.render(d, p)
	if p.bentTab >= 0 {
		before, _ := n.render(d, nutPose{c: clean.c, rad: clean.rad, bore: clean.bore, rot: clean.rot, flip: p.flip, bentTab: -1, seed: clean.seed})
		d.markDiff(before, img, 0.08)
	}
	if p.flip {
		union(d.cov, d.fg)
	}
	d.img = img
	for _, name := range defects {
		switch name {
		case "bent", "flip":
		case "color":
			c := d.spot(0.1)
			rad := d.px(uniform(r, 0.03, 0.06))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.5, 1), r.Float64()*math.Pi, 0.4, r.Uint64())
			col := []rgb{{0.2, 0.35, 0.8}, {0.85, 0.3, 0.55}, {0.8, 0.25, 0.15}}[r.IntN(3)]
			d.apply(shape, true, toward(col, uniform(r, 0.35, 0.7)))
		case "scratch":
			c := d.spot(0.1)
			pts := curvePath(r, c, r.Float64()*2*math.Pi, d.px(uniform(r, 0.08, 0.2)), uniform(r, -0.8, 0.8))
			col := []rgb{{0.95, 0.95, 0.97}, {0.15, 0.15, 0.16}}[r.IntN(2)]
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.007, 1)), true, toward(col, uniform(r, 0.45, 0.8)))
		default:
			return errUnknownDefect("metal_nut", name)
		}
	}
	return nil
}
