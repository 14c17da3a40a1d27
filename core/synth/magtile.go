package synth

import (
	"math"
	"math/rand/v2"
)

// magTile is the ground surface of a magnetic tile (MTD-like): gray, with
// uneven illumination, grinding marks and grain. Defects are small and of
// low contrast.
type magTile struct{}

func newMagTile(*rand.Rand) product { return magTile{} }

func (magTile) draw(d *drawing, defects []string) error {
	r := d.r
	level := uniform(r, 0.3, 0.6)
	th := uniform(r, 0, math.Pi)
	cs, sn := math.Cos(th), math.Sin(th)
	seed := r.Uint64()
	grind := uniform(r, 0.02, 0.06)
	d.img.fill(func(x, y float64) rgb {
		X, Y := d.ref(x), d.ref(y)
		u, v := X*cs+Y*sn, -X*sn+Y*cs
		k := level * (0.9 + 0.2*fbm(X/70, Y/70, 3, seed))
		k += grind * (fbm(u/30, v/0.9, 2, seed^1) - 0.5)
		k += 0.05 * (fbm(X/1.2, Y/1.2, 1, seed^2) - 0.5)
		k += 0.04 * (fbm(X/12, Y/12, 2, seed^4) - 0.5) // benign blotches
		return rgb{float32(k), float32(k), float32(k)}
	})
	for _, name := range defects {
		switch name {
		case "blowhole":
			for n := 1 + r.IntN(3); n > 0; n-- {
				c := d.spot(0.08)
				rad := math.Max(d.px(uniform(r, 0.01, 0.03)), 1)
				shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.7, 1), r.Float64()*math.Pi, 0.2, r.Uint64())
				k := uniform(r, 0.3, 0.6)
				d.apply(shape, false, func(i int, col rgb) rgb {
					x, y := d.xy(i)
					q := math.Hypot(x-c.x, y-c.y) / rad
					return col.scale(float32(1 - k*(1-0.5*q*q)))
				})
			}
		case "break":
			s := float64(d.size)
			var c pt
			switch t := r.Float64() * s; r.IntN(4) {
			case 0:
				c = pt{t, 0}
			case 1:
				c = pt{t, s}
			case 2:
				c = pt{0, t}
			default:
				c = pt{s, t}
			}
			rad := d.px(uniform(r, 0.08, 0.16))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.4, 0.8), r.Float64()*math.Pi, 0.45, r.Uint64())
			k, ns := uniform(r, 0.35, 0.6), r.Uint64()
			d.apply(shape, false, func(i int, col rgb) rgb {
				x, y := d.xy(i)
				return col.scale(float32(1 - k*(0.7+0.3*fbm(d.ref(x)/4, d.ref(y)/4, 2, ns))))
			})
		case "crack":
			p := d.spot(0.12)
			pts := crackPath(r, p, r.Float64()*2*math.Pi, d.px(0.02), 5+r.IntN(8), 0.8)
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.004, 0.9)), false, darken(uniform(r, 0.2, 0.45)))
		case "fray":
			c := d.spot(0.12)
			a := r.Float64() * math.Pi
			spread := d.px(uniform(r, 0.03, 0.07))
			shape := make(field, d.size*d.size)
			for n := 4 + r.IntN(5); n > 0; n-- {
				o := pt{c.x + uniform(r, -1, 1)*spread, c.y + uniform(r, -1, 1)*spread}
				l := d.px(uniform(r, 0.02, 0.05))
				aa := a + uniform(r, -0.3, 0.3)
				pts := []pt{{o.x - l/2*math.Cos(aa), o.y - l/2*math.Sin(aa)}, {o.x + l/2*math.Cos(aa), o.y + l/2*math.Sin(aa)}}
				union(shape, strokeField(d.size, d.size, pts, d.thin(0.004, 0.9)))
			}
			d.apply(shape, false, darken(uniform(r, 0.15, 0.35)))
		case "uneven":
			c := d.spot(0.2)
			rad := d.px(uniform(r, 0.1, 0.2))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.5, 1), r.Float64()*math.Pi, 0.5, r.Uint64())
			k, ns := uniform(r, 0.06, 0.14)*float64(2*r.IntN(2)-1), r.Uint64()
			d.apply(shape, false, func(i int, col rgb) rgb {
				x, y := d.xy(i)
				return col.scale(float32(1 + k*(0.6+0.8*fbm(d.ref(x)/5, d.ref(y)/5, 2, ns))))
			})
		default:
			return errUnknownDefect("mtd", name)
		}
	}
	return nil
}

// blade is a single turbine blade (AeBAD-S-like) in front of a backdrop:
// a curved, twisted airfoil with a brushed metallic surface.
type blade struct {
	metal, backdrop rgb
}

