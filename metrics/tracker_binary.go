package metrics

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/qunops/qunops/internal/binx"
)

// The binary form of a Tracker (MarshalBinary), version 2, so that a
// distributed engine can ship partial trackers and merge them elsewhere.
// Integers are unsigned or zig-zag signed varints (encoding/binary's
// Uvarint and Varint) unless said otherwise; a string is its length as a
// uvarint and its bytes; an instant is its Unix seconds (varint) and
// nanoseconds (uvarint). The form holds what the tracker knows, not how it
// stores it, so a change of the tracker's memory layout keeps the format:
//
//	magic "QTRK", version byte 2
//	location name (string): must equal the receiver's (see UnmarshalBinary)
//	group count, then per group in order of first appearance:
//	  name (string), latest instant
//	  member count, then per member in order of numbering:
//	    name (string), flag byte (1: has a non-join event), [earliest non-join instant]
//	    join/leave count, then per one: instant, day (varint, days since 1970-01-01),
//	      flag byte (bit 0 join, bit 1 has an ID), [ID key: 16 bytes little-endian]
//	  active day count, then per day with an event, in date order:
//	    day (varint), messages, word count (even), words (8 bytes little-endian each:
//	      presence of members 64w..64w+63 in word 2w, speech in word 2w+1)
//	  item count, then per item in order of name:
//	    name (string), flag byte (1: sent), [sent instant],
//	    reader word count, words (8 bytes each),
//	    claimer count, then per claimer in order of member number:
//	      member number, claim count, instants
//	  ID count, then per ID: 8 bytes (key's high word), 4 bytes (31 bits of
//	    its low word, bit 0 set), day of the message (varint) or -2³¹ if the
//	    event was not a message
//
// An ID is kept as the 95 bits the tracker keeps (see idSet), so the form
// deduplicates exactly as the tracker did. Version 2 (issue 18) keys an ID
// with its event's facts (see eventKey); version 1 keyed the ID alone, and
// its keys cannot be mixed with version 2's, so it is rejected.
const (
	binaryMagic   = "QTRK"
	binaryVersion = 2
)

// MarshalBinary returns the tracker in its binary form (version 2, described
// in tracker_binary.go): everything it has recorded, event ID keys included,
// so that a tracker read back with UnmarshalBinary answers and merges exactly
// like t. It applies the events Add holds back. The location is written by
// name only. It never fails; the error is for encoding.BinaryMarshaler.
//
// Cost: O(size of t); the form takes about 2 bits per member and active
// day, a few bytes per member and join or leave, and 13 to 15 bytes per ID.
func (t *Tracker) MarshalBinary() ([]byte, error) {
	t.flush()
	var w binWriter
	w.b = append(w.b, binaryMagic...)
	w.b = append(w.b, binaryVersion)
	w.str(t.Location().String())
	w.uint(uint64(len(t.groups)))
	for _, g := range t.groups {
		g.marshal(&w)
	}
	return w.b, nil
}

func (g *group) marshal(w *binWriter) {
	w.str(g.name)
	w.instant(g.latest)
	w.uint(uint64(len(g.members)))
	for mi := range g.members {
		m := &g.members[mi]
		w.str(m.name)
		if f := g.firsts[mi]; f != noInstant {
			w.b = append(w.b, 1)
			w.instant(f)
		} else {
			w.b = append(w.b, 0)
		}
		w.uint(uint64(len(m.trans)))
		for _, tr := range m.trans {
			w.instant(tr.at)
			w.int(int64(tr.day))
			var flags byte
			if tr.join {
				flags |= 1
			}
			if tr.hasID {
				flags |= 2
			}
			w.b = append(w.b, flags)
			if tr.hasID {
				w.b = binary.LittleEndian.AppendUint64(w.b, tr.id[0])
				w.b = binary.LittleEndian.AppendUint64(w.b, tr.id[1])
			}
		}
	}
	w.uint(uint64(len(g.dayNum))) // every stored day has an event
	g.eachDay(func(day, msgs int32, row []uint64) {
		w.int(int64(day))
		w.uint(uint64(msgs))
		w.words(row)
	})
	names := slices.Sorted(maps.Keys(g.items))
	w.uint(uint64(len(names)))
	for _, name := range names {
		it := g.items[name]
		w.str(name)
		if it.hasSent {
			w.b = append(w.b, 1)
			w.instant(it.sent)
		} else {
			w.b = append(w.b, 0)
		}
		w.words(it.readers.words())
		claimers := slices.Sorted(maps.Keys(it.claims))
		w.uint(uint64(len(claimers)))
		for _, mi := range claimers {
			w.uint(uint64(mi))
			ats := it.claims[mi].all()
			w.uint(uint64(len(ats)))
			for _, at := range ats {
				w.instant(at)
			}
		}
	}
	w.uint(uint64(g.ids.n))
	for _, sl := range g.ids.slots {
		if sl.lo == 0 {
			continue
		}
		w.b = binary.LittleEndian.AppendUint64(w.b, sl.hi)
		w.b = binary.LittleEndian.AppendUint32(w.b, sl.lo)
		w.int(int64(sl.ref))
	}
}

