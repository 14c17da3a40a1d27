package crop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/core/mebin"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// Method names a binarization method of the stage.
type Method string

// The binarization methods (Table III). The zero value means MEBin.
const (
	MethodMEBin Method = "mebin"
	MethodFixed Method = "fixed"
	MethodOtsu  Method = "otsu"
	// MethodMask takes the ground-truth masks as the binary masks (the
	// paper's Sec. IV-C9 upper bound, Table X); see StageConfig.GTMask.
	MethodMask Method = "mask"
)

// StageConfig configures RunStage. The zero value of every optional field is
// the reference behaviour.
type StageConfig struct {
	// MapsRoot holds the anomaly maps (dataset.ReadMapSets layouts).
	MapsRoot string
	// ImagesRoot optionally mirrors the maps layout with the images; without
	// it, boxes are computed for an image of the map's size and no RGB crops
	// are written.
	ImagesRoot string
	// Out is the output folder, written atomically (replaced when present).
	Out string
	// Method selects the binarization; "" means MethodMEBin.
	Method Method
	// Theta is the fixed threshold on the normalised [0,1] scale (MethodFixed).
	Theta float64
	// Params configures MEBin and the erosion; Params.Workers also bounds the
	// maps cropped concurrently. Output does not depend on it.
	Params mebin.Params
	// AnomalyThred is the pseudo-label weight threshold; nil means
	// DefaultAnomalyThred (0.5), -1 switches weights off.
	AnomalyThred *float64
	// IncludeCombined also binarizes and crops each category's combined-type
	// maps (two defect classes in one image) with MEBin at the category's
	// search range, which they do not enter (the reference excludes them from
	// the set). Their records follow the set's. Ignored for Fixed and Otsu.
	IncludeCombined bool
	// SkipCrops writes no crops/ and mask_crops/ (boxes, scores and weights
	// still go to mebin.json); ancd binarize sets it unless crops are asked
	// for (--images or --crops).
	SkipCrops bool
	// WriteDir builds the output folder (nil: atomicfile.Dir); the CLI
	// passes one that never removes a user's files.
	WriteDir atomicfile.DirFunc
	// GTMask returns the ground-truth mask file of a map's paired image
	// (category and type folder as in the maps root, image path as paired),
	// or "" when the image has no defect mask (a normal image). MethodMask
	// needs it and ImagesRoot: each map's binary mask is its image's
	// ground-truth mask (foreground > 0), est_anomaly_num is the number of
	// its outer regions (so every region gives a box, as MEBin's masks do),
	// and scores and weights come from the map normalised by the set's MEBin
	// search range, as usual.
	GTMask func(category, defectType, image string) (string, error)
	// Progress, when set, is called after each map with the number done and
	// the total; it may be called from several goroutines.
	Progress func(done, total int)
}

// ReportFile is the report RunStage writes into its output folder.
const ReportFile = "mebin.json"

