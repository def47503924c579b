package stats_test

import (
	"fmt"

	"github.com/qunops/qunops/internal/stats"
)

// 430 of 474 members read a notice: the reach rate's 95% interval.
func ExampleWilson() {
	lo, hi := stats.Wilson(430, 474, 1.96)
	fmt.Printf("[%.4f, %.4f]\n", lo, hi)
	// Output: [0.8777, 0.9301]
}
