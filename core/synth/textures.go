package synth

import (
	"math"
	"math/rand/v2"
)

// fabric is a woven cloth: two interlaced thread systems with slubs.
type fabric struct {
	base   rgb     // thread colour
	backer rgb     // what shows through a hole
	period float64 // thread period, reference units
	angle  float64 // weave orientation
	seed   uint64
}

func newFabric(r *rand.Rand) product {
	palette := []rgb{{0.58, 0.45, 0.32}, {0.26, 0.33, 0.47}, {0.47, 0.22, 0.19}, {0.37, 0.4, 0.31}}
	return &fabric{base: palette[r.IntN(len(palette))], backer: rgb{0.06, 0.05, 0.05},
		period: uniform(r, 9, 12), angle: uniform(r, -0.2, 0.2), seed: r.Uint64()}
}

func (f *fabric) draw(d *drawing, defects []string) error {
	r := d.r
	th := f.angle + uniform(r, -0.05, 0.05)
	ca, sa := math.Cos(th), math.Sin(th)
	ox, oy := uniform(r, 0, 1000), uniform(r, 0, 1000)
	seed := r.Uint64()
	tint := f.base.scale(float32(uniform(r, 0.95, 1.05)))
	d.img.fill(func(x, y float64) rgb {
		X, Y := d.ref(x), d.ref(y)
		u, v := (X*ca+Y*sa)/f.period+ox, (-X*sa+Y*ca)/f.period+oy
		iu, iv := math.Floor(u), math.Floor(v)
		fu, fv := u-iu, v-iv
		warp := math.Sin(math.Pi * fu)
		weft := math.Sin(math.Pi * fv)
		var t float64
		if (int64(iu)+int64(iv))&1 == 0 {
			t = warp * (0.75 + 0.25*weft)
		} else {
			t = weft * (0.75 + 0.25*warp)
		}
		slub := fbm(u*0.35, v*0.08, 3, seed)
		k := (0.45 + 0.55*t) * (0.8 + 0.4*slub)
		return tint.scale(float32(k))
	})
	for _, name := range defects {
		switch name {
		case "hole":
			c := d.spot(0.1)
			rad := d.px(uniform(r, 0.025, 0.06))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.6, 1), r.Float64()*math.Pi, 0.35, r.Uint64())
			d.apply(shape, false, toward(f.backer, 0.92))
		case "stain":
			c := d.spot(0.1)
			rad := d.px(uniform(r, 0.04, 0.09))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.5, 1), r.Float64()*math.Pi, 0.5, r.Uint64())
			col := []rgb{{0.35, 0.25, 0.12}, {0.15, 0.15, 0.15}, {0.65, 0.6, 0.45}}[r.IntN(3)]
			k, ns := uniform(r, 0.25, 0.6), r.Uint64()
			d.apply(shape, false, func(i int, c rgb) rgb {
				x, y := d.xy(i)
				return c.lerp(col, float32(k*(0.6+0.4*fbm(d.ref(x)/6, d.ref(y)/6, 2, ns))))
			})
		case "thread":
			p := d.spot(0.15)
			pts := curvePath(r, p, r.Float64()*2*math.Pi, d.px(uniform(r, 0.12, 0.3)), uniform(r, -2, 2))
			col := []rgb{{0.9, 0.88, 0.8}, {0.08, 0.08, 0.1}, f.base.scale(1.6)}[r.IntN(3)]
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.006, 1)), false, toward(col, uniform(r, 0.6, 0.9)))
		case "cut":
			p := d.spot(0.12)
			a := r.Float64() * math.Pi
			l := d.px(uniform(r, 0.06, 0.16))
			pts := []pt{{p.x - l/2*math.Cos(a), p.y - l/2*math.Sin(a)}, {p.x + l/2*math.Cos(a), p.y + l/2*math.Sin(a)}}
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.012, 1.2)), false, toward(f.backer, uniform(r, 0.55, 0.85)))
		default:
			return errUnknownDefect("fabric", name)
		}
	}
	return nil
}

// wood is a planed board: growth rings distorted by noise and fine grain
// streaks along the fibre direction (vertical).
type wood struct {
	light, dark rgb
	ring        float64 // ring period, reference units
	seed        uint64
}

func newWood(r *rand.Rand) product {
	return &wood{light: rgb{0.78, 0.6, 0.42}.scale(float32(uniform(r, 0.9, 1.05))), dark: rgb{0.5, 0.33, 0.2},
		ring: uniform(r, 18, 28), seed: r.Uint64()}
}