// UnmarshalBinary replaces what t has recorded, events held back by Add
// included, with the tracker in data (the form MarshalBinary writes). The
// location named in data must be t's (nil and the zero Tracker mean
// Asia/Shanghai): decoding reads no time zone database, so build the
// receiver with NewTracker(loc) for the location the sender used. Data that
// is truncated, of another version, or inconsistent (a member number beyond
// the members, a join on a day without events, a duplicate ID, a group,
// member or item name that is not valid UTF-8...) is an error naming the
// field, and leaves t unchanged.
//
// Cost: O(len(data)).
func (t *Tracker) UnmarshalBinary(data []byte) error {
	if !strings.HasPrefix(string(data), binaryMagic) {
		return fmt.Errorf("metrics: unmarshal binary: not a tracker (no %q header)", binaryMagic)
	}
	r := binReader{binx.NewReader(data[len(binaryMagic):])}
	if v := r.Byte(); r.Err() == nil && v != binaryVersion {
		return fmt.Errorf("metrics: unmarshal binary: version %d, want %d", v, binaryVersion)
	}
	loc := r.str()
	if r.Err() == nil && loc != t.Location().String() {
		return fmt.Errorf("metrics: unmarshal binary: location %q differs from the tracker's %q", loc, t.Location())
	}
	n := r.count(1)
	nt := &Tracker{loc: t.Location()}
	nt.init()
	for range n {
		if r.Err() != nil {
			break
		}
		name := r.name("", "group name")
		if _, dup := nt.byName[name]; dup && r.Err() == nil {
			r.fail("group %q twice", name)
		}
		g := nt.group(name)
		r.group(g)
	}
	if r.Err() == nil && r.Len() != 0 {
		r.fail("%d bytes after the last group", r.Len())
	}
	if r.Err() != nil {
		return fmt.Errorf("metrics: unmarshal binary: %w", r.Err())
	}
	nt.last = nil
	*t = *nt
	return nil
}

