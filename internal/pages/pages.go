package pages

import "unsafe"

// Size is the page size assumed: the smallest in common use. On systems with
// larger pages TouchNew writes more often than it needs to, which is
// harmless.
const Size = 4096

// TouchNew writes the zero value into one element of every Size bytes of s,
// which must be a new, all-zero slice: it leaves the contents unchanged.
func TouchNew[T any](s []T) {
	var zero T
	step := max(1, Size/int(unsafe.Sizeof(zero)))
	for i := 0; i < len(s); i += step {
		s[i] = zero
	}
}
