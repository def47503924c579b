//go:build !unix

package bot

import "time"

// processCPU is not available here; benchmarks skip the CPU-time metric.
func processCPU() time.Duration { return 0 }
