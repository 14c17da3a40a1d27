// Package synth generates the synthetic industrial inspection benchmark:
// deterministic, procedurally drawn stand-ins for MVTec AD, MTD and AeBAD-S,
// written in the real on-disk layouts so that core/dataset reads them like
// the real data.
//
// Categories (MVTecCategories, DefectClasses):
//
//	fabric     woven cloth          cut, hole, stain, thread
//	wood       planed board         color, hole, liquid, scratch
//	tile       glazed tiles, grout  crack, glue_strip, gray_stroke, oil, rough
//	metal_nut  machined round part  bent, color, flip, scratch
//	capsule    printed capsule      crack, faulty_imprint, poke, squeeze
//	cable      three-core cable     bent_wire, cable_swap, cut_outer_insulation, missing_wire, poke_insulation
//	mtd        magnetic tile (gray) blowhole, break, crack, fray, uneven
//	aebad      turbine blade        ablation, breakdown, fracture, groove
//
// Textures come from value-noise fBm (weave, growth rings, speckled glaze,
// grinding marks); objects are signed-distance shapes with anti-aliased
// edges. Each image varies in pose, lighting (gain, gradient, vignette) and
// sensor noise. Defects are mostly small and some have low contrast, so no
// single global image statistic separates them from normal images.
//
// Masks are pixel-exact: a pixel is 255 when its centre lies inside the
// defect's shape (painted defects), or where the picture differs from the
// same scene without the defect (geometric defects such as a bent tab, a
// missing conductor or a squeezed capsule), or the whole part (flip) or both
// swapped conductors (cable_swap). MVTec "combined" images hold two distinct
// classes of their category; their mask is the union.
//
// Determinism: the look of each category is drawn from PCG(seed,
// hash("product/<category>")) and every image from PCG(seed, hash of its
// dataset/category/split/type/file name), so output bytes depend only on the
// profile and the seed, never on the worker count. Generate publishes the
// output folder atomically. Sizes come from profiles in configs/synth
// (smoke, quick, full), decoded strictly.
//
// Gallery renders a label-free image/mask grid of one category of any
// dataset.Set for a quick visual check.
package synth
