// Package steps remembers which steps of a multi-call action a transport has
// already done, so that a retried action (the runner retries the same
// rules.Action after a transient error) does not repeat a step that
// succeeded: a Remove is a kick and a post, and a retry after a failed post
// must not kick again and fail on a member who is already gone.
//
// The memory is in-process only: after a crash the runner may perform an
// action that was in flight again from its first step.
package steps

import (
	"fmt"
	"sync"

	"github.com/qunops/qunops/rules"
)

// Max bounds the remembered actions. An action the runner gave up on leaves
// its entry behind; when Max entries are held the oldest memory is dropped
// at once (ours: retries happen within minutes, long before 4096 other
// multi-step actions).
const Max = 4096

// Memo is a set of done steps keyed by action. Safe for concurrent use; the
// zero Memo is ready.
type Memo struct {
	mu   sync.Mutex
	done map[string]uint8
}

// Key identifies an action: its type, group, member, message and time.
func Key(a rules.Action) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%d", a.Type, a.Group, a.Member, a.MessageID, a.Time.UnixNano())
}

// Done reports whether step (0..7) of the action with key k is done.
func (m *Memo) Done(k string, step uint8) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.done[k]&(1<<step) != 0
}

// Mark records step of k as done.
func (m *Memo) Mark(k string, step uint8) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done == nil || len(m.done) >= Max {
		m.done = make(map[string]uint8)
	}
	m.done[k] |= 1 << step
}

// Forget drops k: its action finished.
func (m *Memo) Forget(k string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.done, k)
}

// Len returns the number of remembered actions.
func (m *Memo) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.done)
}
