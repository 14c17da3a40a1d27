package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anomalyncd/ancd/core/checkpoint"
	"github.com/anomalyncd/ancd/core/mgvit"
	"github.com/anomalyncd/ancd/core/train"
	"github.com/anomalyncd/ancd/internal/outdir"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// newTrainCmd trains the mask-guided classifier on a crop set and writes
// the checkpoint, metrics log and per-crop predictions.
func newTrainCmd() *cobra.Command {
	cfg := train.DefaultConfig()
	mc := mgvit.DefaultConfig(0, 0)
	var (
		crops, base, itemsPath, scoresPath, out, weights, category string
		threshold                                                  float64
		noPLR, noResume                                            bool
		workers, stopAfter                                         int
		placement                                                  string
	)
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Train the mask-guided ViT classifier on a crop set (reference MGRL stage)",
		Long: "Trains on the unlabeled crops of --crops (and the labeled base crops of --base), both in\n" +
			"the crop layout <dir>/<type>/<stem>_crop<k>.png + <dir>/ground_truth/<type>/..., or on the\n" +
			"items of --items (JSON array of {image, mask, label, weight, group}). Writes to --out:\n" +
			"checkpoint.safetensors (resumed automatically), metrics.jsonl, predictions.json and\n" +
			"features.safetensors. Defaults are the reference's (50 epochs, batch 32, lr 0.003,\n" +
			"ViT-B/8 at 224 px); --weights loads DINO weights (timm or Hugging Face names).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if workers < 0 {
				return fmt.Errorf("--workers %d: want 0 (all CPUs) or more", workers)
			}
			if err := outdir.CheckInputs(out, commandName(cmd), []outdir.Input{{Flag: "--crops", Path: crops}, {Flag: "--base", Path: base},
				{Flag: "--items", Path: itemsPath}, {Flag: "--scores", Path: scoresPath}, {Flag: "--weights", Path: weights}}); err != nil {
				return err
			}
			var cs train.CropSet
			switch {
			case itemsPath != "":
				items, err := train.ReadItems(itemsPath)
				if err != nil {
					return err
				}
				cs.Items = items
			case crops != "" && train.IsBinarizeOutput(crops):
				var err error
				if cs, err = train.ReadBinarizedCrops(crops, category, threshold); err != nil {
					return err
				}
				if base != "" {
					if err := cs.AddBase(base); err != nil {
						return err
					}
				}
			case crops != "":
				var scores train.Scores
				if scoresPath != "" {
					var err error
					if scores, err = train.ReadScores(scoresPath); err != nil {
						return err
					}
				}
				var err error
				if cs, err = train.ReadCropSet(crops, base, scores, threshold); err != nil {
					return err
				}
			default:
				return fmt.Errorf("train: give --crops or --items")
			}
			if mc.NumNovel == 0 {
				mc.NumNovel = len(cs.NovelTypes)
			}
			if mc.NumLabeled == 0 {
				mc.NumLabeled = len(cs.BaseTypes)
			}
			if mc.NumNovel == 0 {
				return fmt.Errorf("train: number of novel classes unknown; pass --novel")
			}
			if !slices.ContainsFunc(cs.Items, train.Item.Labeled) {
				// No labeled base set (the paper's "w/o D^l"): train on the
				// unlabeled crops alone, without the cls and SupCon terms.
				if mc.NumLabeled > 0 {
					return fmt.Errorf("train: --labeled %d but no labeled base crops; give --base (or items with labels), or leave --labeled out", mc.NumLabeled)
				}
				mc.Loss.NoLabeled = true
			}
			mc.ImageSize = cfg.ImageSize
			mc.Seed = cfg.Seed
			mc.MaskPlacement = mgvit.Placement(placement)
			mc.Loss.NoPLR = noPLR
			cfg.PLR = !noPLR
			model, err := mgvit.New(mc)
			if err != nil {
				return err
			}
			if weights != "" {
				rep, err := checkpoint.LoadPretrained(weights, model.Params())
				if err != nil {
					return err
				}
				slog.Info("pretrained weights", "file", weights, "loaded", len(rep.Loaded),
					"missing", strings.Join(rep.Missing, ","), "unused", len(rep.Unused), "interpolated", strings.Join(rep.Interpolated, ","))
			}
			opts := train.Options{OutDir: out, Workers: workers, Resume: !noResume, StopAfter: stopAfter, Logger: slog.Default()}
			if term.IsTerminal(int(os.Stderr.Fd())) {
				bar := newItemProgress("training")
				defer bar.Done()
				opts.Progress = func(p train.Progress) { bar.Report(int(p.Done), int(p.Total)) }
			}
			keep := existingOutputs(out)
			preds, err := train.Run(cmd.Context(), model, cs.Items, cfg, opts)
			if err != nil {
				if cmd.Context().Err() == nil { // interrupted runs keep their checkpoint to resume
					removeNewOutputs(out, keep)
				}
				return err
			}
			slog.Info("trained", "out", out, "head", preds.Head, "crops", len(preds.Crops), "classes", preds.Classes)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&crops, "crops", "", "unlabeled crop folder (output of ancd binarize)")
	f.StringVar(&category, "category", "", "category of an ancd binarize output holding several")
	f.StringVar(&base, "base", "", "labeled base crop folder (optional; without it the model trains on the unlabeled crops alone, the paper's w/o D^l)")
	f.StringVar(&itemsPath, "items", "", "JSON list of training items instead of --crops/--base")
	f.StringVar(&scoresPath, "scores", "", "crop anomaly scores JSON (type → crop file → score) for PLR weights")
	f.Float64Var(&threshold, "anomaly-thred", 0.5, "PLR threshold: weight = max(0, thred − score); -1 = off")
	f.StringVar(&out, "out", "", "output folder")
	f.StringVar(&weights, "weights", "", "pretrained DINO ViT safetensors file")
	f.BoolVar(&noPLR, "no-plr", false, "switch pseudo-label re-correction off")
	f.BoolVar(&noResume, "no-resume", false, "ignore an existing checkpoint in --out (it is overwritten)")
	f.IntVar(&workers, "workers", 0, "augmentation goroutines (0 = all CPUs; results do not depend on it)")
	f.IntVar(&stopAfter, "stop-after", 0, "stop after this many completed epochs (resume later)")
	f.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "training epochs")
	f.IntVar(&cfg.BatchSize, "batch-size", cfg.BatchSize, "batch size")
	f.Float64Var(&cfg.LR, "lr", cfg.LR, "initial learning rate (cosine to lr·1e-3)")
	f.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "seed of initialisation, sampler and augmentation")
	f.IntVar(&cfg.ImageSize, "image-size", cfg.ImageSize, "network input size S")
	f.IntVar(&mc.NumNovel, "novel", 0, "novel classes U (0 = number of crop type folders)")
	f.IntVar(&mc.NumLabeled, "labeled", 0, "base classes L (0 = number of base type folders)")
	f.IntVar(&mc.PatchSize, "patch-size", mc.PatchSize, "ViT patch size")
	f.IntVar(&mc.Dim, "dim", mc.Dim, "ViT width")
	f.IntVar(&mc.Depth, "depth", mc.Depth, "ViT blocks")
	f.IntVar(&mc.Heads, "heads", mc.Heads, "attention heads")
	f.IntVar(&mc.GradFromBlock, "grad-from-block", mc.GradFromBlock, "first trained block")
	f.IntVar(&mc.MaskLayers, "mask-layers", mc.MaskLayers, "mask-guided attention in the last N blocks")
	f.StringVar(&placement, "mask-placement", string(mc.MaskPlacement), "mask placement: none, cls, patch or all")
	f.IntVar(&mc.ProjHidden, "proj-hidden", mc.ProjHidden, "projector hidden width")
	f.IntVar(&mc.ProjOut, "proj-out", mc.ProjOut, "projector output width")
	f.IntVar(&mc.NumHeads, "n-head", mc.NumHeads, "classifier heads")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// trainOutputs are the files ancd train writes into --out.
func trainOutputs() []string {
	return []string{train.CheckpointFile, train.MetricsFile, train.PredictionsFile, train.FeaturesFile}
}

// existingOutputs lists which of train's output files (and whether the
// folder itself) exist in out before a run.
func existingOutputs(out string) map[string]bool {
	have := map[string]bool{}
	if _, err := os.Stat(out); err == nil {
		have["."] = true
	}
	for _, name := range trainOutputs() {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			have[name] = true
		}
	}
	return have
}

// removeNewOutputs removes the output files a failed run created in out
// (those not in keep), and out itself when the run created it and it is
// now empty; files that were there before stay.
func removeNewOutputs(out string, keep map[string]bool) {
	for _, name := range trainOutputs() {
		if !keep[name] {
			if err := os.Remove(filepath.Join(out, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				slog.Warn("could not remove the output of the failed run", "file", filepath.Join(out, name), "err", err)
			}
		}
	}
	if !keep["."] {
		os.Remove(out) // only when empty
	}
}
