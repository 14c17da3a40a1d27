package synth

import (
	"math/rand/v2"
	"sort"
)

// product draws the images of one category. Its fields hold the category's
// look (colours, scales), drawn once from the category's seed; draw must not
// modify them so that images can be drawn concurrently.
type product interface {
	// draw renders one image into d (base, then the named defects).
	draw(d *drawing, defects []string) error
}

// productSpec describes one category the generator knows.
type productSpec struct {
	name    string
	dataset string   // "mvtec", "mtd" or "aebad"
	defects []string // defect classes, sorted
	gray    bool     // written as 8-bit gray
	// acquisition: gain jitter, gradient strength and sensor noise sigma
	gain, gradient, noise float64
	build                 func(r *rand.Rand) product
}

// productSpecs lists every category, MVTec-like first, sorted by name within
// each dataset.
func productSpecs() []productSpec {
	specs := []productSpec{
		{name: "fabric", dataset: "mvtec", defects: []string{"cut", "hole", "stain", "thread"}, gain: 0.08, gradient: 0.08, noise: 0.015, build: newFabric},
		{name: "wood", dataset: "mvtec", defects: []string{"color", "hole", "liquid", "scratch"}, gain: 0.08, gradient: 0.1, noise: 0.012, build: newWood},
		{name: "tile", dataset: "mvtec", defects: []string{"crack", "glue_strip", "gray_stroke", "oil", "rough"}, gain: 0.07, gradient: 0.08, noise: 0.012, build: newTile},
		{name: "metal_nut", dataset: "mvtec", defects: []string{"bent", "color", "flip", "scratch"}, gain: 0.06, gradient: 0.06, noise: 0.01, build: newNut},
		{name: "capsule", dataset: "mvtec", defects: []string{"crack", "faulty_imprint", "poke", "squeeze"}, gain: 0.04, gradient: 0.05, noise: 0.01, build: newCapsule},
		{name: "cable", dataset: "mvtec", defects: []string{"bent_wire", "cable_swap", "cut_outer_insulation", "missing_wire", "poke_insulation"}, gain: 0.06, gradient: 0.06, noise: 0.012, build: newCable},
		{name: "mtd", dataset: "mtd", defects: []string{"blowhole", "break", "crack", "fray", "uneven"}, gray: true, gain: 0.12, gradient: 0.12, noise: 0.012, build: newMagTile},
		{name: "aebad", dataset: "aebad", defects: []string{"ablation", "breakdown", "fracture", "groove"}, gain: 0.08, gradient: 0.1, noise: 0.012, build: newBlade},
	}
	sort.SliceStable(specs, func(i, j int) bool {
		if specs[i].dataset != specs[j].dataset {
			return order(specs[i].dataset) < order(specs[j].dataset)
		}
		return specs[i].name < specs[j].name
	})
	return specs
}

func order(dataset string) int {
	switch dataset {
	case "mvtec":
		return 0
	case "mtd":
		return 1
	}
	return 2
}

// MVTecCategories lists the MVTec-like categories the generator can draw.
func MVTecCategories() []string {
	var out []string
	for _, s := range productSpecs() {
		if s.dataset == "mvtec" {
			out = append(out, s.name)
		}
	}
	return out
}

// DefectClasses returns the defect classes of a category ("mtd" and "aebad"
// name the other two datasets), sorted; nil for an unknown name.
func DefectClasses(category string) []string {
	for _, s := range productSpecs() {
		if s.name == category {
			return append([]string(nil), s.defects...)
		}
	}
	return nil
}

func specOf(name string) (productSpec, bool) {
	for _, s := range productSpecs() {
		if s.name == name {
			return s, true
		}
	}
	return productSpec{}, false
}
