package mgvit

// im2col writes the patches of n channel-major images [n,3,S,S] into dst
// [n*N, 3PP], each patch flattened as (channel, row, column) like the
// PyTorch conv weight [D,3,P,P]. dst is filled from image offset first.
func im2col[T float32 | float64](c Config, images []float32, n, first int, dst []T) {
	s, p, g := c.ImageSize, c.PatchSize, c.Grid()
	pp := 3 * p * p
	for i := range n {
		img := images[i*3*s*s : (i+1)*3*s*s]
		for gy := range g {
			for gx := range g {
				row := dst[((first+i)*g*g+gy*g+gx)*pp:]
				for ch := range 3 {
					for ky := range p {
						src := img[ch*s*s+(gy*p+ky)*s+gx*p:]
						for kx := range p {
							row[ch*p*p+ky*p+kx] = T(src[kx])
						}
					}
				}
			}
		}
	}
}

// poolMask average-pools n masks [n,S,S] over P×P patches and writes the
// attention key permissions into dst [n, 1+N] from image offset first:
// 1 for the [CLS] key and for patches whose mean is >= the threshold, else 0.
// The mean is summed in float64 in row-major order. With
// Config.MaskFallback MaskFallbackMax, a mask that reaches the threshold
// on no patch but covers some allows the patches of its largest mean.
func poolMask[T float32 | float64](c Config, masks []float32, n, first int, dst []T) {
	s, p, g := c.ImageSize, c.PatchSize, c.Grid()
	t := c.Tokens()
	area := float64(p * p)
	cover := make([]float64, g*g)
	for i := range n {
		m := masks[i*s*s : (i+1)*s*s]
		out := dst[(first+i)*t : (first+i+1)*t]
		out[0] = 1
		anyAllowed, best := false, 0.0
		for gy := range g {
			for gx := range g {
				var sum float64
				for ky := range p {
					for kx := range p {
						sum += float64(m[(gy*p+ky)*s+gx*p+kx])
					}
				}
				cover[gy*g+gx] = sum / area
				best = max(best, sum/area)
				out[1+gy*g+gx] = 0
				if sum/area >= c.MaskThreshold {
					out[1+gy*g+gx] = 1
					anyAllowed = true
				}
			}
		}
		if !anyAllowed && best > 0 && c.MaskFallback == MaskFallbackMax {
			for j, v := range cover {
				if v == best {
					out[1+j] = 1
				}
			}
		}
	}
}
