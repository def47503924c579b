package binx_test

import (
	"encoding/binary"
	"fmt"

	"github.com/qunops/qunops/internal/binx"
)

// A record of a name and a count, read whole and checked once; then the
// same record cut short, whose failure the caller words its own way.
func ExampleReader() {
	data := binx.AppendString(nil, "闲聊群")
	data = binary.AppendUvarint(data, 300)

	r := binx.NewReader(data)
	name := string(r.Bytes(int(r.Uvarint())))
	n := r.Uvarint()
	fmt.Println(name, n, r.Err(), r.Len())

	r = binx.NewReader(data[:5])
	name = string(r.Bytes(int(r.Uvarint())))
	if r.Err() == binx.ErrTruncated {
		fmt.Printf("qunops: name at byte %d: data is cut short\n", r.Offset())
	}
	// Output:
	// 闲聊群 300 <nil> 0
	// qunops: name at byte 1: data is cut short
}
