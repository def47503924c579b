package pages_test

import (
	"fmt"

	"github.com/qunops/qunops/internal/pages"
)

// A table about to be rebuilt by probing: touch its pages for writing first.
func ExampleTouchNew() {
	slots := make([][2]uint64, 1<<16) // 1 MiB, usually fresh memory
	pages.TouchNew(slots)
	fmt.Println(len(slots), slots[0], slots[len(slots)-1])
	// Output: 65536 [0 0] [0 0]
}
