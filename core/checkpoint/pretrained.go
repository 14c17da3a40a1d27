package checkpoint

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/anomalyncd/ancd/core/optim"
)

// LoadReport says what [LoadPretrained] did; every list is sorted.
type LoadReport struct {
	Loaded       []string // model parameters filled from the file
	Missing      []string // model parameters the file does not have (left as they were)
	Unused       []string // file tensors (after name mapping) that match no parameter
	Interpolated []string // parameters resized from another grid (pos_embed)
}

// hfRules map Hugging Face ViT names (after stripping "vit.") to timm names.
var hfRules = []struct {
	re   *regexp.Regexp
	timm string
}{
	{regexp.MustCompile(`^embeddings\.cls_token$`), "cls_token"},
	{regexp.MustCompile(`^embeddings\.position_embeddings$`), "pos_embed"},
	{regexp.MustCompile(`^embeddings\.patch_embeddings\.projection\.(weight|bias)$`), "patch_embed.proj.$1"},
	{regexp.MustCompile(`^encoder\.layer\.(\d+)\.layernorm_before\.(weight|bias)$`), "blocks.$1.norm1.$2"},
	{regexp.MustCompile(`^encoder\.layer\.(\d+)\.attention\.output\.dense\.(weight|bias)$`), "blocks.$1.attn.proj.$2"},
	{regexp.MustCompile(`^encoder\.layer\.(\d+)\.layernorm_after\.(weight|bias)$`), "blocks.$1.norm2.$2"},
	{regexp.MustCompile(`^encoder\.layer\.(\d+)\.intermediate\.dense\.(weight|bias)$`), "blocks.$1.mlp.fc1.$2"},
	{regexp.MustCompile(`^encoder\.layer\.(\d+)\.output\.dense\.(weight|bias)$`), "blocks.$1.mlp.fc2.$2"},
	{regexp.MustCompile(`^layernorm\.(weight|bias)$`), "norm.$1"},
}

// hfQKV matches the separate query/key/value projections that timm stacks
// into one qkv tensor (q, k, v along the first axis).
var hfQKV = regexp.MustCompile(`^encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)\.(weight|bias)$`)

// TimmName maps a file tensor name to the timm name of the model parameter.
// The prefixes "module.", "backbone." and "vit." are stripped; Hugging Face
// names are translated; timm names pass through. For a query/key/value
// projection it returns the qkv name and the part index 0, 1 or 2; for every
// other name part is -1.
func TimmName(name string) (timm string, part int) {
	for _, p := range []string{"module.", "backbone.", "vit."} {
		name = strings.TrimPrefix(name, p)
	}
	if m := hfQKV.FindStringSubmatch(name); m != nil {
		return "blocks." + m[1] + ".attn.qkv." + m[3], map[string]int{"query": 0, "key": 1, "value": 2}[m[2]]
	}
	for _, r := range hfRules {
		if r.re.MatchString(name) {
			return r.re.ReplaceAllString(name, r.timm), -1
		}
	}
	return name, -1
}

// LoadPretrained copies the tensors of a DINO ViT safetensors file (timm or
// Hugging Face naming) into params by name. Shapes must match, with one
// exception: a position embedding [1, 1+g², D] for another square patch grid
// is resized to the model's grid with bicubic interpolation
// (PyTorch's align_corners=False, A=−0.75, border clamped, no antialias),
// the class-token row kept as is. Any other mismatch is an error naming the
// tensor. Parameters the file lacks (projector, heads) are left unchanged
// and listed in the report.
func LoadPretrained(path string, params []*optim.Param) (LoadReport, error) {
	f, err := ReadFile(path)
	if err != nil {
		return LoadReport{}, err
	}
	direct := map[string]Tensor{}
	qkv := map[string]*[3]Tensor{}
	for _, t := range f.Tensors {
		name, part := TimmName(t.Name)
		if part < 0 {
			if _, dup := direct[name]; dup {
				return LoadReport{}, fmt.Errorf("checkpoint: %s: two tensors map to %q (second: %q)", path, name, t.Name)
			}
			direct[name] = t
			continue
		}
		if qkv[name] == nil {
			qkv[name] = &[3]Tensor{}
		}
		qkv[name][part] = t
	}
	for name, parts := range qkv {
		st, err := stackQKV(parts)
		if err != nil {
			return LoadReport{}, fmt.Errorf("checkpoint: %s: %s: %w", path, name, err)
		}
		if _, dup := direct[name]; dup {
			return LoadReport{}, fmt.Errorf("checkpoint: %s: %q given both stacked and as query/key/value", path, name)
		}
		direct[name] = st
	}
	var rep LoadReport
	used := map[string]bool{}
	type fill struct {
		p    *optim.Param
		data []float32
	}
	var fills []fill
	for _, p := range params {
		t, ok := direct[p.Name]
		if !ok {
			rep.Missing = append(rep.Missing, p.Name)
			continue
		}
		used[p.Name] = true
		data := t.Data
		if !sameShape(t.Shape, p.Shape) {
			if p.Name != "pos_embed" {
				return LoadReport{}, fmt.Errorf("checkpoint: %s: tensor %q (for %q) has shape %v, model wants %v", path, t.Name, p.Name, t.Shape, p.Shape)
			}
			data, err = resizePosEmbed(t, p.Shape)
			if err != nil {
				return LoadReport{}, fmt.Errorf("checkpoint: %s: tensor %q: %w", path, t.Name, err)
			}
			rep.Interpolated = append(rep.Interpolated, p.Name)
		}
		fills = append(fills, fill{p, data})
		rep.Loaded = append(rep.Loaded, p.Name)
	}
	for name := range direct {
		if !used[name] {
			rep.Unused = append(rep.Unused, name)
		}
	}
	for _, fl := range fills {
		copy(fl.p.Value, fl.data)
	}
	for _, l := range [][]string{rep.Loaded, rep.Missing, rep.Unused, rep.Interpolated} {
		sort.Strings(l)
	}
	return rep, nil
}

