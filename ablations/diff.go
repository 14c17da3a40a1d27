package ablations

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// CellRef names one cell of a markdown table in a results file: the section
// heading above the table, the row label (first column) and the column header.
type CellRef struct {
	Section, Row, Column string
}

func (c CellRef) String() string { return c.Section + " / " + c.Row + " / " + c.Column }

// Change is one cell whose number differs between two results files.
type Change struct {
	Cell     CellRef
	Old, New string  // the cells' text
	Delta    float64 // New - Old of the leading numbers; NaN when one side has none
}

// Diff is the comparison of two results files.
type Diff struct {
	Changed []Change  // sorted by cell
	Added   []CellRef // cells only in the new file
	Removed []CellRef // cells only in the old file
}

// numberRE finds the leading number of a cell ("0.613 ± 0.012 (0.70)" -> 0.613).
var numberRE = regexp.MustCompile(`[-+]?\d+(\.\d+)?([eE][-+]?\d+)?`)

// leadingNumber returns the first number in a cell, if any.
func leadingNumber(s string) (float64, bool) {
	m := numberRE.FindString(s)
	if m == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(m, 64)
	return v, err == nil
}

// ParseCells reads every cell of every markdown table in r, keyed by section,
// row label and column header. Cells of the first column are row labels, not
// values. name is used in errors.
func ParseCells(name string, r io.Reader) (map[CellRef]string, error) {
	cells := map[CellRef]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var section string
	var header []string
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(text, "#"):
			section = strings.TrimSpace(strings.TrimLeft(text, "#"))
			header = nil
		case strings.HasPrefix(text, "|"):
			parts := splitRow(text)
			if header == nil {
				header = parts
				continue
			}
			if isSeparator(parts) {
				continue
			}
			if len(parts) != len(header) {
				return nil, fmt.Errorf("%s:%d: table row has %d cells but its header has %d", name, line, len(parts), len(header))
			}
			for i := 1; i < len(parts); i++ {
				ref := CellRef{Section: section, Row: parts[0], Column: header[i]}
				if _, dup := cells[ref]; dup {
					return nil, fmt.Errorf("%s:%d: cell %s appears twice", name, line, ref)
				}
				cells[ref] = parts[i]
			}
		default:
			header = nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cells, nil
}

func splitRow(s string) []string {
	s = strings.TrimPrefix(strings.TrimSuffix(s, "|"), "|")
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func isSeparator(parts []string) bool {
	for _, p := range parts {
		if strings.Trim(p, ":-") != "" || p == "" {
			return false
		}
	}
	return true
}

// Compare returns the cells that differ between old and new. A cell counts as
// changed when its text differs; Delta holds the difference of the leading
// numbers.
func Compare(old, new map[CellRef]string) Diff {
	var d Diff
	for ref, o := range old {
		n, ok := new[ref]
		if !ok {
			d.Removed = append(d.Removed, ref)
			continue
		}
		if n == o {
			continue
		}
		delta := math.NaN()
		ov, ok1 := leadingNumber(o)
		nv, ok2 := leadingNumber(n)
		if ok1 && ok2 {
			delta = nv - ov
		}
		d.Changed = append(d.Changed, Change{Cell: ref, Old: o, New: n, Delta: delta})
	}
	for ref := range new {
		if _, ok := old[ref]; !ok {
			d.Added = append(d.Added, ref)
		}
	}
	less := func(a, b CellRef) bool {
		if a.Section != b.Section {
			return a.Section < b.Section
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Column < b.Column
	}
	sort.Slice(d.Changed, func(i, j int) bool { return less(d.Changed[i].Cell, d.Changed[j].Cell) })
	sort.Slice(d.Added, func(i, j int) bool { return less(d.Added[i], d.Added[j]) })
	sort.Slice(d.Removed, func(i, j int) bool { return less(d.Removed[i], d.Removed[j]) })
	return d
}

// Exceeds reports whether any change moves a number by more than tol, or
// changes a cell that has no number, or adds or removes cells.
func (d Diff) Exceeds(tol float64) bool {
	if len(d.Added) > 0 || len(d.Removed) > 0 {
		return true
	}
	for _, c := range d.Changed {
		if math.IsNaN(c.Delta) || math.Abs(c.Delta) > tol {
			return true
		}
	}
	return false
}

// Write prints the diff for people, one line per cell.
func (d Diff) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, c := range d.Changed {
		if math.IsNaN(c.Delta) {
			fmt.Fprintf(bw, "changed  %s: %q -> %q\n", c.Cell, c.Old, c.New)
		} else {
			fmt.Fprintf(bw, "changed  %s: %s -> %s (%+.4f)\n", c.Cell, c.Old, c.New, c.Delta)
		}
	}
	for _, c := range d.Added {
		fmt.Fprintf(bw, "added    %s\n", c)
	}
	for _, c := range d.Removed {
		fmt.Fprintf(bw, "removed  %s\n", c)
	}
	if len(d.Changed)+len(d.Added)+len(d.Removed) == 0 {
		fmt.Fprintln(bw, "no cells differ")
	}
	return bw.Flush()
}
