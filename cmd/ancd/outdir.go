package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/anomalyncd/ancd/internal/atomicfile"
	"github.com/anomalyncd/ancd/internal/outdir"
)

// forceHelp is the help of every --force flag of a command with --out.
const forceHelp = "write into a non-empty --out that is not this command's earlier output; only this command's own files there are replaced, the others are kept"

// outWriter returns the folder writer of a command with --out: it refuses an
// --out that overlaps an input or holds files the command did not write
// (unless force), replaces only the command's own files, and removes its
// temporary folder when ctx ends (Ctrl-C, SIGTERM).
func outWriter(ctx context.Context, o outdir.Options) atomicfile.DirFunc {
	return func(dst string, fill func(tmp string) error) error {
		return outdir.Write(ctx, dst, o, fill)
	}
}

// commandName is "ancd <sub>" for a subcommand.
func commandName(cmd *cobra.Command) string {
	return cmd.CommandPath()
}
