package rules

import (
	"cmp"

	"github.com/qunops/qunops/internal/minheap"
)

// Timer kinds, in the order Tick fires timers due at the same moment.
const (
	timerWelcome = iota
	timerRemind
	timerDispute
	timerPassphrase
	timerReview
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

func (h *timerHeap) push(t timer) { minheap.Push((*[]timer)(h), t, timer.less) }

func (h *timerHeap) pop() timer { return minheap.Pop((*[]timer)(h), timer.less) }
