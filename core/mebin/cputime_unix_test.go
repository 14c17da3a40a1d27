//go:build unix

package mebin

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the process has used, to
// measure work independently of other load on a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
