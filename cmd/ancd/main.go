// Command ancd is the single entry point of the AnomalyNCD experiment
// framework. It is thin: flags are parsed here and handed to the packages
// under core/, experiments/, runners/, results/, ablations/ and plots/.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Ctrl-C and SIGTERM cancel the command's context: commands stop and
	// remove their temporary folders instead of leaving them behind.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ancd:", err)
		os.Exit(1)
	}
}
