package trust

import (
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/wordhash"
)

var (
	// TrackerAdd is (*metrics.Tracker).Add without the call of Validate;
	// t is a *metrics.Tracker. Set by package metrics.
	TrackerAdd func(t any, e *qunops.Event) error
	// TrackerAddHinted is TrackerAdd with the caller's number of
	// e.Member in e.Group, a hint of 0 or more that spares the tracker
	// its look-up of the member by name once it has seen the number. A
	// caller numbers the members of each group of the tracker one to
	// one, as long as it neither merges nor absorbs the tracker (which
	// forget the hints): two members may not share a number, nor one
	// member have two. Set by package metrics.
	// key, when not nil, is EventKey(e), computed ahead (by a
	// decoder, while the event's bytes are in its cache).
	TrackerAddHinted func(t any, e *qunops.Event, hint int32, key *[2]uint64) error
	// TrackerSpan returns the calendar days that the Days of group in t
	// (a *metrics.Tracker) lists, first and last included, and the first
	// and last of them; 0 days for a group without events. Set by package
	// metrics.
	TrackerSpan func(t any, group string) (days int64, first, last time.Time)
	// TrackerExpectIDs tells t (a *metrics.Tracker) about how many
	// events with an ID each named group will bring, an estimate (of
	// report's first pass over a file): a group's table of IDs is made
	// that size when the group is created, instead of doubling its way
	// there. It changes no result. ids is read, never written, and may
	// be shared by trackers. Set by package metrics.
	TrackerExpectIDs func(t any, ids map[string]int)
	// TallyAdd is (*tiering.Tally).Add without the call of Validate; t is
	// a *tiering.Tally. Set by package tiering.
	TallyAdd func(t any, e *qunops.Event) error
)

// EventKey returns the key under which a metrics.Tracker deduplicates e, an
// event with an ID: a 128-bit hash (package wordhash) of the ID and of what
// the tracker records of e, its type, member, item and instant (the rule is
// explained at metrics.eventKey). It is a plain function, not one set by
// package metrics, so that a caller's event stays on its stack: a call
// through a function variable makes the compiler move the event to the heap
// (issue 18: one allocation of the event's size per line of the log).
func EventKey(e *qunops.Event) [2]uint64 {
	h := wordhash.New()
	h.String(e.ID)
	h.String(string(e.Type))
	h.String(e.Member)
	h.String(e.Item)
	h.Word(uint64(e.Time.Unix()))
	h.Word(uint64(e.Time.Nanosecond()))
	hi, lo := h.Sum()
	return [2]uint64{hi, lo}
}
