package mebin

// run is a maximal run of equal counts: indices start..end inclusive.
type run struct{ start, end int }

// chooseInterval applies the reference's stable-interval rule to the sweep
// counts. It returns the index of the chosen threshold (the last index of the
// chosen run) and the estimated anomaly number, or ok == false when no run of
// non-zero counts holds at least minLen thresholds.
//
// Ties: the count whose longest run is longest wins; between counts with the
// same longest length, the count whose first qualifying run starts earliest
// (higher threshold) wins. Among the runs of the chosen count, the longest
// wins; between equally long runs, the last (lower threshold) wins.
func chooseInterval(counts []int, minLen int) (end, est int, ok bool) {
	type entry struct {
		count int
		runs  []run
	}
	var entries []entry // in order of first qualifying run
	for i := 0; i < len(counts); {
		j := i
		for j+1 < len(counts) && counts[j+1] == counts[i] {
			j++
		}
		if c := counts[i]; c != 0 && j-i+1 >= minLen {
			k := 0
			for k < len(entries) && entries[k].count != c {
				k++
			}
			if k == len(entries) {
				entries = append(entries, entry{count: c})
			}
			entries[k].runs = append(entries[k].runs, run{i, j})
		}
		i = j + 1
	}
	if len(entries) == 0 {
		return 0, 0, false
	}
	longest := func(e entry) run {
		best := e.runs[0]
		for _, r := range e.runs[1:] {
			if r.end-r.start >= best.end-best.start {
				best = r
			}
		}
		return best
	}
	bestEntry, bestRun := entries[0], longest(entries[0])
	for _, e := range entries[1:] {
		if r := longest(e); r.end-r.start > bestRun.end-bestRun.start {
			bestEntry, bestRun = e, r
		}
	}
	return bestRun.end, bestEntry.count, true
}

// StableInterval returns the sweep indices [start, end] of the stable
// interval MEBin chooses for a count sequence (see chooseInterval's rules),
// and ok false when there is none.
func StableInterval(counts []int, minLen int) (start, end int, ok bool) {
	end, est, ok := chooseInterval(counts, minLen)
	if !ok {
		return -1, -1, false
	}
	start = end
	for start > 0 && counts[start-1] == est {
		start--
	}
	return start, end, true
}
