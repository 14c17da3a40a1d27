package synth

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/anomalyncd/ancd/configs"
)

// Profile sizes the synthetic benchmark. It is decoded strictly from
// configs/synth/<name>.yaml: unknown keys are errors. The zero value
// generates nothing and fails Validate (image_size is required).
type Profile struct {
	// Name is the profile's name (informational).
	Name string `yaml:"name" json:"name"`
	// ImageSize is the side of every (square) image in pixels, >= 32.
	ImageSize int `yaml:"image_size" json:"image_size"`
	// MVTec sizes the MVTec-AD-like dataset; no categories: not generated.
	MVTec MVTecProfile `yaml:"mvtec" json:"mvtec"`
	// MTD sizes the MTD-like dataset; no images: not generated.
	MTD MTDProfile `yaml:"mtd" json:"mtd"`
	// AeBAD sizes the AeBAD-S-like labelled base set; zero: not generated.
	AeBAD AeBADProfile `yaml:"aebad" json:"aebad"`
}

// MVTecProfile sizes the MVTec-AD-like dataset.
type MVTecProfile struct {
	// Categories to generate (see MVTecCategories), in any order.
	Categories []string `yaml:"categories" json:"categories"`
	// MaxDefectTypes keeps only the first N defect classes (sorted) of each
	// category; 0 keeps all of them (3 to 5 per category).
	MaxDefectTypes int `yaml:"max_defect_types" json:"max_defect_types"`
	// TrainGood, TestGood: normal images in train/good and test/good.
	TrainGood int `yaml:"train_good" json:"train_good"`
	TestGood  int `yaml:"test_good" json:"test_good"`
	// PerDefect is the number of test images of each defect class.
	PerDefect int `yaml:"per_defect" json:"per_defect"`
	// Combined is the number of test/combined images (two classes each).
	Combined int `yaml:"combined" json:"combined"`
}

// TypeCount is a number of images of one defect type.
type TypeCount struct {
	Type  string `yaml:"type" json:"type"`
	Count int    `yaml:"count" json:"count"`
}

// MTDProfile sizes the MTD-like dataset.
type MTDProfile struct {
	// TrainGood normal images go to train/MT_Free, TestGood to test/good.
	TrainGood int `yaml:"train_good" json:"train_good"`
	TestGood  int `yaml:"test_good" json:"test_good"`
	// Defects lists the defect types (blowhole, break, crack, fray, uneven)
	// and their image counts.
	Defects []TypeCount `yaml:"defects" json:"defects"`
}

// AeBADProfile sizes the AeBAD-S-like labelled base set (4 defect classes).
type AeBADProfile struct {
	// PerDefect is the number of images of each class.
	PerDefect int `yaml:"per_defect" json:"per_defect"`
}

// ProfileNames lists the profiles shipped in configs/synth, sorted.
func ProfileNames() []string {
	entries, err := fs.ReadDir(configs.FS, "synth")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// LoadProfile reads the shipped profile configs/synth/<name>.yaml.
func LoadProfile(name string) (Profile, error) {
	data, err := fs.ReadFile(configs.FS, path.Join("synth", name+".yaml"))
	if err != nil {
		return Profile{}, fmt.Errorf("synth: unknown profile %q (allowed: %s)", name, strings.Join(ProfileNames(), ", "))
	}
	return ParseProfile(data, "configs/synth/"+name+".yaml")
}

// LoadProfileFile reads a profile from a YAML file on disk.
func LoadProfileFile(file string) (Profile, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Profile{}, fmt.Errorf("synth: %w", err)
	}
	return ParseProfile(data, file)
}

// ParseProfile decodes YAML strictly (unknown keys are errors) and
// validates the result; source names the input in errors.
func ParseProfile(data []byte, source string) (Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return Profile{}, fmt.Errorf("synth: profile %s: %w", source, err)
	}
	if err := p.Validate(); err != nil {
		return Profile{}, fmt.Errorf("synth: profile %s: %w", source, err)
	}
	return p, nil
}

// Validate checks sizes, counts and names; errors name the key and value.
func (p Profile) Validate() error {
	if p.ImageSize < 32 || p.ImageSize > 4096 {
		return fmt.Errorf("image_size %d: want 32..4096", p.ImageSize)
	}
	m := p.MVTec
	for _, c := range []struct {
		key string
		v   int
	}{{"mvtec.max_defect_types", m.MaxDefectTypes}, {"mvtec.train_good", m.TrainGood}, {"mvtec.test_good", m.TestGood},
		{"mvtec.per_defect", m.PerDefect}, {"mvtec.combined", m.Combined}, {"mtd.train_good", p.MTD.TrainGood},
		{"mtd.test_good", p.MTD.TestGood}, {"aebad.per_defect", p.AeBAD.PerDefect}} {
		if c.v < 0 {
			return fmt.Errorf("%s %d: must not be negative", c.key, c.v)
		}
	}
	seen := map[string]bool{}
	for _, cat := range m.Categories {
		if s, ok := specOf(cat); !ok || s.dataset != "mvtec" {
			return fmt.Errorf("mvtec.categories: unknown category %q (allowed: %s)", cat, strings.Join(MVTecCategories(), ", "))
		}
		if seen[cat] {
			return fmt.Errorf("mvtec.categories: %q listed twice", cat)
		}
		seen[cat] = true
	}
	if m.MaxDefectTypes == 1 && m.Combined > 0 {
		return fmt.Errorf("mvtec.combined %d needs max_defect_types >= 2", m.Combined)
	}
	allowed := DefectClasses("mtd")
	seenType := map[string]bool{}
	for _, tc := range p.MTD.Defects {
		if !contains(allowed, tc.Type) {
			return fmt.Errorf("mtd.defects: unknown type %q (allowed: %s)", tc.Type, strings.Join(allowed, ", "))
		}
		if seenType[tc.Type] {
			return fmt.Errorf("mtd.defects: %q listed twice", tc.Type)
		}
		seenType[tc.Type] = true
		if tc.Count < 0 {
			return fmt.Errorf("mtd.defects[%s].count %d: must not be negative", tc.Type, tc.Count)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
