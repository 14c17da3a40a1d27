package synth

import (
	"math"
	"math/rand/v2"
)

// capsule is a two-coloured hard gelatin capsule lying on a light tray, with
// a printed code on its body half.
type capsule struct {
	cap, body, ink, tray rgb
}

func newCapsule(r *rand.Rand) product {
	bodies := []rgb{{0.88, 0.5, 0.14}, {0.85, 0.82, 0.74}, {0.3, 0.5, 0.75}}
	return &capsule{cap: rgb{0.12, 0.12, 0.13}, body: bodies[r.IntN(len(bodies))], ink: rgb{0.95, 0.95, 0.93}, tray: rgb{0.84, 0.84, 0.82}}
}

// capsulePose is one placement of the capsule plus its geometric defects.
type capsulePose struct {
	c             pt
	half, rad     float64 // pixels
	rot           float64
	squeeze       float64 // 0: none; fraction of the radius pushed in
	squeezeU      float64 // along the axis, pixels from the centre
	squeezeSide   float64 // +1 or -1
	printDrop     uint32  // bit s of glyph g (bit 7g+s) removed
	printShift    int     // glyph moved (-1: none)
	shiftU, shift float64 // its displacement, pixels
	seed          uint64
}

// digitSegments lists the strokes of the glyphs "5" and "0" as
// (u0,v0,u1,v1) in a unit glyph box [-0.5,0.5]x[-1,1].
var digitSegments = [2][][4]float64{
	{{0.5, -1, -0.5, -1}, {-0.5, -1, -0.5, 0}, {-0.5, 0, 0.5, 0}, {0.5, 0, 0.5, 1}, {0.5, 1, -0.5, 1}}, // 5
	{{-0.5, -1, 0.5, -1}, {0.5, -1, 0.5, 1}, {0.5, 1, -0.5, 1}, {-0.5, 1, -0.5, -1}},                   // 0
}

func (c *capsule) local(p capsulePose, x, y float64) (u, v float64) {
	dx, dy := x-p.c.x, y-p.c.y
	cs, sn := math.Cos(p.rot), math.Sin(p.rot)
	return dx*cs + dy*sn, -dx*sn + dy*cs
}

func (c *capsule) bodySDF(p capsulePose, u, v float64) float64 {
	qu := math.Max(math.Abs(u)-(p.half-p.rad), 0)
	d := math.Hypot(qu, v) - p.rad
	if p.squeeze > 0 {
		g := math.Exp(-sq((u-p.squeezeU)/(0.6*p.rad))) * smoothstep(-0.4*p.rad, 0.4*p.rad, v*p.squeezeSide)
		d += p.squeeze * p.rad * g
	}
	return d
}

func sq(v float64) float64 { return v * v }

// printSDF is the distance to the printed code "500" on the body half.
func (c *capsule) printSDF(p capsulePose, u, v float64) float64 {
	d := math.Inf(1)
	gh := 0.38 * p.rad // half glyph height
	gw := 0.42 * p.rad // glyph width
	for g := 0; g < 3; g++ {
		cu := p.half*0.45 + (float64(g)-1)*gw*1.6
		cv := 0.0
		if g == p.printShift {
			cu += p.shiftU
			cv += p.shift
		}
		segs := digitSegments[min(g, 1)]
		for s, sg := range segs {
			if p.printDrop&(1<<(7*g+s)) != 0 {
				continue
			}
			a := pt{cu + sg[0]*gw, cv + sg[1]*gh}
			b := pt{cu + sg[2]*gw, cv + sg[3]*gh}
			d = math.Min(d, segDist(pt{u, v}, a, b))
		}
	}
	return d - 0.07*p.rad
}

func (c *capsule) render(d *drawing, p capsulePose) (*canvas, field) {
	img := newCanvas(d.size, d.size)
	body := make(field, d.size*d.size)
	shadowOff := 0.25 * p.rad
	img.fill(func(x, y float64) rgb {
		u, v := c.local(p, x, y)
		bg := c.tray.scale(float32(0.96 + 0.06*fbm(d.ref(x)/20, d.ref(y)/20, 2, p.seed)))
		ds := c.bodySDF(p, u, v-shadowOff)
		bg = bg.scale(float32(1 - 0.18*(1-smoothstep(-0.3*p.rad, 0.5*p.rad, ds))))
		dist := c.bodySDF(p, u, v)
		a := coverage(dist)
		body[int(y)*d.size+int(x)] = a
		if a == 0 {
			return bg
		}
		n := clamp01(math.Abs(v) / p.rad)
		shade := 0.6 + 0.4*math.Sqrt(1-n*n) + 0.35*math.Exp(-sq((v/p.rad+0.5)/0.14))
		col := c.body
		if u < 0 {
			col = c.cap
			shade += 0.15 * math.Exp(-sq((v/p.rad+0.5)/0.14))
		} else {
			col = col.lerp(c.ink, coverage(c.printSDF(p, u, v)/math.Max(1, d.px(0.004))))
		}
		seam := 1 - 0.35*math.Exp(-sq(u/math.Max(0.7, d.px(0.004))))
		return bg.lerp(col.scale(float32(shade*seam)), a)
	})
	return img, body
}

func (c *capsule) draw(d *drawing, defects []string) error {
	r := d.r
	p := capsulePose{
		c:    pt{d.px(0.5 + uniform(r, -0.02, 0.02)), d.px(0.5 + uniform(r, -0.02, 0.02))},
		half: d.px(uniform(r, 0.37, 0.39)), rad: d.px(uniform(r, 0.13, 0.14)),
		rot: uniform(r, -0.05, 0.05), printShift: -1, seed: r.Uint64(),
	}
	if r.IntN(2) == 0 {
		p.rot += math.Pi // capsules lie either way round
	}
	clean := p
	geometric := false
	for _, name := range defects {
		switch name {
		case "squeeze":
			p.squeeze = uniform(r, 0.2, 0.4)
			p.squeezeU = uniform(r, -0.6, 0.6) * p.half
			p.squeezeSide = float64(2*r.IntN(2) - 1)
			geometric = true
		case "faulty_imprint":
			if r.IntN(2) == 0 {
				for n := 2 + r.IntN(4); n > 0; n-- {
					p.printDrop |= 1 << (7*r.IntN(3) + r.IntN(5))
				}
			} else {
				p.printShift = r.IntN(3)
				p.shiftU, p.shift = uniform(r, -0.25, 0.25)*p.rad, uniform(r, 0.25, 0.45)*p.rad*float64(2*r.IntN(2)-1)
			}
			geometric = true
		}
	}
	var img *canvas
	img, d.fg = c.render(d, p)
	if geometric {
		before, _ := c.render(d, clean)
		d.markDiff(before, img, 0.08)
	}
	d.img = img
	for _, name := range defects {
		switch name {
		case "squeeze", "faulty_imprint":
		case "crack":
			s := d.spot(0.15)
			pts := crackPath(r, s, r.Float64()*2*math.Pi, d.px(0.015), 3+r.IntN(4), 0.6)
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.005, 0.9)), true, toward(rgb{0.08, 0.06, 0.05}, uniform(r, 0.5, 0.8)))
		case "poke":
			s := d.spot(0.15)
			rad := d.px(uniform(r, 0.008, 0.018))
			d.apply(discField(d.size, d.size, s, math.Max(rad, 1)), true, toward(rgb{0.2, 0.12, 0.08}, uniform(r, 0.55, 0.85)))
		default:
			return errUnknownDefect("capsule", name)
		}
	}
	return nil
}