func (w *wood) draw(d *drawing, defects []string) error {
	r := d.r
	ox, oy := uniform(r, 0, 5000), uniform(r, 0, 5000)
	th := uniform(r, -0.04, 0.04)
	seed := r.Uint64()
	ring := w.ring * uniform(r, 0.85, 1.15)
	d.img.fill(func(x, y float64) rgb {
		X, Y := d.ref(x), d.ref(y)
		X, Y = X+th*Y+ox, Y+oy
		warp := 40 * fbm(X/90, Y/400, 3, seed)
		ph := (X + warp) / ring
		f := ph - math.Floor(ph)
		late := smoothstep(0.55, 0.8, f) * (1 - smoothstep(0.88, 1, f))
		grain := fbm(X/1.6, Y/45, 3, seed^0x5a5a)
		k := 0.55*late + 0.35*grain + 0.1*fbm(X/30, Y/30, 2, seed^0x77)
		return w.light.lerp(w.dark, float32(k))
	})
	for _, name := range defects {
		switch name {
		case "scratch":
			p := d.spot(0.15)
			pts := curvePath(r, p, uniform(r, 0, 2*math.Pi), d.px(uniform(r, 0.2, 0.45)), uniform(r, -0.6, 0.6))
			col := []rgb{{0.92, 0.82, 0.68}, {0.3, 0.18, 0.1}}[r.IntN(2)]
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.006, 1)), false, toward(col, uniform(r, 0.35, 0.7)))
		case "hole":
			c := d.spot(0.1)
			rad := d.px(uniform(r, 0.012, 0.03))
			shape := discField(d.size, d.size, c, rad)
			d.apply(shape, false, func(i int, col rgb) rgb {
				x, y := d.xy(i)
				q := math.Hypot(x-c.x, y-c.y) / rad
				return col.lerp(rgb{0.1, 0.06, 0.04}, float32(0.95-0.35*q*q))
			})
		case "liquid":
			c := d.spot(0.15)
			rad := d.px(uniform(r, 0.06, 0.12))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.5, 1), r.Float64()*math.Pi, 0.45, r.Uint64())
			k := uniform(r, 0.08, 0.2)
			d.apply(shape, false, func(i int, col rgb) rgb {
				x, y := d.xy(i)
				q := math.Hypot(x-c.x, y-c.y) / rad
				return col.scale(float32(1 - k*(1.1-0.4*q)))
			})
		case "color":
			c := d.spot(0.12)
			rad := d.px(uniform(r, 0.035, 0.08))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.5, 1), r.Float64()*math.Pi, 0.4, r.Uint64())
			col := []rgb{{0.7, 0.2, 0.2}, {0.25, 0.35, 0.7}, {0.3, 0.55, 0.3}}[r.IntN(3)]
			d.apply(shape, false, toward(col, uniform(r, 0.2, 0.45)))
		default:
			return errUnknownDefect("wood", name)
		}
	}
	return nil
}

// tile is glazed ceramic: square tiles with grout joints, speckled glaze and
// a slight shade difference per tile.
type tile struct {
	glaze, grout, speck rgb
	period              float64 // tile pitch, reference units
}

func newTile(r *rand.Rand) product {
	palette := []rgb{{0.72, 0.72, 0.7}, {0.7, 0.64, 0.55}, {0.55, 0.6, 0.62}}
	return &tile{glaze: palette[r.IntN(len(palette))], grout: rgb{0.36, 0.35, 0.33}, speck: rgb{0.25, 0.25, 0.27},
		period: uniform(r, 110, 140)}
}

func (t *tile) draw(d *drawing, defects []string) error {
	r := d.r
	ox, oy := uniform(r, 0, t.period), uniform(r, 0, t.period)
	seed := r.Uint64()
	joint := 0.045 * t.period
	px := refSize / float64(d.size) // one pixel in reference units
	d.img.fill(func(x, y float64) rgb {
		X, Y := d.ref(x)+ox, d.ref(y)+oy
		ix, iy := math.Floor(X/t.period), math.Floor(Y/t.period)
		fx, fy := X-ix*t.period, Y-iy*t.period
		edge := math.Min(math.Min(fx, t.period-fx), math.Min(fy, t.period-fy)) // ref units to the joint centre line
		shade := 0.94 + 0.12*lattice(int64(ix), int64(iy), seed)
		glaze := t.glaze.scale(float32(shade * (0.93 + 0.14*fbm(X/25, Y/25, 3, seed^1))))
		sp := fbm(X/2.2, Y/2.2, 2, seed^2)
		glaze = glaze.lerp(t.speck, float32(0.8*smoothstep(0.66, 0.76, sp)))
		g := coverage((edge - joint/2) / px)
		return glaze.lerp(t.grout.scale(float32(0.9+0.2*fbm(X/3, Y/3, 2, seed^3))), g)
	})
	for _, name := range defects {
		switch name {
		case "crack":
			p := d.spot(0.15)
			pts := crackPath(r, p, r.Float64()*2*math.Pi, d.px(0.025), 6+r.IntN(8), 0.7)
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.005, 0.9)), false, toward(rgb{0.12, 0.12, 0.12}, uniform(r, 0.5, 0.8)))
		case "glue_strip":
			p := d.spot(0.2)
			pts := curvePath(r, p, r.Float64()*2*math.Pi, d.px(uniform(r, 0.2, 0.4)), uniform(r, -0.5, 0.5))
			d.apply(strokeField(d.size, d.size, pts, d.px(uniform(r, 0.03, 0.06))), false, toward(rgb{0.9, 0.88, 0.75}, uniform(r, 0.12, 0.3)))
		case "gray_stroke":
			p := d.spot(0.15)
			pts := curvePath(r, p, r.Float64()*2*math.Pi, d.px(uniform(r, 0.15, 0.35)), uniform(r, -1.2, 1.2))
			d.apply(strokeField(d.size, d.size, pts, d.thin(0.015, 1.2)), false, toward(rgb{0.45, 0.45, 0.47}, uniform(r, 0.2, 0.4)))
		case "oil":
			c := d.spot(0.12)
			rad := d.px(uniform(r, 0.04, 0.09))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.6, 1), r.Float64()*math.Pi, 0.3, r.Uint64())
			d.apply(shape, false, darken(uniform(r, 0.2, 0.4)))
		case "rough":
			c := d.spot(0.12)
			rad := d.px(uniform(r, 0.05, 0.1))
			shape := blobField(d.size, d.size, c, rad, rad*uniform(r, 0.6, 1), r.Float64()*math.Pi, 0.45, r.Uint64())
			ns, k := r.Uint64(), uniform(r, 0.12, 0.25)
			d.apply(shape, false, func(i int, col rgb) rgb {
				x, y := d.xy(i)
				n := fbm(d.ref(x)/1.5, d.ref(y)/1.5, 2, ns)
				return col.scale(float32(1 + k*(2*n-1)*1.6 - 0.05))
			})
		default:
			return errUnknownDefect("tile", name)
		}
	}
	return nil
}
