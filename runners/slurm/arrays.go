package slurm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/anomalyncd/ancd/runners"
)

// arraySpec is one job array before submission: tasks of one stage, at one
// dependency level, with one slot count. Keys[i] runs as array task i.
type arraySpec struct {
	Level int
	Stage string
	Slots int64
	Keys  []string
	// After lists the positions (in the slice returned by groupArrays) of
	// the arrays that hold a dependency of some task here.
	After []int
}

// groupArrays splits the tasks to submit into job arrays. order is a
// topological order of the plan; only tasks in submit are placed. A task's
// level is 0 when none of its dependencies is submitted with it, else one
// more than its deepest submitted dependency. Arrays come out by level, then
// by the first appearance of (stage, slots) in order, and hold at most
// maxSize tasks each.
func groupArrays(order []runners.Task, submit map[string]bool, maxSize int) []arraySpec {
	if maxSize < 1 {
		maxSize = 1
	}
	type group struct {
		level int
		stage string
		slots int64
	}
	level := map[string]int{}
	var groups []group
	members := map[group][]string{}
	for _, t := range order {
		if !submit[t.Key] {
			continue
		}
		l := 0
		for _, d := range t.Deps {
			if dl, ok := level[d]; ok && dl+1 > l {
				l = dl + 1
			}
		}
		level[t.Key] = l
		g := group{l, t.Stage, slotsOf(t)}
		if _, seen := members[g]; !seen {
			groups = append(groups, g)
		}
		members[g] = append(members[g], t.Key)
	}
	// stable order by level, keeping first-appearance order within a level
	var arrays []arraySpec
	where := map[string]int{} // key -> position in arrays
	maxLevel := -1
	for _, g := range groups {
		maxLevel = max(maxLevel, g.level)
	}
	for l := 0; l <= maxLevel; l++ {
		for _, g := range groups {
			if g.level != l {
				continue
			}
			keys := members[g]
			for start := 0; start < len(keys); start += maxSize {
				chunk := keys[start:min(start+maxSize, len(keys))]
				for _, k := range chunk {
					where[k] = len(arrays)
				}
				arrays = append(arrays, arraySpec{Level: l, Stage: g.stage, Slots: g.slots, Keys: chunk})
			}
		}
	}
	deps := map[string][]string{}
	for _, t := range order {
		deps[t.Key] = t.Deps
	}
	for i := range arrays {
		seen := map[int]bool{}
		for _, k := range arrays[i].Keys {
			for _, d := range deps[k] {
				if j, ok := where[d]; ok && !seen[j] {
					seen[j] = true
					arrays[i].After = append(arrays[i].After, j)
				}
			}
		}
		slices.Sort(arrays[i].After)
	}
	return arrays
}

func slotsOf(t runners.Task) int64 {
	if t.Slots <= 0 {
		return 1
	}
	return t.Slots
}

// PlanHash identifies a plan by its tasks (key, stage, slots, dependencies,
// in plan order). It names the run folder <store>/slurm/<plan-hash>.
func PlanHash(plan runners.Plan) string {
	h := sha256.New()
	for _, t := range plan.Tasks {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", t.Key, t.Stage, strconv.FormatInt(slotsOf(t), 10), strings.Join(t.Deps, "\x01"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
