package main

import (
	"log/slog"
	"os"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/anomalyncd/ancd/runners/local"
)

// itemProgress draws the progress a core stage reports through its
// callback (done, total): an mpb bar named name on stderr when stderr is a
// terminal, else a log line every 100 items and at the end. Only cmd/ draws;
// core only calls the callback.
type itemProgress struct {
	name string

	mu  sync.Mutex
	p   *mpb.Progress
	bar *mpb.Bar
}

// newItemProgress returns a display for the items of one named stage.
func newItemProgress(name string) *itemProgress { return &itemProgress{name: name} }

// Report is the callback to hand to core: safe for concurrent calls.
func (ip *itemProgress) Report(done, total int) {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if !local.IsTerminal(os.Stderr) {
		if done%100 == 0 || done == total {
			slog.Info(ip.name, "done", done, "total", total)
		}
		return
	}
	if ip.bar == nil {
		ip.p = mpb.New(mpb.WithOutput(os.Stderr), mpb.WithWidth(32))
		ip.bar = ip.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(ip.name, decor.WC{W: 10, C: decor.DindentRight}), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)))
	}
	ip.bar.SetCurrent(int64(done))
}

// Done completes the bar (a failed run leaves it short) and waits for its
// final render; it does nothing when no bar was drawn.
func (ip *itemProgress) Done() {
	ip.mu.Lock()
	p, bar := ip.p, ip.bar
	ip.mu.Unlock()
	if bar == nil {
		return
	}
	bar.SetTotal(-1, true)
	p.Wait()
}
