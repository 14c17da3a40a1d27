package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
)

// TestBackboneExportAndReload pretrains a tiny filter-bank backbone with
// `ancd backbone`, checks that the file holds every backbone parameter of
// the configured model (stem statistics included) and that an existing
// --out is kept without --force; then a pretrain stage that loads it with
// model.weights (pretraining off) stores exactly the same backbone.
func TestBackboneExportAndReload(t *testing.T) {
	if testing.Short() {
		t.Skip("pretrains a backbone")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "backbones", "smoke.safetensors")
	tiny := []string{"data.synth_profile=smoke", "model.stem=filterbank", "model.dim=8", "model.heads=2", "model.depth=2",
		"model.mask_layers=1", "model.grad_from_block=1", "pretrain.epochs=1", "pretrain.train_embeddings=true"}
	args := append([]string{"backbone", "--profile", "smoke", "--store", filepath.Join(dir, "store"), "--out", out}, tiny...)
	text := runAncd(t, args...)
	if !strings.Contains(text, "sha256 ") {
		t.Errorf("no checksum printed:\n%s", text)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runAncdErr(args...); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("existing --out replaced without --force (err %v)", err)
	}

	cfg, err := experiments.Loader{}.LoadExperiment("", append([]string{"experiment.profile=smoke"}, tiny...)...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mgvit.New(stages.ModelConfig(cfg, 4, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := checkpoint.LoadPretrained(out, m.Params())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{mgvit.StemMeanParam, mgvit.StemStdParam, "patch_embed.proj.weight", "blocks.1.mlp.fc2.weight", "norm.bias"} {
		if !slices.Contains(rep.Loaded, name) {
			t.Errorf("%s not in the exported backbone (loaded %v)", name, rep.Loaded)
		}
	}
	if len(rep.Unused) != 0 {
		t.Errorf("unused tensors %v", rep.Unused)
	}

	again := filepath.Join(dir, "again.safetensors")
	reload := append(append([]string{"backbone", "--profile", "smoke", "--store", filepath.Join(dir, "store2"), "--out", again}, tiny...),
		"model.weights="+out, "pretrain.enabled=false")
	runAncd(t, reload...)
	second, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("a backbone loaded with model.weights (pretraining off) is not stored unchanged")
	}
}

// TestPretrainPrototypesAddClusterTerms pretrains the same tiny backbone
// with InfoNCE alone and with pretrain.prototypes: the pretrain log reports
// a cluster loss only with prototypes, the two backbones differ, and the
// prototype heads are not part of the exported backbone.
func TestPretrainPrototypesAddClusterTerms(t *testing.T) {
	if testing.Short() {
		t.Skip("pretrains two backbones")
	}
	tiny := []string{"data.synth_profile=smoke", "model.stem=filterbank", "model.dim=8", "model.heads=2", "model.depth=2",
		"model.mask_layers=1", "model.grad_from_block=1", "pretrain.epochs=2", "pretrain.train_embeddings=true"}
	pretrain := func(protos string) (backbone []byte, log string) {
		dir := t.TempDir()
		out := filepath.Join(dir, "backbone.safetensors")
		store := filepath.Join(dir, "store")
		runAncd(t, append([]string{"backbone", "--profile", "smoke", "--store", store, "--out", out}, append(tiny, "pretrain.prototypes="+protos)...)...)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		logs, err := filepath.Glob(filepath.Join(store, "logs", "pretrain", "*.log"))
		if err != nil || len(logs) != 1 {
			t.Fatalf("pretrain logs %v (%v), want one", logs, err)
		}
		l, err := os.ReadFile(logs[0])
		if err != nil {
			t.Fatal(err)
		}
		return b, string(l)
	}
	clusterLosses := func(log string) []string {
		var v []string
		for _, line := range strings.Split(log, "\n") {
			if i := strings.Index(line, " cluster="); strings.Contains(line, "msg=epoch") && i >= 0 {
				v = append(v, strings.Fields(line[i+len(" cluster="):])[0])
			}
		}
		return v
	}
	plain, plainLog := pretrain("0")
	protos, protosLog := pretrain("8")
	if got := clusterLosses(plainLog); len(got) != 2 || got[0] != "0" || got[1] != "0" {
		t.Errorf("InfoNCE alone: epoch cluster losses %v, want [0 0]\n%s", got, plainLog)
	}
	if got := clusterLosses(protosLog); len(got) != 2 || got[0] == "0" || got[1] == "0" {
		t.Errorf("prototypes 8: epoch cluster losses %v, want two non-zero\n%s", got, protosLog)
	}
	if bytes.Equal(plain, protos) {
		t.Error("pretraining with prototypes stored the same backbone as InfoNCE alone")
	}
	for _, b := range [][]byte{plain, protos} {
		if bytes.Contains(b, []byte("heads.")) {
			t.Error("an exported backbone holds prototype heads")
		}
	}
}
