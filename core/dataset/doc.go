// Package dataset reads the on-disk layouts of the image datasets used by the
// pipeline and lists their samples in a fixed order.
//
// Three layouts are understood (Open's format argument):
//
//	"mvtec"  MVTec AD:
//	         <root>/<category>/train/good/<file>
//	         <root>/<category>/test/<type>/<file>          (type "good" = normal)
//	         <root>/<category>/ground_truth/<type>/<stem>_mask.png
//
//	"mtd"    Magnetic Tile Defect after the reference preprocessing, one
//	         category named "mtd":
//	         <root>/train/MT_Free/<file>                   (Type "good")
//	         <root>/test/<type>/<file>                     (test/good or test/MT_Free = normal)
//	         <root>/ground_truth/<type>/<stem>.png         (the original MTD naming;
//	                                                        <stem>_mask.png is accepted too)
//
//	"aebad"  the labelled base set, one category named "aebad". The same
//	         layout holds the raw AeBAD-S-like images written by core/synth and
//	         the crop set cut from them by the crop stage:
//	         <root>/<type>/<file>                          (raw: <stem>.png,
//	                                                        crops: <stem>_crop<k>.png)
//	         <root>/ground_truth/<type>/<stem>.png         (the mask has the image's own
//	                                                        file name; <stem>_mask.png is
//	                                                        accepted too)
//	         AeBAD samples have Split "train": they are labelled training data.
//
// Masks are 8-bit images with 0 for normal and 255 for defect pixels. For a
// defect image the mask is looked up as <stem>_mask.<ext>, then <stem>.<ext>,
// with ext in png, jpg, jpeg, tif, tiff, bmp, in that order. A defect image
// without a mask is an error naming the missing path; normal ("good") images
// have no mask. Image files are those imageio decodes (PNG, JPEG, TIFF, BMP);
// other files and names starting with "." are ignored.
//
// Open scans and validates the whole layout once; Samples and DefectTypes
// read from that scan. Samples are sorted by split, type, then file name.
//
// maps.go (another owner) covers anomaly-map folders that mirror these
// layouts.
package dataset
