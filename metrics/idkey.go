package metrics

import (
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
)

// idKey identifies an event with an ID by a 128-bit hash (package
// wordhash) of the ID and the event's facts (see eventKey). The tracker keeps (95 bits of) keys
// instead of the ID strings, in an idSet: no pointers and no string bytes,
// which spares the garbage collector from scanning millions of strings. A
// hash without cryptographic strength is enough because IDs come from the
// operator's own exports.
type idKey [2]uint64

// eventKey returns the key under which a tracker deduplicates e, which has
// an ID: a hash of the ID together with what the tracker records of e (its
// type, member, item and instant). So two deliveries of one event (the same
// ID and the same facts, whatever their text, actor or UTC offset) share a
// key and count once, while two different events that a hostile or broken
// exporter gave one ID have two keys and both count. That rule depends
// only on the set of events, not on the order they arrive in or on how
// they are split over trackers, which is what makes Merge exact for them
// (issue 18); "the first one added wins" would need each tracker to undo
// an event that another tracker's earlier event overrides, and the
// tracker keeps no event to undo.
func eventKey(e *qunops.Event) idKey { return trust.EventKey(e) }
