package detect

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/detecteval"
	"github.com/anomalyncd/ancd/core/imageio"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// ReportFile is the name of the metrics file Run writes next to the maps.
const ReportFile = "detect.json"

// Options configures Run.
type Options struct {
	// Method is one of Methods().
	Method string
	// Config holds the per-method parameters (zero: defaults).
	Config Config
	// Seed is the experiment seed; category c uses CategorySeed(Seed, c).
	Seed uint64
	// Workers bounds parallelism (<= 0: GOMAXPROCS); output bytes do not
	// depend on it.
	Workers int
	// Categories restricts the run (nil: every category of the set, sorted).
	Categories []string
	// WriteDir builds the output folder (nil: atomicfile.Dir); the CLI
	// passes one that never removes a user's files.
	WriteDir atomicfile.DirFunc
}

// CategoryReport is the outcome for one category. Metrics are computed on
// the written uint8 maps against the masks; NaN marks undefined metrics.
type CategoryReport struct {
	Category     string
	Train, Test  int
	Metrics      detecteval.Summary
	Range        Range // set-normalisation range of the float maps
	MapsRelative []string
}

// Report is the outcome of Run, categories sorted by name.
type Report struct {
	Method, Format string
	Seed           uint64
	Categories     []CategoryReport
}

// CategorySeed derives the seed of one category: FNV-1a 64 of
// "<seed>/<category>".
func CategorySeed(seed uint64, category string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", seed, category)
	return h.Sum64()
}

// MapPath is where the map of a test sample lives under out:
// <out>/<category>/<type>/<stem>.png, stem being the image file name
// without its extension.
func MapPath(out string, s dataset.Sample) string {
	name := filepath.Base(s.ImagePath)
	return filepath.Join(out, s.Category, s.Type, strings.TrimSuffix(name, filepath.Ext(name))+".png")
}

// Run detects anomalies in the chosen categories of set and writes, as one
// atomic folder out, every test map (see MapPath) and ReportFile.
func Run(set *dataset.Set, opt Options, out string) (Report, error) {
	det, err := New(opt.Method, opt.Config)
	if err != nil {
		return Report{}, err
	}
	cats := opt.Categories
	if cats == nil {
		cats = set.Categories
	}
	rep := Report{Method: opt.Method, Format: set.Format, Seed: opt.Seed}
	err = opt.WriteDir.Build(out, func(tmp string) error {
		for _, cat := range cats {
			cr, err := runCategory(set, det, cat, opt, tmp)
			if err != nil {
				return err
			}
			rep.Categories = append(rep.Categories, cr)
		}
		data, err := rep.JSON()
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(filepath.Join(tmp, ReportFile), data)
	})
	return rep, err
}

// runCategory detects, normalises, writes and evaluates one category.
func runCategory(set *dataset.Set, det Detector, cat string, opt Options, out string) (CategoryReport, error) {
	samples, err := set.Samples(cat)
	if err != nil {
		return CategoryReport{}, err
	}
	var train, test FileImages
	var testSamples []dataset.Sample
	for _, s := range samples {
		switch {
		case s.Split == dataset.SplitTrain && s.Type == dataset.GoodType:
			train = append(train, FileImage{s.ImagePath, ""})
		case s.Split == dataset.SplitTest:
			if s.Type != dataset.GoodType && s.MaskPath == "" {
				return CategoryReport{}, fmt.Errorf("detect: %s: defective test image without a mask", s.ImagePath)
			}
			test = append(test, FileImage{s.ImagePath, s.MaskPath})
			testSamples = append(testSamples, s)
		}
	}
	if len(test) == 0 {
		return CategoryReport{}, fmt.Errorf("detect: category %q of %s has no test images", cat, set.Root)
	}
	types := make([]string, len(testSamples))
	for i, s := range testSamples {
		types[i] = s.Type
	}
	maps, err := det.Detect(Input{Train: train, Test: test, Seed: CategorySeed(opt.Seed, cat), Workers: opt.Workers, Category: cat, TestTypes: types})
	if err != nil {
		return CategoryReport{}, fmt.Errorf("detect %s on category %q: %w", det.Name(), cat, err)
	}
	cr := CategoryReport{Category: cat, Train: len(train), Test: len(test), Range: SetRange(maps)}
	if _, ok := det.(External); ok {
		cr.Range = Range{Lo: 0, Hi: 255} // precomputed 8-bit maps are kept byte for byte
	}
	items := make([]detecteval.Item, len(maps))
	err = forEach(len(maps), opt.Workers, func(_, i int) error {
		g := cr.Range.ToGray(maps[i])
		if err := imageio.WritePNG(MapPath(out, testSamples[i]), g); err != nil {
			return err
		}
		mask, err := test.Mask(i)
		if err != nil {
			return err
		}
		items[i] = evalItem(g, mask)
		return nil
	})
	if err != nil {
		return CategoryReport{}, err
	}
	for _, s := range testSamples {
		rel, _ := filepath.Rel(out, MapPath(out, s))
		cr.MapsRelative = append(cr.MapsRelative, filepath.ToSlash(rel))
	}
	if cr.Metrics, err = detecteval.Evaluate(items); err != nil {
		return CategoryReport{}, fmt.Errorf("evaluate category %q: %w", cat, err)
	}
	return cr, nil
}

