package metrics

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// LabelTable holds the columns of a labels CSV: true labels, predictions
// and, when the file has the column, the base flags (nil otherwise).
type LabelTable struct {
	YTrue  []int
	YPred  []int
	IsBase []bool
}

// ReadLabelsCSV reads a CSV file (encoding/csv: quoted fields allowed) with
// the header `y_true,y_pred` or `y_true,y_pred,is_base` followed by one row
// per sample: integer labels and is_base 0 or 1. Blank lines are skipped and
// spaces around fields ignored. Errors name the file and the 1-based line
// number.
func ReadLabelsCSV(path string) (LabelTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return LabelTable{}, err
	}
	defer f.Close()
	return parseLabelsCSV(f, path)
}

func parseLabelsCSV(r io.Reader, name string) (LabelTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // the count is checked below, with the line
	cr.TrimLeadingSpace = true
	var t LabelTable
	cols := 0
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return LabelTable{}, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if cols == 0 {
			fields[0] = strings.TrimSpace(strings.TrimPrefix(fields[0], "\ufeff"))
		}
		if len(fields) == 1 && fields[0] == "" {
			continue // a line of spaces
		}
		if cols == 0 {
			switch strings.Join(fields, ",") {
			case "y_true,y_pred":
				cols = 2
			case "y_true,y_pred,is_base":
				cols = 3
				t.IsBase = []bool{}
			default:
				return LabelTable{}, fmt.Errorf("%s:%d: bad header %q, want \"y_true,y_pred\" or \"y_true,y_pred,is_base\"", name, line, strings.Join(fields, ","))
			}
			continue
		}
		if len(fields) != cols {
			return LabelTable{}, fmt.Errorf("%s:%d: %d fields, want %d", name, line, len(fields), cols)
		}
		yt, err := strconv.Atoi(fields[0])
		if err != nil {
			return LabelTable{}, fmt.Errorf("%s:%d: y_true %q is not an integer", name, line, fields[0])
		}
		yp, err := strconv.Atoi(fields[1])
		if err != nil {
			return LabelTable{}, fmt.Errorf("%s:%d: y_pred %q is not an integer", name, line, fields[1])
		}
		t.YTrue = append(t.YTrue, yt)
		t.YPred = append(t.YPred, yp)
		if cols == 3 {
			switch fields[2] {
			case "0":
				t.IsBase = append(t.IsBase, false)
			case "1":
				t.IsBase = append(t.IsBase, true)
			default:
				return LabelTable{}, fmt.Errorf("%s:%d: is_base %q must be 0 or 1", name, line, fields[2])
			}
		}
	}
	if cols == 0 {
		return LabelTable{}, fmt.Errorf("%s: empty file, want a header line", name)
	}
	if len(t.YTrue) == 0 {
		return LabelTable{}, fmt.Errorf("%s: no data rows", name)
	}
	return t, nil
}