// ReadReport reads the ReportFile that RunStage wrote into dir; errors name
// the file.
func ReadReport(dir string) (Report, error) {
	var rep Report
	path := filepath.Join(dir, ReportFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return rep, err
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return rep, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}

// Report is the content of OUT/mebin.json (ReportFile).
type Report struct {
	Method string      `json:"method"`
	Theta  *jsonFloat  `json:"theta,omitempty"`
	Sets   []SetRecord `json:"sets"`
	Maps   []Record    `json:"maps"`
}

// SetRecord is the search range of one map set.
type SetRecord struct {
	Category string `json:"category"`
	MinTh    int    `json:"min_th"`
	MaxTh    int    `json:"max_th"`
	NumMaps  int    `json:"num_maps"`
}

// Record is the binarization and cropping of one map.
type Record struct {
	File string `json:"file"`
	// Image is the paired image, relative to the images root ("" without one).
	Image         string         `json:"image,omitempty"`
	MinTh         int            `json:"min_th"`
	MaxTh         int            `json:"max_th"`
	Counts        []int          `json:"counts"`
	Threshold     int            `json:"threshold"`
	EstAnomalyNum int            `json:"est_anomaly_num"`
	MaskSHA256    string         `json:"mask_sha256"`
	Boxes         [][4]jsonFloat `json:"boxes"`
	Scores        []jsonFloat    `json:"scores"`
	Weights       []jsonFloat    `json:"weights"`
	// Crops are the crop file names (<stem>_crop<k>.png) in box order.
	Crops []string `json:"crops"`
	// MaskPixels is the number of 255 pixels in each mask crop.
	MaskPixels []int `json:"mask_pixels"`
}

// encode writes the report as JSON with one line per set and per map, so
// that the file diffs line by line.
func (r *Report) encode() ([]byte, error) {
	var buf bytes.Buffer
	head, err := json.Marshal(struct {
		Method string     `json:"method"`
		Theta  *jsonFloat `json:"theta,omitempty"`
	}{r.Method, r.Theta})
	if err != nil {
		return nil, err
	}
	buf.Write(head[:len(head)-1]) // without the closing brace
	list := func(name string, n int, item func(i int) any) error {
		fmt.Fprintf(&buf, ",\n%q: [", name)
		for i := 0; i < n; i++ {
			b, err := json.Marshal(item(i))
			if err != nil {
				return err
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString("\n  ")
			buf.Write(b)
		}
		buf.WriteString("\n]")
		return nil
	}
	if err := list("sets", len(r.Sets), func(i int) any { return r.Sets[i] }); err != nil {
		return nil, err
	}
	if err := list("maps", len(r.Maps), func(i int) any { return r.Maps[i] }); err != nil {
		return nil, err
	}
	buf.WriteString("\n}\n")
	return buf.Bytes(), nil
}

// jsonFloat encodes NaN (the reference's 0/0 score) as null and other values
// in Go's shortest round-trip form.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// MaskSHA256 returns the hex sha256 of the row-major H x W 0/255 mask bytes.
func MaskSHA256(m *image.Gray) string {
	h := sha256.New()
	w := m.Rect.Dx()
	for y := 0; y < m.Rect.Dy(); y++ {
		h.Write(m.Pix[y*m.Stride : y*m.Stride+w])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// RunStage binarizes every map set under cfg.MapsRoot, cuts the crops and
// writes the output folder described in the package doc. Nothing is left at
// cfg.Out on error.
func RunStage(cfg StageConfig) (*Report, error) {
	if cfg.Out == "" {
		return nil, fmt.Errorf("crop: no output folder")
	}
	method := cfg.Method
	if method == "" {
		method = MethodMEBin
	}
	thred := DefaultAnomalyThred
	if cfg.AnomalyThred != nil {
		thred = *cfg.AnomalyThred
	}
	workers := cfg.Params.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if method == MethodMask && (cfg.GTMask == nil || cfg.ImagesRoot == "") {
		return nil, fmt.Errorf("crop: binarization %q needs the images and their ground-truth masks", method)
	}
	// one category's maps are decoded at a time (real datasets do not fit)
	sets, err := dataset.ListMapSets(cfg.MapsRoot)
	if err != nil {
		return nil, err
	}
	report := &Report{Method: string(method)}
	if method == MethodFixed {
		th := jsonFloat(cfg.Theta)
		report.Theta = &th
	}
	total := 0
	for _, s := range sets {
		total += len(s.Files)
	}
	var done atomic.Int64
	var pngs imageio.DirPNGWriter
	err = cfg.WriteDir.Build(cfg.Out, func(tmp string) error {
		for _, set := range sets {
			if err := set.Load(cfg.MapsRoot); err != nil {
				return err
			}
			var images []string
			if cfg.ImagesRoot != "" {
				if images, err = dataset.PairImages(set, cfg.ImagesRoot); err != nil {
					return err
				}
			}
			var r mebin.Range
			var results []mebin.Result
			if method == MethodMask {
				r, results, err = gtMasks(set, images, cfg.GTMask)
			} else {
				r, results, err = binarizeSet(set, method, cfg.Theta, cfg.Params)
			}
			if err != nil {
				return fmt.Errorf("category %q of %s: %w", set.Category, cfg.MapsRoot, err)
			}
			report.Sets = append(report.Sets, SetRecord{Category: set.Category, MinTh: int(r.Min), MaxTh: int(r.Max), NumMaps: len(set.Maps)})
			records := make([]Record, len(set.Maps))
			g, _ := errgroup.WithContext(context.Background())
			g.SetLimit(workers)
			for i := range set.Maps {
				g.Go(func() error {
					var imgPath string
					if images != nil {
						imgPath = images[i]
					}
					rec, err := cropOne(&pngs, cfg.SkipCrops, tmp, cfg.MapsRoot, set.Files[i], cfg.ImagesRoot, imgPath, set.Maps[i], r, results[i], thred)
					if err != nil {
						return err
					}
					records[i] = rec
					if cfg.Progress != nil {
						cfg.Progress(int(done.Add(1)), total)
					}
					return nil
				})
			}
			if err := g.Wait(); err != nil {
				return err
			}
			report.Maps = append(report.Maps, records...)
			if cfg.IncludeCombined && method == MethodMEBin && set.Category != "" {
				recs, err := cropCombined(&pngs, tmp, cfg, set.Category, r, thred)
				if err != nil {
					return err
				}
				report.Maps = append(report.Maps, recs...)
			}
		}
		data, err := report.encode()
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(filepath.Join(tmp, ReportFile), data)
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// gtMasks returns the set's MEBin search range (for the scores) and, per
// map, its image's ground-truth mask as the binary mask.
func gtMasks(set dataset.MapSet, images []string, gtMask func(category, defectType, image string) (string, error)) (mebin.Range, []mebin.Result, error) {
	r, err := mebin.SearchRange(set.Maps)
	if err != nil {
		return r, nil, err
	}
	out := make([]mebin.Result, len(set.Maps))
	for i, m := range set.Maps {
		path, err := gtMask(set.Category, set.Types[i], images[i])
		if err != nil {
			return r, nil, err
		}
		mask := image.NewGray(image.Rect(0, 0, m.Rect.Dx(), m.Rect.Dy()))
		if path != "" {
			g, err := imageio.ReadGray(path)
			if err != nil {
				return r, nil, err
			}
			if err := imageio.SameSize(path, g.Rect, set.Files[i], m.Rect); err != nil {
				return r, nil, err
			}
			for y := 0; y < g.Rect.Dy(); y++ {
				row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
				for x, v := range row {
					if v > 0 {
						mask.Pix[y*mask.Stride+x] = 255
					}
				}
			}
		}
		out[i] = mebin.Result{Mask: mask, EstAnomalyNum: len(OuterRects(mask))}
	}
	return r, out, nil
}

func binarizeSet(set dataset.MapSet, method Method, theta float64, p mebin.Params) (mebin.Range, []mebin.Result, error) {
	switch method {
	case MethodMEBin:
		return mebin.Binarize(set.Maps, p)
	case MethodFixed:
		return mebin.Fixed(set.Maps, theta, p)
	case MethodOtsu:
		return mebin.Otsu(set.Maps, p)
	}
	return mebin.Range{}, nil, fmt.Errorf("unknown binarization method %q (want mebin, fixed, otsu or mask)", method)
}

// cropOne writes the mask and crops of one map under tmp and returns its
// record.
func cropOne(pngs *imageio.DirPNGWriter, skipCrops bool, tmp, mapsRoot, file, imagesRoot, imgPath string, m *image.Gray, r mebin.Range, res mebin.Result, thred float64) (Record, error) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	var img *image.RGBA
	stem := dataset.FileStem(file)
	if imgPath != "" {
		var err error
		if img, err = imageio.ReadRGB(imgPath); err != nil {
			return Record{}, err
		}
		if err := imageio.SameSize(filepath.Join(mapsRoot, filepath.FromSlash(file)), m.Rect, imgPath, img.Rect); err != nil {
			return Record{}, err
		}
		stem = dataset.FileStem(imgPath)
		if relImg, err := filepath.Rel(imagesRoot, imgPath); err == nil {
			imgPath = filepath.ToSlash(relImg)
		}
	}
	rel := path.Dir(file)
	if rel == "." {
		rel = ""
	}
	rec := Record{
		File: file, Image: imgPath, MinTh: int(r.Min), MaxTh: int(r.Max), Counts: res.Counts,
		Threshold: res.Threshold, EstAnomalyNum: res.EstAnomalyNum, MaskSHA256: MaskSHA256(res.Mask),
	}
	if rec.Counts == nil {
		rec.Counts = []int{}
	}
	if err := pngs.Write(filepath.Join(tmp, "binary_masks", filepath.FromSlash(rel), stem+".png"), res.Mask); err != nil {
		return Record{}, err
	}
	for k, b := range Boxes(res.Mask, res.EstAnomalyNum, w, h) {
		name := fmt.Sprintf("%s_crop%d.png", stem, k)
		score := ScoreMap(m, r, b)
		mc, n := CutMask(res.Mask, b)
		rec.Boxes = append(rec.Boxes, [4]jsonFloat{jsonFloat(b.Left), jsonFloat(b.Up), jsonFloat(b.Right), jsonFloat(b.Bottom)})
		rec.Scores = append(rec.Scores, jsonFloat(score))
		rec.Weights = append(rec.Weights, jsonFloat(Weight(score, thred)))
		rec.Crops = append(rec.Crops, name)
		rec.MaskPixels = append(rec.MaskPixels, n)
		if skipCrops {
			continue
		}
		if err := pngs.Write(filepath.Join(tmp, "mask_crops", filepath.FromSlash(rel), name), mc); err != nil {
			return Record{}, err
		}
		if img != nil {
			if err := pngs.Write(filepath.Join(tmp, "crops", filepath.FromSlash(rel), name), CutRGB(img, b)); err != nil {
				return Record{}, err
			}
		}
	}
	return rec, nil
}

// cropCombined binarizes the combined-type maps of a category at the set's
// range r and cuts their crops, in file order.
func cropCombined(pngs *imageio.DirPNGWriter, tmp string, cfg StageConfig, category string, r mebin.Range, thred float64) ([]Record, error) {
	comb, ok, err := dataset.ReadCombinedMaps(cfg.MapsRoot, category)
	if err != nil || !ok {
		return nil, err
	}
	var images []string
	if cfg.ImagesRoot != "" {
		if images, err = dataset.PairImages(comb, cfg.ImagesRoot); err != nil {
			return nil, err
		}
	}
	recs := make([]Record, len(comb.Maps))
	for i, m := range comb.Maps {
		res, err := mebin.BinarizeMap(m, r, cfg.Params)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", comb.Files[i], err)
		}
		var imgPath string
		if images != nil {
			imgPath = images[i]
		}
		if recs[i], err = cropOne(pngs, cfg.SkipCrops, tmp, cfg.MapsRoot, comb.Files[i], cfg.ImagesRoot, imgPath, m, r, res, thred); err != nil {
			return nil, err
		}
	}
	return recs, nil
}
