package train

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/anomalyncd/ancd/core/mgvit"
)

// tinyMGViT is a few-thousand-parameter MGViT so the real model runs in tests.
func tinyMGViT(t *testing.T, labeled, novel, size int) *mgvit.Model {
	t.Helper()
	c := mgvit.DefaultConfig(labeled, novel)
	c.ImageSize, c.PatchSize, c.Dim, c.Depth, c.Heads = size, 8, 16, 2, 2
	c.MaskLayers, c.GradFromBlock, c.ProjHidden, c.ProjOut, c.NumHeads = 1, 1, 16, 8, 2
	c.Seed = 3
	m, err := mgvit.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// trainStraightAndResumed trains a tiny MGViT on items for cfg.Epochs
// epochs straight, and another with a stop after epoch 1 and a resume (on
// other worker counts); it checks that weights, predictions, features and
// checkpoint are identical and returns the straight run's model, outputs
// and folder.
func trainStraightAndResumed(t *testing.T, items []Item, cfg Config) (*mgvit.Model, Predictions, string) {
	t.Helper()
	ctx := context.Background()
	full := t.TempDir()
	mFull := tinyMGViT(t, 2, 2, cfg.ImageSize)
	preds, err := Run(ctx, mFull, items, cfg, Options{OutDir: full, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	part := t.TempDir()
	if _, err := Run(ctx, tinyMGViT(t, 2, 2, cfg.ImageSize), items, cfg, Options{OutDir: part, Workers: 1, StopAfter: 1}); !errors.Is(err, ErrStopped) {
		t.Fatalf("err = %v, want ErrStopped", err)
	}
	mRes := tinyMGViT(t, 2, 2, cfg.ImageSize)
	if _, err := Run(ctx, mRes, items, cfg, Options{OutDir: part, Workers: 2, Resume: true}); err != nil {
		t.Fatal(err)
	}
	for i, p := range mRes.Params() {
		if !slices.Equal(p.Value, mFull.Params()[i].Value) {
			t.Errorf("param %s differs after resume", p.Name)
		}
	}
	for _, f := range []string{PredictionsFile, FeaturesFile, CheckpointFile} {
		if !bytes.Equal(readFile(t, filepath.Join(full, f)), readFile(t, filepath.Join(part, f))) {
			t.Errorf("%s differs after resume", f)
		}
	}
	return mFull, preds, full
}

// TestRunWithMGViTResumes trains the real model for 3 epochs straight and
// with a stop after epoch 1, and expects identical weights and outputs.
func TestRunWithMGViTResumes(t *testing.T) {
	items := writeCrops(t, t.TempDir(), 8, 3)
	cfg := testConfig()
	cfg.Epochs, cfg.LR = 3, 0.01
	mFull, preds, _ := trainStraightAndResumed(t, items, cfg)
	if len(preds.Crops) != 5 || preds.Classes != 4 || len(preds.ClusterPerHead) != 2 {
		t.Fatalf("predictions: %d crops, %d classes, %d heads", len(preds.Crops), preds.Classes, len(preds.ClusterPerHead))
	}
	moved := false
	init := tinyMGViT(t, 2, 2, cfg.ImageSize).Params()
	for i, p := range mFull.Params() {
		if p.Train && !slices.Equal(p.Value, init[i].Value) {
			moved = true
		}
	}
	if !moved {
		t.Error("no trainable parameter moved")
	}
}
