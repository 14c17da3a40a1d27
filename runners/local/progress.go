package local

import (
	"io"
	"os"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/anomalyncd/ancd/runners"
)

// Progress is told about the life of every task of a run. Calls may come
// from many goroutines at once.
type Progress interface {
	Begin(tasks []runners.Task)
	Started(t runners.Task)
	Finished(t runners.Task, o runners.Outcome)
	End()
}

// IsTerminal reports whether f is an interactive terminal.
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Bars is a multi-bar display: one bar per stage and a total bar with an
// ETA. Use it only on a terminal (see IsTerminal); elsewhere the runner's
// slog lines are the progress report.
type Bars struct {
	out io.Writer

	mu     sync.Mutex
	p      *mpb.Progress
	stages map[string]*mpb.Bar
	total  *mpb.Bar
}

// NewBars returns a display that draws on out (usually os.Stderr).
func NewBars(out io.Writer) *Bars { return &Bars{out: out} }

// Begin creates the bars, stages in order of first appearance.
func (b *Bars) Begin(tasks []runners.Task) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.p = mpb.New(mpb.WithOutput(b.out), mpb.WithWidth(32))
	b.stages = map[string]*mpb.Bar{}
	counts := map[string]int64{}
	var names []string
	for _, t := range tasks {
		if counts[t.Stage] == 0 {
			names = append(names, t.Stage)
		}
		counts[t.Stage]++
	}
	for _, name := range names {
		b.stages[name] = b.p.AddBar(counts[name],
			mpb.PrependDecorators(decor.Name(name, decor.WC{W: 10, C: decor.DindentRight}), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage()))
	}
	b.total = b.p.AddBar(int64(len(tasks)),
		mpb.PrependDecorators(decor.Name("total", decor.WC{W: 10, C: decor.DindentRight}), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)))
}

// Started does nothing: bars count finished tasks.
func (b *Bars) Started(runners.Task) {}

// Finished advances the task's stage bar and the total.
func (b *Bars) Finished(t runners.Task, o runners.Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if bar := b.stages[t.Stage]; bar != nil {
		bar.Increment()
	}
	if b.total != nil {
		b.total.Increment()
	}
}

// End completes every bar (failed runs leave them short) and waits for the
// final render.
func (b *Bars) End() {
	b.mu.Lock()
	for _, bar := range b.stages {
		bar.SetTotal(-1, true)
	}
	if b.total != nil {
		b.total.SetTotal(-1, true)
	}
	p := b.p
	b.mu.Unlock()
	if p != nil {
		p.Wait()
	}
}
