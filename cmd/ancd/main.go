// Command ancd is the single entry point of the AnomalyNCD experiment
// framework. It is thin: flags are parsed here and handed to the packages
// under core/, experiments/, runners/, results/, ablations/ and plots/.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "ancd:", err)
		os.Exit(1)
	}
}
