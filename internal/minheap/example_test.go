package minheap_test

import (
	"fmt"

	"github.com/qunops/qunops/internal/minheap"
)

// Deadlines in seconds, popped in order.
func Example() {
	var h []int64
	less := func(a, b int64) bool { return a < b }
	for _, at := range []int64{900, 60, 3600, 60} {
		minheap.Push(&h, at, less)
	}
	for len(h) > 0 {
		fmt.Print(minheap.Pop(&h, less), " ")
	}
	fmt.Println()
	// Output: 60 60 900 3600
}
