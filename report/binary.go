package report

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/binx"
)

// The binary form of a Builder (MarshalBinary), version 5, so that a
// distributed engine can build partial reports where the logs are and merge
// them elsewhere. Integers are uvarints (encoding/binary) unless said
// otherwise, a string is its length and its bytes, an instant its biased
// Unix second (uvarint, 0 for "never") and nanosecond:
//
//	magic "QRPT", version byte 5 (4 is read too)
//	options: location name, default group settings, groups (count, then
//	  ID and settings sorted by ID), retention days (count, days), terms
//	  window (ns), top terms; a group's settings: name, kind, exclude
//	  (count, IDs), campaigns (0 for nil, else count + 1, then items), zone
//	  (0 for nil, else 1 and its name)
//	trackers: count, then per zone (the default zone's first, then the
//	  others by name, as the options give them): length, then
//	  metrics.Tracker's binary form
//	group count, then per group sorted by name:
//	  name; last event: instant, zone byte (0 UTC, 1 a fixed offset), offset
//	    in seconds (zig-zag varint)
//	  member count, then per member by number: ID, its five latest instants
//	    (present, joined, left, message, claim) over all its events (in
//	    version 4 over those not among the recent events, which a reader
//	    then folds in)
//	  recent event count, then per one in the order added: instant, member
//	    number, inviter number + 1 (0 for none), type (string), actor, ID,
//	    text (a message's text, a claim's item)
const (
	binaryMagic   = "QRPT"
	binaryVersion = 5 // 5: latest times over every event; 4: a claim's item in its text; 3: a tracker per zone (issue 21); 2: one tracker
)

var errTruncated = errors.New("data is truncated")

// MarshalBinary returns the builder in its binary form (version 5,
// described in binary.go): its options and everything it has recorded, so
// that a Builder read back with UnmarshalBinary builds and merges exactly
// like b. The last event of each group keeps its instant and UTC offset,
// not its location's name (as in JSON Lines). It never fails; the error is
// for encoding.BinaryMarshaler. Cost: O(size of b).
func (b *Builder) MarshalBinary() ([]byte, error) {
	w := []byte(binaryMagic)
	w = append(w, binaryVersion)
	w = appendOptions(w, b.opts)
	w = binary.AppendUvarint(w, uint64(len(b.tr.all)))
	for _, t := range b.tr.all {
		tr, err := t.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		w = binary.AppendUvarint(w, uint64(len(tr)))
		w = append(w, tr...)
	}
	names := slices.Sorted(maps.Keys(b.groups))
	w = binary.AppendUvarint(w, uint64(len(names)))
	for _, name := range names {
		g := b.groups[name]
		w = binx.AppendString(w, name)
		w = appendInstant(w, instantOf(g.last))
		_, off := g.last.Zone()
		zone := byte(1)
		if g.last.Location() == time.UTC {
			zone = 0
		}
		w = append(w, zone)
		w = binary.AppendVarint(w, int64(off))
		w = binary.AppendUvarint(w, uint64(len(g.names)))
		for i, id := range g.names {
			m := &g.latest[i]
			w = binx.AppendString(w, id)
			for _, at := range []instant{m.present, m.joined, m.left, m.message, m.claim} {
				w = appendInstant(w, at)
			}
		}
		w = binary.AppendUvarint(w, uint64(g.recent.len()))
		for r := range g.recent.all() {
			w = appendInstant(w, r.at)
			w = binary.AppendUvarint(w, uint64(r.member))
			w = binary.AppendUvarint(w, uint64(r.inviter+1))
			w = binx.AppendString(w, string(r.typ))
			w = binx.AppendString(w, r.actor)
			w = binx.AppendString(w, r.id)
			w = binx.AppendString(w, r.text)
		}
	}
	return w, nil
}

func appendOptions(w []byte, o Options) []byte {
	w = binx.AppendString(w, o.Location.String())
	w = appendGroupOptions(w, o.Default)
	w = binary.AppendUvarint(w, uint64(len(o.Groups)))
	for _, g := range slices.Sorted(maps.Keys(o.Groups)) {
		w = binx.AppendString(w, g)
		w = appendGroupOptions(w, o.Groups[g])
	}
	w = binary.AppendUvarint(w, uint64(len(o.RetentionDays)))
	for _, n := range o.RetentionDays {
		w = binary.AppendUvarint(w, uint64(n))
	}
	w = binary.AppendUvarint(w, uint64(o.TermsWindow))
	return binary.AppendUvarint(w, uint64(o.TopTerms))
}