// stackQKV concatenates query, key and value along the first axis.
func stackQKV(parts *[3]Tensor) (Tensor, error) {
	for i, n := range []string{"query", "key", "value"} {
		if parts[i].Name == "" {
			return Tensor{}, fmt.Errorf("no %s tensor", n)
		}
		if !sameShape(parts[i].Shape, parts[0].Shape) || len(parts[i].Shape) == 0 {
			return Tensor{}, fmt.Errorf("%q has shape %v, %q has %v", parts[i].Name, parts[i].Shape, parts[0].Name, parts[0].Shape)
		}
	}
	shape := append([]int(nil), parts[0].Shape...)
	shape[0] *= 3
	data := make([]float32, 0, 3*len(parts[0].Data))
	for _, p := range parts {
		data = append(data, p.Data...)
	}
	return Tensor{Name: parts[0].Name, Shape: shape, Data: data}, nil
}

// resizePosEmbed resizes a [1, 1+g², D] position embedding to want
// [1, 1+h², D] by bicubic interpolation of the patch grid.
func resizePosEmbed(t Tensor, want []int) ([]float32, error) {
	if len(t.Shape) != 3 || len(want) != 3 || t.Shape[0] != 1 || want[0] != 1 || t.Shape[2] != want[2] {
		return nil, fmt.Errorf("position embedding shape %v cannot be resized to %v", t.Shape, want)
	}
	gin, gout := isqrt(t.Shape[1]-1), isqrt(want[1]-1)
	if gin < 1 || gout < 1 || gin*gin != t.Shape[1]-1 || gout*gout != want[1]-1 {
		return nil, fmt.Errorf("position embedding %v or %v is not 1 + a square grid", t.Shape, want)
	}
	d := want[2]
	out := make([]float32, want[1]*d)
	copy(out[:d], t.Data[:d])
	grid := t.Data[d:]
	wy := bicubicTaps(gin, gout)
	for oy := 0; oy < gout; oy++ {
		for ox := 0; ox < gout; ox++ {
			dst := out[d*(1+oy*gout+ox):]
			for c := 0; c < d; c++ {
				var v float64
				for _, ty := range wy[oy] {
					for _, tx := range wy[ox] {
						v += ty.w * tx.w * float64(grid[(ty.idx*gin+tx.idx)*d+c])
					}
				}
				dst[c] = float32(v)
			}
		}
	}
	return out, nil
}

type tap struct {
	idx int
	w   float64
}

// bicubicTaps returns, per output index, the four input taps of PyTorch's
// bicubic interpolation with align_corners=False.
func bicubicTaps(in, out int) [][4]tap {
	scale := float64(in) / float64(out)
	res := make([][4]tap, out)
	for o := range res {
		src := (float64(o)+0.5)*scale - 0.5
		f := math.Floor(src)
		t := src - f
		ws := cubicWeights(t)
		for k := 0; k < 4; k++ {
			idx := min(max(int(f)-1+k, 0), in-1)
			res[o][k] = tap{idx, ws[k]}
		}
	}
	return res
}

func cubicWeights(t float64) [4]float64 {
	const a = -0.75
	near := func(x float64) float64 { return ((a+2)*x-(a+3))*x*x + 1 }
	far := func(x float64) float64 { return ((a*x-5*a)*x+8*a)*x - 4*a }
	return [4]float64{far(t + 1), near(t), near(1 - t), far(2 - t)}
}

func isqrt(n int) int {
	if n < 0 {
		return -1
	}
	return int(math.Sqrt(float64(n)) + 0.5)
}
