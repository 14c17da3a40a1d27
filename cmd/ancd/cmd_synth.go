package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/core/dataset"
	"github.com/anomalyncd/ancd/core/synth"
	"github.com/anomalyncd/ancd/internal/outdir"
)

func newSynthCmd() *cobra.Command {
	var (
		profile, profileFile, out, galleryDir string
		seed                                  uint64
		workers, perType                      int
		force                                 bool
	)
	cmd := &cobra.Command{
		Use:   "synth",
		Short: "Generate the synthetic MVTec-AD/MTD/AeBAD-like benchmark",
		Long: "synth writes <out>/mvtec, <out>/mtd and <out>/aebad in the real dataset layouts,\n" +
			"deterministically from --seed, sized by a profile (configs/synth/<profile>.yaml\n" +
			"or --profile-file). With --gallery it also writes one image/mask grid per category.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var p synth.Profile
			var err error
			if profileFile != "" {
				p, err = synth.LoadProfileFile(profileFile)
			} else {
				p, err = synth.LoadProfile(profile)
			}
			if err != nil {
				return err
			}
			if workers < 0 {
				return fmt.Errorf("--workers %d: want 0 (all CPUs) or more", workers)
			}
			o := outdir.Options{Command: commandName(cmd), Force: force,
				Inputs: []outdir.Input{{Flag: "--profile-file", Path: profileFile}, {Flag: "--gallery", Path: galleryDir}}}
			if err := outdir.Check(out, o); err != nil {
				return err
			}
			sum, err := synth.GenerateWith(cmd.Context(), p, seed, out, workers, outWriter(cmd.Context(), o))
			if err != nil {
				return err
			}
			for _, ds := range sum.Datasets {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%d images\t%d masks\n", ds.Format, ds.Root, ds.Images, ds.Masks)
				if galleryDir == "" {
					continue
				}
				set, err := dataset.Open(ds.Format, ds.Root)
				if err != nil {
					return err
				}
				for _, cat := range set.Categories {
					file := filepath.Join(galleryDir, ds.Format+"_"+cat+".png")
					if err := synth.Gallery(set, cat, perType, file); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&profile, "profile", "quick", "profile name in configs/synth ("+strings.Join(synth.ProfileNames(), ", ")+")")
	f.StringVar(&profileFile, "profile-file", "", "read the profile from this YAML file instead of --profile")
	f.Uint64Var(&seed, "seed", 0, "random seed")
	f.StringVar(&out, "out", "data/synth", "output folder (written atomically; see --force)")
	f.BoolVar(&force, "force", false, forceHelp)
	f.IntVar(&workers, "workers", 0, "parallel workers (0: all CPUs); output does not depend on it")
	f.StringVar(&galleryDir, "gallery", "", "also write <format>_<category>.png galleries into this folder")
	f.IntVar(&perType, "gallery-per-type", 3, "images per type in each gallery")
	return cmd
}
