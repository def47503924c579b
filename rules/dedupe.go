package rules

// dedupe remembers the ids of the events Handle handled within the dedupe
// window, so that a redelivery (a webhook retry of the same event) counts
// once. It keeps a 64-bit hash of each id, not the id: a lookup and an
// insertion allocate nothing in the steady state, and an entry costs the
// same whatever the id's length. Two different ids collide with
// probability about n²/2⁶⁵ among n remembered ids (about 3·10⁻⁸ for a
// million), in which case the second event is taken for a redelivery.
//
// Memory: one map entry and one queue entry per id handled within the
// window, about 40 bytes each; ids older than the window (measured against
// the engine's newest time) are dropped as new ones come in, so a group
// pair that handles a million events a day keeps about 40 MB at the default
// 24 hours.
type dedupe struct {
	at    map[uint64]int64 // id hash -> when the event was handled (Unix ms)
	queue []seenID         // in the order handled; queue[head:] is live
	head  int
}

type seenID struct {
	hash uint64
	at   int64
}

// add records id, handled at t, and reports whether it is new: false when
// the same id was handled less than window before now. Entries handled at or
// before now-window are dropped first.
func (d *dedupe) add(id string, t, now, window int64) bool {
	d.expire(now, window)
	h := hashText(id)
	if at, ok := d.at[h]; ok && now-at < window {
		return false
	}
	if d.at == nil {
		d.at = map[uint64]int64{}
	}
	d.at[h] = t
	d.queue = append(d.queue, seenID{h, t})
	return true
}

// expire drops the ids handled at or before now-window, from the front of
// the queue. An id handled late (its time older than ids queued before it)
// waits for those ahead of it, so the queue holds at most the ids handled
// within the window plus those late ones.
func (d *dedupe) expire(now, window int64) {
	for d.head < len(d.queue) && d.queue[d.head].at <= now-window {
		q := d.queue[d.head]
		if d.at[q.hash] == q.at {
			delete(d.at, q.hash)
		}
		d.head++
	}
	if d.head > 0 && d.head >= len(d.queue)/2 { // compact in place: amortised O(1)
		n := copy(d.queue, d.queue[d.head:])
		d.queue = d.queue[:n]
		d.head = 0
	}
}