// appendGroupOptions writes a group's settings: name, kind, exclude
// (count, IDs), campaigns (0 for nil, else count + 1, items), zone (0 for
// nil, else 1 and its name).
func appendGroupOptions(w []byte, g GroupOptions) []byte {
	w = binx.AppendString(w, g.Name)
	w = binary.AppendUvarint(w, uint64(g.Kind))
	w = binary.AppendUvarint(w, uint64(len(g.Exclude)))
	for _, id := range g.Exclude {
		w = binx.AppendString(w, id)
	}
	if g.Campaigns == nil {
		w = binary.AppendUvarint(w, 0)
	} else {
		w = binary.AppendUvarint(w, uint64(len(g.Campaigns))+1)
		for _, item := range g.Campaigns {
			w = binx.AppendString(w, item)
		}
	}
	if g.Zone == nil {
		return append(w, 0)
	}
	return binx.AppendString(append(w, 1), g.Zone.String())
}

func appendInstant(w []byte, at instant) []byte {
	return binary.AppendUvarint(binary.AppendUvarint(w, uint64(at.sec)), uint64(at.nsec))
}

// UnmarshalBinary replaces what b has recorded with the builder in data
// (the form MarshalBinary writes). The options in data must be b's:
// decoding reads no time zone database, so build the receiver with New and
// the options the sender used. Data that is truncated, of another version
// or inconsistent (a member number beyond the members, an unknown event
// type, a time outside the years 0000..9999...) is an error naming the
// problem, and leaves b unchanged. Cost: O(len(data)).
func (b *Builder) UnmarshalBinary(data []byte) error {
	nb, err := b.decode(data)
	if err != nil {
		return fmt.Errorf("report: unmarshal binary: %w", err)
	}
	b.tr, b.groups, b.lastName, b.last = nb.tr, nb.groups, "", nil
	return nil
}

