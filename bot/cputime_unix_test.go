//go:build unix

package bot

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used so far (user and
// system, all threads), or 0 when it cannot be read. BenchmarkRunner
// reports CPU time per event beside wall time: on a shared machine the
// wall clock also counts the time other processes held the core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
