package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/anomalyncd/ancd/core/train"
)

// TestTrainWithoutBase: ancd train without --base trains on the unlabeled
// crops alone (the paper's w/o D^l) and writes its outputs; a train that
// fails leaves no checkpoint or metrics behind, and keeps what was there.
func TestTrainWithoutBase(t *testing.T) {
	dir := t.TempDir()
	data, maps, bin := filepath.Join(dir, "data"), filepath.Join(dir, "maps"), filepath.Join(dir, "bin")
	runAncd(t, "synth", "--profile", "smoke", "--seed", "1", "--out", data)
	runAncd(t, "detect", "--data", filepath.Join(data, "mvtec"), "--method", "gt", "--category", "wood", "--out", maps)
	runAncd(t, "binarize", "--maps", maps, "--images", filepath.Join(data, "mvtec"), "--out", bin)
	tiny := []string{"--epochs", "1", "--batch-size", "8", "--image-size", "32", "--patch-size", "8", "--dim", "24",
		"--depth", "2", "--heads", "2", "--grad-from-block", "0", "--mask-layers", "1"}

	out := filepath.Join(dir, "run")
	runAncd(t, append([]string{"train", "--crops", bin, "--category", "wood", "--out", out}, tiny...)...)
	for _, f := range []string{train.CheckpointFile, train.MetricsFile, train.PredictionsFile, train.FeaturesFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("train without --base: %v", err)
		}
	}

	// Only labeled items: every batch is skipped and the run fails at the end.
	cs, err := train.ReadBinarizedCrops(bin, "wood", 0.5)
	if err != nil {
		t.Fatal(err)
	}
	items := cs.Items
	for i := range items {
		items[i].Label = 0
	}
	b, _ := json.Marshal(items)
	itemsPath := filepath.Join(dir, "labeled.json")
	if err := os.WriteFile(itemsPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	failed := filepath.Join(dir, "failed")
	args := append([]string{"train", "--items", itemsPath, "--novel", "3", "--labeled", "1", "--out", failed}, tiny...)
	if _, err := runAncdErr(args...); err == nil {
		t.Fatal("training on labeled items only succeeded")
	}
	if _, err := os.Stat(failed); !errors.Is(err, os.ErrNotExist) {
		entries, _ := os.ReadDir(failed)
		t.Fatalf("the failed train left %s with %d entries", failed, len(entries))
	}
	// In a folder that existed, the user's files stay.
	if err := os.MkdirAll(failed, 0o755); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(failed, "notes.txt")
	os.WriteFile(notes, []byte("mine"), 0o644)
	if _, err := runAncdErr(args...); err == nil {
		t.Fatal("training on labeled items only succeeded")
	}
	entries, _ := os.ReadDir(failed)
	if len(entries) != 1 || entries[0].Name() != "notes.txt" {
		t.Fatalf("after a failed train %s holds %v, want only notes.txt", failed, entries)
	}
	// --out may not overlap an input.
	if _, err := runAncdErr(append([]string{"train", "--crops", bin, "--category", "wood", "--out", filepath.Join(bin, "run")}, tiny...)...); err == nil {
		t.Fatal("train --out inside --crops succeeded")
	}
	// --labeled without labeled items is an error.
	if _, err := runAncdErr(append([]string{"train", "--crops", bin, "--category", "wood", "--labeled", "2", "--out", filepath.Join(dir, "x")}, tiny...)...); err == nil {
		t.Fatal("--labeled 2 without base crops succeeded")
	}
}
