package runners

import (
	"bytes"
	"testing"
)

func TestStoreTallyAndReport(t *testing.T) {
	plan := Plan{Tasks: []Task{
		{Key: "a", Name: "data a", Stage: "data"},
		{Key: "b", Name: "train b", Stage: "train"},
		{Key: "c", Name: "train c", Stage: "train"},
		{Key: "d", Name: "extra d", Stage: "extra"}, // a stage outside the list
	}}
	done := func(key string) bool { return key == "a" || key == "c" }
	tally, n := StoreTally(plan, []string{"data", "detect", "train"}, done)
	var buf bytes.Buffer
	if err := tally.Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `stage  tasks  done  missing
data   1      1     0
train  2      1     1
extra  1      0     1
total  4      2     2
`
	if buf.String() != want || n != 2 {
		t.Errorf("done %d, table:\n%s\nwant 2 and:\n%s", n, buf.String(), want)
	}
	rep := StoreReport(plan, done)
	ran, cached, failed := rep.Counts()
	if ran != 0 || cached != 2 || failed != 2 || rep.Outcomes[1].Err == nil || rep.Outcomes[1].Name != "train b" {
		t.Errorf("report %+v: ran %d cached %d failed %d", rep, ran, cached, failed)
	}
}
