package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/experiments"
	"github.com/anomalyncd/ancd/experiments/stages"
	"github.com/anomalyncd/ancd/internal/atomicfile"
	"github.com/anomalyncd/ancd/runners"
)

type backboneFlags struct {
	runFlags
	profile string
	out     string
	force   bool
}

func newBackboneCmd() *cobra.Command {
	f := backboneFlags{runFlags: runFlags{action: actionRun}}
	cmd := &cobra.Command{
		Use:   "backbone --out FILE [key.path=value ...]",
		Short: "Pretrain (or fetch from the store) the study's backbone and export it as safetensors",
		Long: `Runs the data and pretrain stages of the default configuration of a profile
(base.yaml < profiles/<profile>.yaml < key.path=value overrides) through the
run store, so a study that already pretrained it costs nothing, and writes
the backbone (every ViT parameter, the filter-bank stem's statistics
included) to --out. The same config always gives the same bytes; the file's
SHA-256 is printed. Load it in any study with model.weights=FILE (and
pretrain.enabled=false to use it as it is).`,
		RunE: func(cmd *cobra.Command, args []string) error { return runBackbone(cmd, f, args) },
	}
	addRunnerFlags(cmd, &f.runFlags)
	cmd.Flags().StringVar(&f.profile, "profile", "quick", "size profile: smoke, quick or full")
	cmd.Flags().StringVar(&f.out, "out", "", "safetensors file to write (required)")
	cmd.Flags().BoolVar(&f.force, "force", false, "replace --out if it exists")
	return cmd
}

// backbonePipeline is the part of the pipeline the backbone depends on.
func backbonePipeline() experiments.Pipeline {
	var p experiments.Pipeline
	for _, st := range experiments.DefaultPipeline() {
		if st.Name == experiments.StageData || st.Name == experiments.StagePretrain {
			p = append(p, st)
		}
	}
	return p
}

func runBackbone(cmd *cobra.Command, f backboneFlags, args []string) error {
	if f.out == "" && f.task == "" {
		return errors.New("--out is required")
	}
	if f.out != "" && !f.force {
		if _, err := os.Stat(f.out); err == nil {
			return fmt.Errorf("--out %s exists; pass --force to replace it", f.out)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--out %s: %w", f.out, err)
		}
	}
	ovs := append([]string{"experiment.profile=" + f.profile}, args...)
	var trace configTrace
	cfg, err := loaderFor(f.configs, &trace).LoadExperiment("", ovs...)
	if err != nil {
		return err
	}
	trace.print(cmd.ErrOrStderr())
	study, err := experiments.PlanStudy(backbonePipeline(), []experiments.Point{{Label: "backbone", Seed: cfg.Experiment.Seed, Config: cfg}})
	if err != nil {
		return err
	}
	if f.dryRun {
		for _, t := range study.Tasks {
			fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\n", t.Stage, runners.ShortKey(t.Key), t.Name)
		}
		return nil
	}
	command := append([]string{"backbone", "--profile", f.profile}, args...)
	store, err := executeStudy(cmd, f.runFlags, study, command)
	if err != nil || store == nil || f.task != "" {
		return err
	}
	key := study.PointKeys[0][experiments.StagePretrain]
	data, err := os.ReadFile(filepath.Join(store.Dir(experiments.StagePretrain, key), stages.BackboneFile))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.out), 0o755); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(f.out, data); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d bytes, sha256 %s; pretrain entry %s)\n", f.out, len(data), hex.EncodeToString(sum[:]), key[:12])
	return nil
}
