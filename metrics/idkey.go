package metrics

import "github.com/qunops/qunops/internal/fnv128"

// idKey identifies an event ID by its 128-bit FNV-1a hash. The tracker keeps
// (95 bits of) keys instead of the ID strings, in an idSet: no pointers and
// no string bytes, which spares the garbage collector from scanning millions
// of strings. A hash without cryptographic strength is enough because IDs
// come from the operator's own exports.
type idKey [2]uint64

// keyOf returns the FNV-1a 128 hash of id.
func keyOf(id string) idKey {
	hi, lo := fnv128.Sum(id)
	return idKey{hi, lo}
}
