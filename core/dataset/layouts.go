package dataset

import (
	"fmt"
	"path/filepath"
)

// scanMVTec reads <root>/<category>/{train/good,test/<type>,ground_truth/<type>}.
func (s *Set) scanMVTec() error {
	cats, err := listDirs(s.Root)
	if err != nil {
		return err
	}
	for _, cat := range cats {
		dir := filepath.Join(s.Root, cat)
		train, test := filepath.Join(dir, SplitTrain), filepath.Join(dir, SplitTest)
		if !isDir(train) || !isDir(test) {
			return fmt.Errorf("dataset %s: folder %s is not an MVTec AD category (want %s and %s)", s.Root, dir, train, test)
		}
		trainTypes, err := listDirs(train)
		if err != nil {
			return err
		}
		var list []Sample
		for _, typ := range trainTypes {
			if typ != GoodType {
				return fmt.Errorf("dataset %s: unexpected folder %s (MVTec AD train holds only %s)", s.Root, filepath.Join(train, typ), GoodType)
			}
			got, err := typeSamples(cat, SplitTrain, GoodType, filepath.Join(train, typ), "")
			if err != nil {
				return err
			}
			list = append(list, got...)
		}
		testTypes, err := listDirs(test)
		if err != nil {
			return err
		}
		for _, typ := range testTypes {
			got, err := typeSamples(cat, SplitTest, typ, filepath.Join(test, typ), filepath.Join(dir, GroundTruthDir, typ))
			if err != nil {
				return err
			}
			list = append(list, got...)
		}
		s.samples[cat] = list
	}
	return nil
}

// scanMTD reads <root>/{train/MT_Free,test/<type>,ground_truth/<type>}.
func (s *Set) scanMTD() error {
	train, test := filepath.Join(s.Root, SplitTrain), filepath.Join(s.Root, SplitTest)
	if !isDir(test) {
		return fmt.Errorf("dataset %s: MTD layout needs the folder %s", s.Root, test)
	}
	var list []Sample
	if isDir(train) {
		trainTypes, err := listDirs(train)
		if err != nil {
			return err
		}
		for _, typ := range trainTypes {
			if typ != mtdFreeDir && typ != GoodType {
				return fmt.Errorf("dataset %s: unexpected folder %s (MTD train holds only %s)", s.Root, filepath.Join(train, typ), mtdFreeDir)
			}
			got, err := typeSamples(MTDCategory, SplitTrain, GoodType, filepath.Join(train, typ), "")
			if err != nil {
				return err
			}
			list = append(list, got...)
		}
	}
	testTypes, err := listDirs(test)
	if err != nil {
		return err
	}
	for _, folder := range testTypes {
		typ := folder
		if folder == mtdFreeDir {
			typ = GoodType
		}
		got, err := typeSamples(MTDCategory, SplitTest, typ, filepath.Join(test, folder), filepath.Join(s.Root, GroundTruthDir, folder))
		if err != nil {
			return err
		}
		list = append(list, got...)
	}
	s.samples[MTDCategory] = list
	return nil
}

// scanAeBAD reads <root>/<type>/<file> with masks in <root>/ground_truth/<type>.
func (s *Set) scanAeBAD() error {
	types, err := listDirs(s.Root)
	if err != nil {
		return err
	}
	var list []Sample
	for _, typ := range types {
		if typ == GroundTruthDir {
			continue
		}
		if typ == SplitTrain || typ == SplitTest {
			return fmt.Errorf("dataset %s: folder %s looks like an MVTec/MTD split; the AeBAD layout is <root>/<type>/<file>", s.Root, filepath.Join(s.Root, typ))
		}
		got, err := typeSamples(AeBADCategory, SplitTrain, typ, filepath.Join(s.Root, typ), filepath.Join(s.Root, GroundTruthDir, typ))
		if err != nil {
			return err
		}
		list = append(list, got...)
	}
	if len(list) > 0 {
		s.samples[AeBADCategory] = list
	}
	return nil
}
