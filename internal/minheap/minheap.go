package minheap

// Push adds x to the heap *h ordered by less. The invariant, kept by Push
// and Pop, is !less(s[i], s[(i-1)/2]) for every i > 0. Cost O(log n).
func Push[T any](h *[]T, x T, less func(a, b T) bool) {
	s := append(*h, x)
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !less(s[i], s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
	*h = s
}

// Pop removes and returns the least element of the non-empty heap *h. The
// vacated slot is zeroed, so the slice keeps no pointer of a popped
// element. Cost O(log n).
func Pop[T any](h *[]T, less func(a, b T) bool) T {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	var zero T
	s[n] = zero
	s = s[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && less(s[l], s[m]) {
			m = l
		}
		if r < n && less(s[r], s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
