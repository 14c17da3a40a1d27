package synth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/internal/atomicfile"
)

// Version changes whenever the generator's output for a given profile and
// seed changes; it is written to the manifest.
const Version = 1

// ManifestFile is written at the top of the output folder.
const ManifestFile = "synth.json"

// Summary reports what Generate wrote.
type Summary struct {
	Root     string           // the output folder
	Datasets []DatasetSummary // in the order mvtec, mtd, aebad; only those generated
}

// DatasetSummary counts the files of one generated dataset.
type DatasetSummary struct {
	Format string // dataset.Open format: "mvtec", "mtd" or "aebad"
	Root   string // <out>/<format>
	Images int
	Masks  int
}

// job is one image to draw.
type job struct {
	format, category, split, typ string
	name                         string   // file name
	defects                      []string // nil for normal images; resolved for combined ones by the job's source
	combinedOf                   []string // classes a combined image draws two of
	key                          string   // identity for seeding
}

// Generate writes the benchmark for profile p and seed into out, replacing
// out atomically (nothing is visible at out until everything is written).
// Each image is drawn from its own source seeded by (seed, hash of its
// dataset/category/split/type/index), so the bytes do not depend on workers
// (<= 0 means GOMAXPROCS).
func Generate(ctx context.Context, p Profile, seed uint64, out string, workers int) (Summary, error) {
	return GenerateWith(ctx, p, seed, out, workers, atomicfile.Dir)
}

// GenerateWith is Generate with the function that builds the output folder
// from a fill of a temporary folder (Generate uses atomicfile.Dir; the CLI
// one that never removes a user's files).
func GenerateWith(ctx context.Context, p Profile, seed uint64, out string, workers int, writeDir atomicfile.DirFunc) (Summary, error) {
	if err := p.Validate(); err != nil {
		return Summary{}, fmt.Errorf("synth: profile %s: %w", p.Name, err)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := planJobs(p)
	products := map[string]product{}
	for _, j := range jobs {
		if _, ok := products[j.category]; !ok {
			spec, _ := specOf(j.category)
			products[j.category] = spec.build(rand.New(rand.NewPCG(seed, keyHash("product/"+j.category))))
		}
	}
	sum := Summary{Root: out}
	err := writeDir(out, func(tmp string) error {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(workers)
		for _, j := range jobs {
			g.Go(func() error {
				if err := gctx.Err(); err != nil {
					return err
				}
				return writeJob(tmp, j, products[j.category], p.ImageSize, seed)
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		manifest, err := json.MarshalIndent(struct {
			Version int     `json:"version"`
			Seed    uint64  `json:"seed"`
			Profile Profile `json:"profile"`
		}{Version, seed, p}, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(tmp, ManifestFile), append(manifest, '\n'), 0o644)
	})
	if err != nil {
		return Summary{}, fmt.Errorf("synth: generate %s: %w", out, err)
	}
	for _, f := range []string{dataset.FormatMVTec, dataset.FormatMTD, dataset.FormatAeBAD} {
		ds := DatasetSummary{Format: f, Root: filepath.Join(out, f)}
		for _, j := range jobs {
			if j.format == f {
				ds.Images++
				if j.typ != dataset.GoodType {
					ds.Masks++
				}
			}
		}
		if ds.Images > 0 {
			sum.Datasets = append(sum.Datasets, ds)
		}
	}
	return sum, nil
}

func keyHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// planJobs lists every image of the profile in a fixed order.
func planJobs(p Profile) []job {
	var jobs []job
	add := func(format, category, split, typ string, n, width int, defects []string) {
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("%0*d.png", width, i)
			j := job{format: format, category: category, split: split, typ: typ, name: name,
				key: fmt.Sprintf("%s/%s/%s/%s/%s", format, category, split, typ, name)}
			switch typ {
			case dataset.GoodType:
			case dataset.CombinedType:
				j.combinedOf = defects
			default:
				j.defects = []string{typ}
			}
			jobs = append(jobs, j)
		}
	}
	for _, spec := range productSpecs() {
		if !contains(p.MVTec.Categories, spec.name) {
			continue
		}
		types := spec.defects
		if k := p.MVTec.MaxDefectTypes; k > 0 && k < len(types) {
			types = types[:k]
		}
		add("mvtec", spec.name, dataset.SplitTrain, dataset.GoodType, p.MVTec.TrainGood, 3, nil)
		add("mvtec", spec.name, dataset.SplitTest, dataset.GoodType, p.MVTec.TestGood, 3, nil)
		for _, t := range types {
			add("mvtec", spec.name, dataset.SplitTest, t, p.MVTec.PerDefect, 3, nil)
		}
		if len(types) >= 2 {
			add("mvtec", spec.name, dataset.SplitTest, dataset.CombinedType, p.MVTec.Combined, 3, types)
		}
	}
	add("mtd", "mtd", dataset.SplitTrain, dataset.GoodType, p.MTD.TrainGood, 4, nil)
	add("mtd", "mtd", dataset.SplitTest, dataset.GoodType, p.MTD.TestGood, 4, nil)
	for _, t := range DefectClasses("mtd") {
		for _, tc := range p.MTD.Defects {
			if tc.Type == t {
				add("mtd", "mtd", dataset.SplitTest, t, tc.Count, 4, nil)
			}
		}
	}
	for _, t := range DefectClasses("aebad") {
		add("aebad", "aebad", dataset.SplitTrain, t, p.AeBAD.PerDefect, 3, nil)
	}
	return jobs
}

// maxAttempts bounds the redraws of a defect image whose mask came out empty.
const maxAttempts = 8

// render draws one job's image and mask (nil mask for normal images).
func render(j job, prod product, size int, seed uint64) (image.Image, *image.Gray, error) {
	spec, _ := specOf(j.category)
	r := rand.New(rand.NewPCG(seed, keyHash(j.key)))
	defects := j.defects
	if len(j.combinedOf) >= 2 {
		perm := r.Perm(len(j.combinedOf))
		defects = []string{j.combinedOf[perm[0]], j.combinedOf[perm[1]]}
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		d := newDrawing(r, size)
		if err := prod.draw(d, defects); err != nil {
			return nil, nil, err
		}
		var mask *image.Gray
		if len(defects) > 0 {
			var n int
			mask, n = maskImage(d.cov, size, size)
			if n == 0 {
				continue
			}
		}
		d.finish(spec.gain, spec.gradient, spec.noise, spec.gray)
		if spec.gray {
			return d.img.toGray(), mask, nil
		}
		return d.img.toRGBA(), mask, nil
	}
	return nil, nil, fmt.Errorf("synth: %s: defect mask empty after %d attempts", j.key, maxAttempts)
}

func writeJob(root string, j job, prod product, size int, seed uint64) error {
	img, mask, err := render(j, prod, size, seed)
	if err != nil {
		return err
	}
	imgPath, maskPath, err := dataset.Paths(j.format, filepath.Join(root, j.format), j.category, j.split, j.typ, j.name)
	if err != nil {
		return err
	}
	if err := writePNG(imgPath, img); err != nil {
		return err
	}
	if mask != nil {
		return writePNG(maskPath, mask)
	}
	return nil
}

// writePNG writes inside Generate's temporary folder, which is published
// atomically as a whole, so plain writes suffice here.
func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
