// Package crop owns the anomaly-centred sub-images: boxes around the regions
// of a binary mask, their merging, the crops of the RGB image and of the
// mask, the per-crop anomaly score and pseudo-label weight, and the binarize
// stage that runs MEBin (core/mebin) over map sets and writes all of it.
//
// The default behaviour reproduces the authors' reference code
// (shared/docs/reference-behaviour.md §2-§4):
//
//   - Regions are the outer contours of 8-connected foreground regions:
//     a region lying inside a hole of another region gives no box. Bounding
//     rectangles are sorted ascending by (w*h, x, y, w, h).
//   - With S = max(H, W, 3), each rectangle becomes a square box around its
//     centre (int((2x+w)*0.5), int((2y+h)*0.5)) with radius
//     max(int(max(h,w)*1.1*0.5), int(S*0.1)) capped at int(S*0.5). A box
//     starting before 0 is shifted to [0, 2r]; else one ending after W (H) is
//     shifted to [W-2r, W]; boxes are shifted, never shrunk, so on
//     non-square images they may extend past the image.
//   - Boxes closer than int(S*0.01) (strict; overlap -1, touching 0,
//     Euclidean corner distance) are grouped per box (not transitively),
//     duplicate groups and strict subsets are dropped, and every group is
//     folded into one box, squared after each union by growing the shorter
//     side by half the difference on both ends. Merged coordinates may be .5
//     and are not clipped. Boxes are sorted by area, descending (stable), and
//     identical boxes collapse. Only the first est_anomaly_num+1 are kept; an
//     empty mask gives the single full-image box (0, 0, W, H).
//   - Crops round each coordinate half to even (PIL) and pad outside the
//     image with zeros. The score of a crop is the maximum of the float32
//     set-normalised map over the same rounded box (padding counts 0) divided
//     by 255 as float64; the pseudo-label weight is max(0, 0.5 - score).
//
// Stage output layout (RunStage), with rel the map's folder relative to the
// maps root ("<category>/<type>" or "" for a flat folder):
//
//	OUT/mebin.json                       one record per map, see Record
//	OUT/binary_masks/<rel>/<stem>.png     full-size 0/255 mask
//	OUT/crops/<rel>/<stem>_crop<k>.png    RGB crops (only with an image root)
//	OUT/mask_crops/<rel>/<stem>_crop<k>.png  0/255 mask crops
//
// stem is the image file name up to its first '.', or the map's when no
// images are given; k is the rank after sorting, from 0.
package crop
