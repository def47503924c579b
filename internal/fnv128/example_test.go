package fnv128_test

import (
	"fmt"

	"github.com/qunops/qunops/internal/fnv128"
)

// The key of an event ID, as metrics and tiering keep it. The empty string
// hashes to the FNV-1a 128 offset basis.
func ExampleSum() {
	hi, lo := fnv128.Sum("")
	fmt.Printf("%016x%016x\n", hi, lo)
	hi2, lo2 := fnv128.Sum("chatlog:1")
	fmt.Println(hi2 != hi || lo2 != lo)
	// Output:
	// 6c62272e07bb014262b821756295c58d
	// true
}
