package plots

import (
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestInvalidInput checks that bad data is rejected before anything is
// written, with an *InputError naming the figure and the field.
func TestInvalidInput(t *testing.T) {
	mebin := func(edit func(r *MEBinData)) func(string) error {
		return func(out string) error {
			rows := mebinRows()
			edit(&rows[1])
			return MEBinFigure(out, rows)
		}
	}
	threshold := func(edit func(d *ThresholdData)) func(string) error {
		return func(out string) error {
			d := thresholdData()
			edit(&d)
			return ThresholdFigure(out, d)
		}
	}
	tsne := func(edit func(p *TSNEPanel)) func(string) error {
		return func(out string) error {
			ps := tsnePanels()
			edit(&ps[0])
			return TSNEFigure(out, ps)
		}
	}
	training := func(edit func(d *TrainingData)) func(string) error {
		return func(out string) error {
			d := trainingData()
			edit(&d)
			return TrainingCurves(out, d)
		}
	}
	attention := func(edit func(r *AttentionRow)) func(string) error {
		return func(out string) error {
			rows := attentionRows()
			edit(&rows[1])
			return AttentionFigure(out, rows)
		}
	}
	multi := func(edit func(it *MultiLabelItem)) func(string) error {
		return func(out string) error {
			items := multiLabelItems()
			edit(&items[0])
			return MultiLabelFigure(out, items)
		}
	}
	confusion := func(edit func(p *ConfusionPanel)) func(string) error {
		return func(out string) error {
			ps := confusionPanels()
			edit(&ps[1])
			return ConfusionFigure(out, ps)
		}
	}
	cases := []struct {
		name, figure, field string
		draw                func(out string) error
	}{
		{"mebin no rows", "MEBinFigure", "rows", func(out string) error { return MEBinFigure(out, nil) }},
		{"mebin short counts", "MEBinFigure", "rows[1].Counts", mebin(func(r *MEBinData) { r.Counts = r.Counts[:10] })},
		{"mebin empty thresholds", "MEBinFigure", "rows[1].Thresholds", mebin(func(r *MEBinData) { r.Thresholds, r.Counts = nil, nil })},
		{"mebin unsorted thresholds", "MEBinFigure", "rows[1].Thresholds", mebin(func(r *MEBinData) { r.Thresholds[3] = 255 })},
		{"mebin negative count", "MEBinFigure", "rows[1].Counts[5]", mebin(func(r *MEBinData) { r.Counts[5] = -1 })},
		{"mebin reversed interval", "MEBinFigure", "rows[1].IntervalStart/IntervalEnd", mebin(func(r *MEBinData) { r.IntervalStart, r.IntervalEnd = 20, 10 })},
		{"mebin half interval", "MEBinFigure", "rows[1].IntervalStart/IntervalEnd", mebin(func(r *MEBinData) { r.IntervalStart = -1 })},
		{"mebin interval past end", "MEBinFigure", "rows[1].IntervalStart/IntervalEnd", mebin(func(r *MEBinData) { r.IntervalEnd = 64 })},
		{"mebin nil map", "MEBinFigure", "rows[1].Map", mebin(func(r *MEBinData) { r.Map = nil })},
		{"mebin empty mask", "MEBinFigure", "rows[1].Mask", mebin(func(r *MEBinData) { r.Mask = image.NewGray(image.Rect(0, 0, 0, 5)) })},

		{"threshold no metric", "ThresholdFigure", "Metric", threshold(func(d *ThresholdData) { d.Metric = "" })},
		{"threshold no series", "ThresholdFigure", "Series", threshold(func(d *ThresholdData) { d.Series = nil })},
		{"threshold no detector", "ThresholdFigure", "Series[1].Detector", threshold(func(d *ThresholdData) { d.Series[1].Detector = "" })},
		{"threshold short values", "ThresholdFigure", "Series[1].Value", threshold(func(d *ThresholdData) { d.Series[1].Value = d.Series[1].Value[:3] })},
		{"threshold empty theta", "ThresholdFigure", "Series[2].Theta", threshold(func(d *ThresholdData) { d.Series[2].Theta, d.Series[2].Value = nil, nil })},
		{"threshold NaN value", "ThresholdFigure", "Series[0].Value[4]", threshold(func(d *ThresholdData) { d.Series[0].Value[4] = math.NaN() })},
		{"threshold infinite mebin", "ThresholdFigure", "Series[0].MEBin", threshold(func(d *ThresholdData) { d.Series[0].MEBin = math.Inf(1) })},

		{"tsne no panels", "TSNEFigure", "panels", func(out string) error { return TSNEFigure(out, nil) }},
		{"tsne no points", "TSNEFigure", "panels[0].Points", tsne(func(p *TSNEPanel) { p.Points, p.Labels = nil, nil })},
		{"tsne no classes", "TSNEFigure", "panels[0].Classes", tsne(func(p *TSNEPanel) { p.Classes = nil })},
		{"tsne short labels", "TSNEFigure", "panels[0].Labels", tsne(func(p *TSNEPanel) { p.Labels = p.Labels[1:] })},
		{"tsne label out of range", "TSNEFigure", "panels[0].Labels[7]", tsne(func(p *TSNEPanel) { p.Labels[7] = 4 })},
		{"tsne infinite point", "TSNEFigure", "panels[0].Points[3][1]", tsne(func(p *TSNEPanel) { p.Points[3][1] = math.Inf(-1) })},

		{"training no epochs", "TrainingCurves", "Epochs", training(func(d *TrainingData) { d.Epochs = nil })},
		{"training NaN epoch", "TrainingCurves", "Epochs[2]", training(func(d *TrainingData) { d.Epochs[2] = math.NaN() })},
		{"training no series", "TrainingCurves", "Series", training(func(d *TrainingData) { d.Series = nil })},
		{"training unnamed", "TrainingCurves", "Series[3].Name", training(func(d *TrainingData) { d.Series[3].Name = "" })},
		{"training short values", "TrainingCurves", "Series[2].Values", training(func(d *TrainingData) { d.Series[2].Values = d.Series[2].Values[:5] })},
		{"training infinite value", "TrainingCurves", "Series[0].Values[9]", training(func(d *TrainingData) { d.Series[0].Values[9] = math.Inf(1) })},

		{"attention no rows", "AttentionFigure", "rows", func(out string) error { return AttentionFigure(out, nil) }},
		{"attention nil image", "AttentionFigure", "rows[1].Image", attention(func(r *AttentionRow) { r.Image = nil })},
		{"attention zero grid", "AttentionFigure", "rows[1].Grid", attention(func(r *AttentionRow) { r.Grid = 0 })},
		{"attention no maps", "AttentionFigure", "rows[1].Maps", attention(func(r *AttentionRow) { r.Maps, r.Layers = nil, nil })},
		{"attention layer names", "AttentionFigure", "rows[1].Layers", attention(func(r *AttentionRow) { r.Layers = r.Layers[:1] })},
		{"attention wrong grid", "AttentionFigure", "rows[1].Maps[0]", attention(func(r *AttentionRow) { r.Grid = 16 })},
		{"attention NaN", "AttentionFigure", "rows[1].Maps[1][20]", attention(func(r *AttentionRow) { r.Maps[1][20] = math.NaN() })},

		{"multilabel no items", "MultiLabelFigure", "items", func(out string) error { return MultiLabelFigure(out, nil) }},
		{"multilabel nil image", "MultiLabelFigure", "items[0].Image", multi(func(it *MultiLabelItem) { it.Image = nil })},
		{"multilabel no classes", "MultiLabelFigure", "items[0].Classes", multi(func(it *MultiLabelItem) { it.Classes = nil })},
		{"multilabel boxes vs probs", "MultiLabelFigure", "items[0].CropProbs", multi(func(it *MultiLabelItem) { it.Boxes = it.Boxes[:1] })},
		{"multilabel empty box", "MultiLabelFigure", "items[0].Boxes[1]", multi(func(it *MultiLabelItem) { it.Boxes[1][2] = it.Boxes[1][0] })},
		{"multilabel crop probs length", "MultiLabelFigure", "items[0].CropProbs[1]", multi(func(it *MultiLabelItem) { it.CropProbs[1] = it.CropProbs[1][:2] })},
		{"multilabel crop prob range", "MultiLabelFigure", "items[0].CropProbs[0][2]", multi(func(it *MultiLabelItem) { it.CropProbs[0][2] = 1.5 })},
		{"multilabel image probs length", "MultiLabelFigure", "items[0].ImageProbs", multi(func(it *MultiLabelItem) { it.ImageProbs = nil })},
		{"multilabel image prob NaN", "MultiLabelFigure", "items[0].ImageProbs[3]", multi(func(it *MultiLabelItem) { it.ImageProbs[3] = math.NaN() })},
		{"multilabel threshold", "MultiLabelFigure", "items[0].Threshold[0]", multi(func(it *MultiLabelItem) { it.Threshold = -0.1 })},

		{"confusion no panels", "ConfusionFigure", "panels", func(out string) error { return ConfusionFigure(out, nil) }},
		{"confusion no classes", "ConfusionFigure", "panels[1].Classes", confusion(func(p *ConfusionPanel) { p.Classes, p.Counts = nil, nil })},
		{"confusion short counts", "ConfusionFigure", "panels[1].Counts", confusion(func(p *ConfusionPanel) { p.Counts = p.Counts[1:] })},
		{"confusion short row", "ConfusionFigure", "panels[1].Counts[2]", confusion(func(p *ConfusionPanel) { p.Counts[2] = p.Counts[2][1:] })},
		{"confusion negative", "ConfusionFigure", "panels[1].Counts[0][1]", confusion(func(p *ConfusionPanel) { p.Counts[0][1] = -1 })},

		{"empty out path", "TrainingCurves", "out", func(string) error { return TrainingCurves("", trainingData()) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			err := tc.draw(filepath.Join(dir, "fig"))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("got error %v, want *InputError", err)
			}
			if ie.Figure != tc.figure || ie.Field != tc.field {
				t.Errorf("got figure %q field %q (%v), want %q %q", ie.Figure, ie.Field, err, tc.figure, tc.field)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("rejected input still wrote %d files", len(entries))
			}
		})
	}
}