func (b *Builder) decode(data []byte) (*Builder, error) {
	if !strings.HasPrefix(string(data), binaryMagic) {
		return nil, fmt.Errorf("not a report builder (no %q header)", binaryMagic)
	}
	r := &reader{Reader: binx.NewReader(data[len(binaryMagic):])}
	v := r.Byte()
	if r.Err() == nil && v != binaryVersion && v != 4 {
		return nil, fmt.Errorf("version %d, want %d (or 4)", v, binaryVersion)
	}
	want := appendOptions(nil, b.opts)
	if got := r.Bytes(len(want)); r.Err() == nil && string(got) != string(want) {
		return nil, fmt.Errorf("the options differ from the builder's %+v", b.opts)
	}
	nb := b.fresh()
	if n := r.count(1); r.Err() == nil && n != uint64(len(nb.tr.all)) {
		return nil, fmt.Errorf("%d trackers, the options have %d zones", n, len(nb.tr.all))
	}
	// Every group must be in its zone's tracker, and so in one only.
	inTracker := map[string]bool{}
	for i, t := range nb.tr.all {
		tr := r.Bytes(int(r.count(1)))
		if r.Err() != nil {
			break
		}
		if err := t.UnmarshalBinary(tr); err != nil {
			return nil, err
		}
		for _, name := range t.Groups() {
			if j := nb.tr.index(name); j != i {
				return nil, fmt.Errorf("group %q is in the tracker of zone %q, not of its zone %q", name, t.Location(), nb.tr.all[j].Location())
			}
			inTracker[name] = true
		}
	}
	groups := r.count(1)
	prev := ""
	for i := range groups {
		r.where = ""
		name := r.str("group name")
		if r.Err() != nil {
			break
		}
		r.where = fmt.Sprintf("group %q: ", name)
		if i > 0 && name <= prev {
			return nil, fmt.Errorf("group %q after %q: groups out of order", name, prev)
		}
		if !inTracker[name] {
			return nil, fmt.Errorf("group %q is not in the tracker", name)
		}
		prev = name
		g := &group{}
		nb.groups[name] = g
		last := r.instant()
		zone := r.Byte()
		off := r.Varint()
		if r.Err() != nil {
			break
		}
		if last == (instant{}) || zone > 1 || (zone == 0 && off != 0) || off <= -24*3600 || off >= 24*3600 {
			return nil, fmt.Errorf("group %q: bad last event time", name)
		}
		loc := time.UTC
		if zone == 1 {
			loc = time.FixedZone("", int(off))
		}
		g.last = last.time(loc)
		members := r.count(11)
		for range members {
			id := r.str("member ID")
			if r.Err() != nil {
				break
			}
			if g.index.find(keyOf(id)) >= 0 {
				return nil, fmt.Errorf("group %q: member %q twice", name, id)
			}
			g.member(id)
			m := &g.latest[len(g.latest)-1]
			for _, at := range []*instant{&m.present, &m.joined, &m.left, &m.message, &m.claim} {
				*at = r.instant()
			}
		}
		for range r.count(10) {
			rec := record{at: r.instant()}
			member, inviter := r.Uvarint(), r.uint(uint64(len(g.names)))
			if r.Err() == nil && member >= uint64(len(g.names)) {
				return nil, fmt.Errorf("group %q: member number %d of a recent event is not below %d", name, member, len(g.names))
			}
			rec.member, rec.inviter = int32(member), int32(inviter)-1
			rec.typ = qunops.EventType(r.str("recent event type"))
			rec.actor, rec.id, rec.text = r.str("recent event actor"), r.str("recent event ID"), r.str("recent event text")
			if r.Err() != nil {
				break
			}
			if rec.at == (instant{}) || !rec.typ.Valid() || !rec.counts() {
				return nil, fmt.Errorf("group %q: recent event %d is not one a builder keeps", name, g.recent.len())
			}
			g.recent.push(rec)
			if v == 4 {
				g.fold(&rec) // version 4 kept the recent events out of the latest times
			}
		}
		g.swept = g.recent.len()
	}
	if r.Err() != nil {
		return nil, r.err()
	}
	if r.Len() > 0 {
		return nil, fmt.Errorf("%d bytes after the builder", r.Len())
	}
	if n := len(inTracker); n != len(nb.groups) {
		return nil, fmt.Errorf("%d groups, the trackers have %d", len(nb.groups), n)
	}
	return nb, nil
}

// reader reads the binary form; its first error sticks, and every read
// after it returns zero values (see binx.Reader). Its err words binx's
// failures as this form always has.
type reader struct {
	binx.Reader
	where string // the group being read, as `group "ID": `, for errors
}

// err returns the first failure, a truncated or overlong varint as
// errTruncated.
func (r *reader) err() error {
	if err := r.Err(); err != binx.ErrTruncated && err != binx.ErrOverflow {
		return err
	}
	return errTruncated
}

// uint reads a uvarint of at most most.
func (r *reader) uint(most uint64) uint64 {
	v := r.Uvarint()
	if r.Err() == nil && v > most {
		r.Fail(fmt.Errorf("number %d is over %d", v, most))
	}
	return v
}

// count reads a count of items of at least size bytes each, which the data
// left must be able to hold (so that a forged count allocates nothing).
func (r *reader) count(size int) uint64 {
	return r.uint(uint64(r.Len()) / uint64(size))
}

// str reads a string, which must be valid UTF-8 (an event with any other
// string fails qunops.Event.Validate, so only forged data holds one); its
// error names the field, after the group being read (reader.where).
func (r *reader) str(field string) string {
	s := r.Bytes(int(r.count(1)))
	if r.Err() == nil && !utf8.Valid(s) {
		r.Fail(fmt.Errorf("%s%s %q is not valid UTF-8", r.where, field, s))
	}
	return string(s)
}

// instant reads an instant: zero, or one of the years 0000..9999.
func (r *reader) instant() instant {
	sec := r.Uvarint()
	nsec := r.uint(999_999_999)
	if r.Err() != nil {
		return instant{}
	}
	at := instant{int64(min(sec, math.MaxInt64)), int32(nsec)}
	if at != (instant{}) && (at.sec < instantOf(minTime).sec || at.sec > instantOf(maxTime).sec) {
		r.Fail(fmt.Errorf("time %d s is outside the years 0000..9999", at.sec-instantBias))
	}
	return at
}

var (
	minTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Add(-24 * time.Hour)
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Add(24 * time.Hour)
)