func newBlade(r *rand.Rand) product {
	return &blade{metal: rgb{0.66, 0.62, 0.54}, backdrop: rgb{0.32, 0.36, 0.42}}
}

// bladeEdges returns the blade's left and right edge x (pixels) at row y.
func bladeEdges(d *drawing, y float64, bend, width, shift float64) (float64, float64) {
	t := y / float64(d.size)
	mid := d.px(0.5+shift) + d.px(bend)*math.Sin(math.Pi*t)
	half := d.px(width) * (0.75 + 0.35*t)
	return mid - half, mid + half
}

func (b *blade) draw(d *drawing, defects []string) error {
	r := d.r
	bend, width, shift := uniform(r, -0.1, 0.1), uniform(r, 0.2, 0.25), uniform(r, -0.05, 0.05)
	seed := r.Uint64()
	spec := uniform(r, 0.3, 0.7)
	back := newCanvas(d.size, d.size)
	back.fill(func(x, y float64) rgb {
		return b.backdrop.scale(float32(0.8 + 0.3*y/float64(d.size) + 0.1*fbm(d.ref(x)/30, d.ref(y)/30, 2, seed)))
	})
	d.fg = make(field, d.size*d.size)
	d.img.fill(func(x, y float64) rgb {
		i := int(y)*d.size + int(x)
		l, rt := bladeEdges(d, y, bend, width, shift)
		a := coverage(math.Max(l-x, x-rt))
		d.fg[i] = a
		if a == 0 {
			return back.pix[i]
		}
		t := (x - l) / (rt - l)
		k := 0.7 + 0.45*math.Exp(-sq((t-spec)/0.12)) - 0.25*t*t
		k += 0.12 * (fbm(d.ref(x)/1.5, d.ref(y)/40, 2, seed^5) - 0.5)
		k *= 1 - 0.35*math.Exp(-sq(t/0.05))
		return back.pix[i].lerp(b.metal.scale(float32(k)), a)
	})
	for _, name := range defects {
		switch name {
		case "breakdown":
			y := d.px(uniform(r, 0.15, 0.85))
			l, rt := bladeEdges(d, y, bend, width, shift)
			x := l
			if r.IntN(2) == 0 {
				x = rt
			}
			rad := d.px(uniform(r, 0.05, 0.1))
			shape := blobField(d.size, d.size, pt{x, y}, rad, rad*uniform(r, 0.6, 1), r.Float64()*math.Pi, 0.35, r.Uint64())
			d.apply(shape, true, func(i int, _ rgb) rgb { return back.pix[i] })
		case "ablation":
			c := d.spot(0.1)
			rad := d.px(uniform(r, 0.04, 0.09))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.5, 1), r.Float64()*math.Pi, 0.5, r.Uint64())
			k, ns := uniform(r, 0.5, 0.85), r.Uint64()
			d.apply(shape, true, func(i int, col rgb) rgb {
				x, y := d.xy(i)
				return col.lerp(rgb{0.22, 0.13, 0.08}, float32(k*(0.5+0.5*fbm(d.ref(x)/3, d.ref(y)/3, 3, ns))))
			})
		case "fracture":
			y := d.px(uniform(r, 0.15, 0.85))
			l, rt := bladeEdges(d, y, bend, width, shift)
			start, dir := pt{l, y}, 0.0
			if r.IntN(2) == 0 {
				start, dir = pt{rt, y}, math.Pi
			}
			pts := crackPath(r, start, dir+uniform(r, -0.5, 0.5), d.px(0.02), 4+r.IntN(6), 0.5)
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.006, 1)), true, toward(rgb{0.08, 0.07, 0.07}, uniform(r, 0.6, 0.85)))
		case "groove":
			c := d.spot(0.12)
			a := uniform(r, -0.5, 0.5) + math.Pi/2*float64(r.IntN(2))
			l := d.px(uniform(r, 0.1, 0.2))
			gap := d.thin(0.02, 2.5)
			shape := make(field, d.size*d.size)
			for n := 0; n < 2+r.IntN(2); n++ {
				o := pt{c.x - float64(n)*gap*math.Sin(a), c.y + float64(n)*gap*math.Cos(a)}
				pts := []pt{{o.x - l/2*math.Cos(a), o.y - l/2*math.Sin(a)}, {o.x + l/2*math.Cos(a), o.y + l/2*math.Sin(a)}}
				union(shape, strokeField(d.size, d.size, pts, d.thin(0.006, 1)))
			}
			d.apply(shape, true, darken(uniform(r, 0.3, 0.55)))
		default:
			return errUnknownDefect("aebad", name)
		}
	}
	return nil
}
