package synth

import (
	"math"
	"math/rand/v2"
)

// cable is the cut face of a three-core power cable: an outer sheath, filler
// and three insulated copper conductors in a fixed colour order.
type cable struct {
	sheath, filler, copper, bg rgb
	colours                    [3]rgb
}

func newCable(r *rand.Rand) product {
	return &cable{sheath: rgb{0.8, 0.8, 0.78}, filler: rgb{0.62, 0.62, 0.6}, copper: rgb{0.8, 0.5, 0.26},
		bg: rgb{0.12, 0.12, 0.13}, colours: [3]rgb{{0.25, 0.6, 0.3}, {0.2, 0.35, 0.75}, {0.5, 0.32, 0.2}}}
}

// cablePose is one placement plus the geometric defects.
type cablePose struct {
	c          pt
	rad, rot   float64
	order      [3]int // colour index of each conductor slot
	missing    int    // -1: none
	bent       int    // -1: none
	bentOff    pt
	notchAngle float64
	notch      float64 // notch depth in pixels; 0: none
	seed       uint64
}

func (c *cable) wireCentre(p cablePose, k int) pt {
	a := p.rot + float64(k)*2*math.Pi/3
	w := pt{p.c.x + 0.5*p.rad*math.Cos(a), p.c.y + 0.5*p.rad*math.Sin(a)}
	if k == p.bent {
		w.x, w.y = w.x+p.bentOff.x, w.y+p.bentOff.y
	}
	return w
}

func (c *cable) render(d *drawing, p cablePose) (*canvas, field, [3]field) {
	img := newCanvas(d.size, d.size)
	body := make(field, d.size*d.size)
	var insul [3]field
	for k := range insul {
		insul[k] = make(field, d.size*d.size)
	}
	ri, rc := 0.4*p.rad, 0.24*p.rad
	var centres [3]pt
	for k := range centres {
		centres[k] = c.wireCentre(p, k)
	}
	img.fill(func(x, y float64) rgb {
		i := int(y)*d.size + int(x)
		col := c.bg.scale(float32(0.8 + 0.4*fbm(d.ref(x)/10, d.ref(y)/10, 2, p.seed)))
		dx, dy := x-p.c.x, y-p.c.y
		rr := math.Hypot(dx, dy)
		ds := rr - p.rad
		if p.notch > 0 {
			na := math.Atan2(dy, dx) - p.notchAngle
			na = math.Atan2(math.Sin(na), math.Cos(na))
			dn := boxSDF(rr-p.rad, na*rr, p.notch, 0.6*p.notch)
			ds = math.Max(ds, -dn)
		}
		a := coverage(ds)
		body[i] = a
		if a == 0 {
			return col
		}
		grain := float32(0.93 + 0.14*fbm(d.ref(x)/3, d.ref(y)/3, 2, p.seed^3))
		inner := c.filler.scale(grain)
		sheath := c.sheath.scale(grain * float32(0.9+0.1*math.Cos(math.Atan2(dy, dx)+2.2)))
		mat := inner.lerp(sheath, coverage(0.86*p.rad-rr))
		for k := 0; k < 3; k++ {
			if k == p.missing {
				mat = mat.lerp(rgb{0.2, 0.2, 0.2}, 0.9*coverage(math.Hypot(x-centres[k].x, y-centres[k].y)-0.3*p.rad))
				continue
			}
			wx, wy := x-centres[k].x, y-centres[k].y
			if k == p.bent {
				wx *= 1.12
				wy *= 0.88
			}
			wr := math.Hypot(wx, wy)
			ai := coverage(wr - ri)
			if ai == 0 {
				continue
			}
			insul[k][i] = ai
			ins := c.colours[p.order[k]].scale(grain * float32(0.85+0.2*(1-wr/ri)))
			s := rc / 2.3
			su, sv := wx/s, wy/s
			bump := 1 - math.Hypot(su-math.Round(su), sv-math.Round(sv))*1.3
			cu := c.copper.scale(float32(0.55 + 0.45*clamp01(bump)))
			ins = ins.lerp(cu, coverage(wr-rc))
			mat = mat.lerp(ins, ai)
		}
		return col.lerp(mat, a)
	})
	return img, body, insul
}

func (c *cable) draw(d *drawing, defects []string) error {
	r := d.r
	p := cablePose{
		c:   pt{d.px(0.5 + uniform(r, -0.025, 0.025)), d.px(0.5 + uniform(r, -0.025, 0.025))},
		rad: d.px(uniform(r, 0.4, 0.43)), rot: -math.Pi/2 + uniform(r, -0.15, 0.15),
		order: [3]int{0, 1, 2}, missing: -1, bent: -1, seed: r.Uint64(),
	}
	clean := p
	geometric, swapped := false, [2]int{-1, -1}
	for _, name := range defects {
		switch name {
		case "missing_wire":
			p.missing = r.IntN(3)
			geometric = true
		case "bent_wire":
			p.bent = r.IntN(3)
			a := r.Float64() * 2 * math.Pi
			p.bentOff = pt{0.12 * p.rad * math.Cos(a), 0.12 * p.rad * math.Sin(a)}
		case "cable_swap":
			k := r.IntN(3)
			swapped = [2]int{k, (k + 1 + r.IntN(2)) % 3}
			p.order[swapped[0]], p.order[swapped[1]] = p.order[swapped[1]], p.order[swapped[0]]
		case "cut_outer_insulation":
			p.notchAngle = r.Float64() * 2 * math.Pi
			p.notch = uniform(r, 0.06, 0.12) * p.rad
			geometric = true
		}
	}
	img, body, insul := c.render(d, p)
	if geometric || p.bent >= 0 {
		// the reference differs only by the geometric defects
		clean.order = p.order
		before, _, beforeInsul := c.render(d, clean)
		if geometric {
			d.markDiff(before, img, 0.08)
		}
		if p.bent >= 0 {
			// a bent conductor: where its insulation was or now is
			union(d.cov, insul[p.bent])
			union(d.cov, beforeInsul[p.bent])
		}
	}
	if swapped[0] >= 0 {
		union(d.cov, insul[swapped[0]])
		union(d.cov, insul[swapped[1]])
	}
	d.img, d.fg = img, body
	for _, name := range defects {
		switch name {
		case "missing_wire", "bent_wire", "cable_swap", "cut_outer_insulation":
		case "poke_insulation":
			k := r.IntN(3)
			if k == p.missing {
				k = (k + 1) % 3
			}
			w := c.wireCentre(p, k)
			a := r.Float64() * 2 * math.Pi
			rr := uniform(r, 0.28, 0.34) * p.rad
			s := pt{w.x + rr*math.Cos(a), w.y + rr*math.Sin(a)}
			rad := math.Max(d.px(uniform(r, 0.01, 0.02)), 1)
			shape := blobField(d.size, d.size, s, rad, rad*uniform(r, 0.6, 1), a, 0.3, r.Uint64())
			d.apply(shape, false, toward(rgb{0.1, 0.08, 0.07}, uniform(r, 0.55, 0.85)))
		default:
			return errUnknownDefect("cable", name)
		}
	}
	return nil
}