// group reads the rest of g (after its name) and checks it.
func (r *binReader) group(g *group) {
	g.latest = r.instant()
	nm := r.count(3)
	for range nm {
		if r.Err() != nil {
			return
		}
		name := r.name(g.name, "member name")
		if g.find(name) >= 0 {
			r.fail("group %q: member %q twice", g.name, name)
			return
		}
		mi := g.member(name)
		if r.Byte() == 1 {
			at := r.instant()
			r.notAfter(g, at)
			g.firsts[mi] = at
			g.seen[mi>>6] |= 1 << (uint32(mi) & 63)
		}
		m := &g.members[mi]
		nt := r.count(3)
		if r.Err() == nil {
			m.trans = make([]transition, 0, nt)
		}
		for range nt {
			tr := transition{at: r.instant()}
			r.notAfter(g, tr.at)
			tr.day = r.day()
			flags := r.Byte()
			if flags&^3 != 0 && r.Err() == nil {
				r.fail("group %q: member %q: bad join flags %#x", g.name, name, flags)
			}
			tr.join, tr.hasID = flags&1 != 0, flags&2 != 0
			if tr.hasID {
				tr.id = idKey{r.Uint64(), r.Uint64()}
			}
			if k := len(m.trans); k > 0 && r.Err() == nil && (m.trans[k-1].after(&tr) || m.trans[k-1].day > tr.day) {
				r.fail("group %q: member %q: joins and leaves out of order", g.name, name)
			}
			if r.Err() != nil {
				return
			}
			m.trans = append(m.trans, tr)
		}
		m.sorted = int32(len(m.trans)) // checked in order above
	}
	words := 2 * ((len(g.members) + 63) >> 6)
	nd := r.count(3)
	prev := int64(math.MinInt64)
	for range nd {
		day, msgs, row := r.day(), r.Uvarint(), r.words()
		switch {
		case r.Err() != nil:
			return
		case int64(day) <= prev:
			r.fail("group %q: day %d out of order", g.name, day)
		case len(g.dayNum) > 0 && int64(day)-int64(g.first)+1 > MaxSpanDays:
			r.fail("group %q: days %d to %d span more than MaxSpanDays (%d)", g.name, g.first, day, MaxSpanDays)
		case msgs > math.MaxInt32:
			r.fail("group %q: day %d: %d messages", g.name, day, msgs)
		case len(row)%2 != 0 || len(row) > words:
			r.fail("group %q: day %d: %d words for %d members", g.name, day, len(row), len(g.members))
		}
		present := uint64(0)
		for w := 0; w+1 < len(row); w += 2 {
			present |= row[w]
			if row[w+1]&^row[w] != 0 && r.Err() == nil {
				r.fail("group %q: day %d: a speaker without an event", g.name, day)
			}
		}
		if len(row) >= 2 && r.Err() == nil && bitsBeyond(row[len(row)-2]|row[len(row)-1], 64*(len(row)/2-1), len(g.members)) {
			r.fail("group %q: day %d: a member number beyond the %d members", g.name, day, len(g.members))
		}
		if present == 0 && r.Err() == nil {
			r.fail("group %q: day %d without events", g.name, day)
		}
		if r.Err() != nil {
			return
		}
		prev = int64(day)
		g.setDay(day, int32(msgs), row)
	}
	if nd == 0 && r.Err() == nil {
		r.fail("group %q without events", g.name)
		return
	}
	for mi := range g.members {
		for _, tr := range g.members[mi].trans {
			if present, _ := g.bits(int32(mi), tr.day); !present {
				r.fail("group %q: member %q: a join or leave on day %d without its event", g.name, g.members[mi].name, tr.day)
				return
			}
		}
	}
	ni := r.count(3)
	for range ni {
		name := r.name(g.name, "item name")
		if _, dup := g.items[name]; dup && r.Err() == nil {
			r.fail("group %q: item %q twice", g.name, name)
		}
		if r.Err() != nil {
			return
		}
		it := g.item(name)
		if r.Byte() == 1 {
			it.sent, it.hasSent = r.instant(), true
			r.notAfter(g, it.sent)
		}
		readers := r.words()
		it.readers.setWords(readers)
		if k := len(readers); k > 0 && r.Err() == nil && bitsBeyond(readers[k-1], 64*(k-1), len(g.members)) {
			r.fail("group %q: item %q: a reader beyond the %d members", g.name, name, len(g.members))
		}
		nc := r.count(2)
		prev := int64(-1)
		for range nc {
			mi, na := r.Uvarint(), r.count(2)
			if r.Err() == nil && (mi >= uint64(len(g.members)) || int64(mi) <= prev) {
				r.fail("group %q: item %q: claimer %d of %d members, or out of order", g.name, name, mi, len(g.members))
			}
			if r.Err() != nil {
				return
			}
			prev = int64(mi)
			for range na {
				at := r.instant()
				r.notAfter(g, at)
				it.claim(int32(mi), at)
			}
		}
	}
	nk := r.count(13)
	if r.Err() != nil {
		return
	}
	g.ids.reserve(nk)
	refs := make(map[int32]int64)
	for range nk {
		sl := idSlot{hi: r.Uint64(), lo: r.Uint32()}
		ref := r.Varint()
		switch {
		case r.Err() != nil:
			return
		case sl.lo&1 == 0:
			r.fail("group %q: ID key with bit 0 clear", g.name)
			return
		case ref != notMessage && (ref < math.MinInt32 || ref > math.MaxInt32 || !g.hasDay(int32(ref))):
			r.fail("group %q: a message ID on day %d without events", g.name, ref)
			return
		}
		sl.ref = int32(ref)
		if dup, _ := g.ids.insert(sl); dup {
			r.fail("group %q: an ID twice", g.name)
			return
		}
		if ref != notMessage {
			refs[int32(ref)]++
		}
	}
	// Merge takes a duplicate message back from its day's count, which must
	// not go below zero.
	for day, n := range refs {
		if m := g.messagesOn(day); int64(m) < n {
			r.fail("group %q: day %d: %d message IDs but %d messages", g.name, day, n, m)
			return
		}
	}
	for mi := range g.members {
		for _, tr := range g.members[mi].trans {
			if tr.hasID && !g.ids.has(tr.id) {
				r.fail("group %q: member %q: a join or leave whose ID is not in the group's IDs", g.name, g.members[mi].name)
				return
			}
		}
	}
}

