package main

import (
	"fmt"
	"io"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/anomalyncd/ancd/core/train"
)

// trainBar draws core/train's progress reports as one mpb bar (samples
// done of all, epoch and last loss, rate, ETA). Call wait when training ends.
type trainBar struct {
	p    *mpb.Progress
	bar  *mpb.Bar
	desc string
}

func newTrainBar(w io.Writer) *trainBar {
	tb := &trainBar{p: mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh())}
	return tb
}

// report is a train.Options.Progress callback.
func (tb *trainBar) report(p train.Progress) {
	if tb.bar == nil {
		tb.bar = tb.p.AddBar(p.Total,
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return tb.desc }, decor.WCSyncSpaceR)),
			mpb.AppendDecorators(decor.CountersNoUnit("%d/%d img"), decor.Name(" "), decor.AverageSpeed(0, "%.0f img/s"), decor.Name(" "), decor.AverageETA(decor.ET_STYLE_GO)),
		)
	}
	tb.desc = fmt.Sprintf("epoch %d/%d loss %.4f", p.Epoch+1, p.Epochs, p.Loss)
	tb.bar.SetCurrent(p.Done)
}

// wait finishes the bar (also when training stopped early).
func (tb *trainBar) wait() {
	if tb.bar != nil {
		tb.bar.Abort(false)
	}
	tb.p.Wait()
}
