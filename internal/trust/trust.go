package trust

import "github.com/qunops/qunops"

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
	// key, when not nil, is TrackerEventKey(e), computed ahead (by a
	// decoder, while the event's bytes are in its cache).
	TrackerAddHinted func(t any, e *qunops.Event, hint int32, key *[2]uint64) error
	// TrackerEventKey returns the key under which a metrics.Tracker
	// deduplicates e, an event with an ID. Set by package metrics.
	TrackerEventKey func(e *qunops.Event) [2]uint64
	// TallyAdd is (*tiering.Tally).Add without the call of Validate; t is
	// a *tiering.Tally. Set by package tiering.
	TallyAdd func(t any, e *qunops.Event) error
)