// binWriter appends the binary form.
type binWriter struct{ b []byte }

func (w *binWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *binWriter) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *binWriter) str(s string)  { w.b = binx.AppendString(w.b, s) }
func (w *binWriter) instant(at instant) {
	w.int(at.sec)
	w.uint(uint64(at.nsec))
}
func (w *binWriter) words(ws []uint64) {
	w.uint(uint64(len(ws)))
	for _, x := range ws {
		w.b = binary.LittleEndian.AppendUint64(w.b, x)
	}
}

// binReader reads the binary form. Its first error sticks (see
// binx.Reader): later reads return zero values, so a decoder checks r.Err
// once per record. binx's own failures are worded as this form's always
// were: "truncated", "varint overflows 64 bits".
type binReader struct{ binx.Reader }

func (r *binReader) fail(format string, args ...any) {
	if r.Err() == nil {
		r.Fail(fmt.Errorf(format, args...))
	}
}

// count reads a number of records of at least size bytes each, and checks
// that the rest of the data can hold them, so that no count makes the
// decoder allocate more than the data justifies.
func (r *binReader) count(size int) int {
	n := r.Uvarint()
	if r.Err() == nil && n > uint64(r.Len()/size) {
		r.fail("count %d exceeds the %d bytes left", n, r.Len())
	}
	if r.Err() != nil {
		return 0
	}
	return int(n)
}

func (r *binReader) str() string {
	n := r.count(1)
	if r.Err() != nil {
		return ""
	}
	return string(r.Bytes(n))
}

// name reads a name of the kind field, of group g ("" for the name of a
// group itself), and checks that it is valid UTF-8: an event with any other
// name fails qunops.Event.Validate, so only forged data holds one, and the
// text forms (JSON, CSV, HTML) of the answers would mangle it.
func (r *binReader) name(g, field string) string {
	s := r.str()
	if r.Err() == nil && !utf8.ValidString(s) {
		if g == "" {
			r.fail("%s %q is not valid UTF-8", field, s)
		} else {
			r.fail("group %q: %s %q is not valid UTF-8", g, field, s)
		}
	}
	return s
}

func (r *binReader) words() []uint64 {
	n := r.count(8)
	if r.Err() != nil || n == 0 {
		return nil
	}
	ws := make([]uint64, n)
	for i := range ws {
		ws[i] = r.Uint64()
	}
	return ws
}

func (r *binReader) instant() instant {
	at := instant{sec: r.Varint()}
	ns := r.Uvarint()
	if r.Err() == nil && ns >= 1e9 {
		r.fail("nanoseconds %d out of range", ns)
	}
	at.nsec = int32(ns)
	return at
}

// day reads a day number, which must be one Add takes: in the years 0 to
// 9999.
func (r *binReader) day() int32 {
	d := r.Varint()
	if r.Err() == nil && (d < int64(firstDay) || d > int64(lastDay)) {
		r.fail("day %d out of range (%d to %d: the years 0 to 9999)", d, firstDay, lastDay)
	}
	return int32(d)
}

// notAfter checks that an instant of g is not after its latest event.
func (r *binReader) notAfter(g *group, at instant) {
	if r.Err() == nil && g.latest.less(at) {
		r.fail("group %q: an event at %d.%09ds after the latest, %d.%09ds", g.name, at.sec, at.nsec, g.latest.sec, g.latest.nsec)
	}
}

// bitsBeyond reports whether word w, the bits of members first to first+63,
// has a bit for a member number n or higher.
func bitsBeyond(w uint64, first, n int) bool {
	switch k := n - first; {
	case k <= 0:
		return w != 0
	case k >= 64:
		return false
	default:
		return w>>k != 0
	}
}