// evalItem converts a written map and its mask for detecteval.
func evalItem(g *image.Gray, mask *image.Gray) detecteval.Item {
	it := detecteval.Item{W: g.Rect.Dx(), H: g.Rect.Dy(), Score: make([]float32, len(g.Pix))}
	for i, v := range g.Pix {
		it.Score[i] = float32(v)
	}
	if mask != nil {
		it.Mask = MaskBools(mask)
	}
	return it
}

// fixed is a float written with 6 decimals in JSON; NaN becomes null.
type fixed float64

// MarshalJSON implements json.Marshaler.
func (f fixed) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(f), 'f', 6, 64)), nil
}

// UnmarshalJSON implements json.Unmarshaler: null reads as NaN.
func (f *fixed) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = fixed(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = fixed(v)
	return nil
}

// ReadReport reads a ReportFile that Run wrote (Report.JSON) at path: the
// report, its values at the file's 6 decimals (NaN where the file has null),
// categories sorted and without MapsRelative, and the means the file stores
// (Report.Mean of the unrounded values, rounded). Errors name the file.
func ReadReport(path string) (Report, detecteval.Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Report{}, detecteval.Summary{}, err
	}
	var in reportJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return Report{}, detecteval.Summary{}, fmt.Errorf("%s: %w", path, err)
	}
	r := Report{Method: in.Method, Format: in.Format, Seed: in.Seed}
	for name, c := range in.Categories {
		r.Categories = append(r.Categories, CategoryReport{Category: name, Train: c.Train, Test: c.Test,
			Metrics: detecteval.Summary{ImageAUROC: float64(c.ImageAUROC), PixelAUROC: float64(c.PixelAUROC), AUPRO: float64(c.AUPRO)},
			Range:   Range{Lo: float32(c.MapMin), Hi: float32(c.MapMax)}})
	}
	slices.SortFunc(r.Categories, func(a, b CategoryReport) int { return strings.Compare(a.Category, b.Category) })
	mean := detecteval.Summary{ImageAUROC: float64(in.Mean.ImageAUROC), PixelAUROC: float64(in.Mean.PixelAUROC), AUPRO: float64(in.Mean.AUPRO)}
	return r, mean, nil
}

// Category returns the report of the category called name.
func (r Report) Category(name string) (CategoryReport, bool) {
	for _, c := range r.Categories {
		if c.Category == name {
			return c, true
		}
	}
	return CategoryReport{}, false
}

// metricsJSON is the metric block of detect.json (keys sorted).
type metricsJSON struct {
	AUPRO      fixed `json:"aupro"`
	ImageAUROC fixed `json:"image_auroc"`
	PixelAUROC fixed `json:"pixel_auroc"`
}

type categoryJSON struct {
	AUPRO      fixed `json:"aupro"`
	ImageAUROC fixed `json:"image_auroc"`
	MapMax     fixed `json:"map_max"`
	MapMin     fixed `json:"map_min"`
	PixelAUROC fixed `json:"pixel_auroc"`
	Test       int   `json:"test_images"`
	Train      int   `json:"train_images"`
}

type reportJSON struct {
	Categories map[string]categoryJSON `json:"categories"`
	Format     string                  `json:"format"`
	Mean       metricsJSON             `json:"mean"`
	Method     string                  `json:"method"`
	Seed       uint64                  `json:"seed"`
}

// Mean averages each metric over the categories where it is defined (NaN
// when it is defined nowhere).
func (r Report) Mean() detecteval.Summary {
	mean := func(get func(detecteval.Summary) float64) float64 {
		var s float64
		n := 0
		for _, c := range r.Categories {
			if v := get(c.Metrics); !math.IsNaN(v) {
				s += v
				n++
			}
		}
		if n == 0 {
			return math.NaN()
		}
		return s / float64(n)
	}
	return detecteval.Summary{
		ImageAUROC: mean(func(s detecteval.Summary) float64 { return s.ImageAUROC }),
		PixelAUROC: mean(func(s detecteval.Summary) float64 { return s.PixelAUROC }),
		AUPRO:      mean(func(s detecteval.Summary) float64 { return s.AUPRO }),
	}
}

// JSON renders the report as detect.json: sorted keys, 6-decimal floats,
// null for undefined metrics, trailing newline.
func (r Report) JSON() ([]byte, error) {
	m := r.Mean()
	out := reportJSON{
		Categories: map[string]categoryJSON{},
		Format:     r.Format,
		Mean:       metricsJSON{fixed(m.AUPRO), fixed(m.ImageAUROC), fixed(m.PixelAUROC)},
		Method:     r.Method,
		Seed:       r.Seed,
	}
	for _, c := range r.Categories {
		out.Categories[c.Category] = categoryJSON{
			AUPRO: fixed(c.Metrics.AUPRO), ImageAUROC: fixed(c.Metrics.ImageAUROC),
			MapMax: fixed(c.Range.Hi), MapMin: fixed(c.Range.Lo),
			PixelAUROC: fixed(c.Metrics.PixelAUROC), Test: c.Test, Train: c.Train,
		}
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
