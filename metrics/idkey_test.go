package metrics

import (
	"encoding/binary"
	"hash/fnv"
	"testing"

	"pgregory.net/rapid"
)

// keyOf is the standard library's FNV-1a 128 (hash/fnv.New128a), the
// reference implementation of the algorithm.
func TestKeyOfIsFNV1a128(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.String().Draw(t, "id")
		h := fnv.New128a()
		h.Write([]byte(id))
		sum := h.Sum(nil)
		want := idKey{binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:])}
		if got := keyOf(id); got != want {
			t.Fatalf("keyOf(%q) = %x, want %x", id, got, want)
		}
	})
}
