package dataset

import (
	"fmt"
	"path/filepath"
)

// Paths returns where a sample with file name `name` (e.g. "003.png") lives
// in the given layout: its image path and its mask path ("" for Type "good").
// Writers (core/synth, fixtures) use it so that Open reads back what they
// wrote. category is ignored by the single-category layouts; split is ignored
// by the AeBAD layout. Masks are named <stem>_mask.png for MVTec AD and
// <stem>.png for MTD and AeBAD.
func Paths(format, root, category, split, typ, name string) (image, mask string, err error) {
	st := stem(name)
	switch format {
	case FormatMVTec:
		image = filepath.Join(root, category, split, typ, name)
		mask = filepath.Join(root, category, GroundTruthDir, typ, st+"_mask.png")
	case FormatMTD:
		folder := typ
		if split == SplitTrain && typ == GoodType {
			folder = mtdFreeDir
		}
		image = filepath.Join(root, split, folder, name)
		mask = filepath.Join(root, GroundTruthDir, folder, st+".png")
	case FormatAeBAD:
		image = filepath.Join(root, typ, name)
		mask = filepath.Join(root, GroundTruthDir, typ, st+".png")
	default:
		return "", "", fmt.Errorf("dataset: unknown format %q", format)
	}
	if typ == GoodType {
		mask = ""
	}
	return image, mask, nil
}
