package rules

import "cmp"

// Timer kinds, in the order Tick fires timers due at the same moment.
const (
	timerWelcome = iota
	timerRemind
	timerDispute
)

// timer is a pending timer. A timer whose state changed since it was pushed
// (a moved welcome, a cancelled reminder, a resolved dispute) is dropped
// when it falls due: the state, not the heap, is the truth, so that a
// snapshot needs only the state and a restored engine fires the same.
type timer struct {
	at            int64 // Unix ms
	kind          int
	group, member string
}

func (a timer) less(b timer) bool {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c < 0
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	if a.group != b.group {
		return a.group < b.group
	}
	return a.member < b.member
}

// timerHeap is a binary min-heap of timers ordered by less: the invariant
// is !h[i].less(h[(i-1)/2]) for every i > 0. Push and pop cost O(log n).
type timerHeap []timer

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s[i].less(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *timerHeap) pop() timer {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s[n] = timer{}
	s = s[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && s[l].less(s[m]) {
			m = l
		}
		if r < n && s[r].less(s[m]) {
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
