package beam

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/report"
)

// The coders of the values that cross a shuffle: events (when a runner
// does not fuse the read with the first combine) and accumulators. Beam
// infers no coder for qunops.Event (its time.Time has no exported
// fields) nor for a report.Builder.

// encodeEvent writes l as its event's type, group, member, actor, id,
// kind, text and item (each a uvarint length and the bytes), its time (see
// appendTime), its file (a length and the bytes) and its line (uvarint).
// The time keeps what the JSON Lines codec keeps: the instant and the
// offset, not a zone's name.
func encodeEvent(l located) []byte {
	e := l.Event
	n := 32 + len(l.File)
	fields := [...]string{string(e.Type), e.Group, e.Member, e.Actor, e.ID, e.Kind, e.Text, e.Item, l.File}
	for _, f := range fields {
		n += len(f) + binary.MaxVarintLen32
	}
	b := make([]byte, 0, n)
	for _, f := range fields[:8] {
		b = appendStr(b, f)
	}
	b = appendTime(b, e.Time)
	b = appendStr(b, l.File)
	return binary.AppendUvarint(b, uint64(l.Line))
}

// decodeEvent reads what encodeEvent writes. Bytes of any other form are
// an error naming the problem, never a panic.
func decodeEvent(b []byte) (located, error) {
	r := reader{b: b}
	var f [8]string
	for i := range f {
		f[i] = r.str()
	}
	t := r.time()
	file := r.str()
	line := r.uvarint()
	switch {
	case r.err != nil:
		return located{}, fmt.Errorf("beam: event coder: %w", r.err)
	case len(r.b) != 0:
		return located{}, fmt.Errorf("beam: event coder: %d bytes after the event", len(r.b))
	case line > 1<<62:
		return located{}, fmt.Errorf("beam: event coder: line %d", line)
	}
	e := qunops.Event{Type: qunops.EventType(f[0]), Group: f[1], Member: f[2], Actor: f[3], ID: f[4],
		Kind: f[5], Text: f[6], Item: f[7], Time: t}
	return located{Event: e, File: file, Line: int(line)}, nil
}

// appendStr appends s as a uvarint length and the bytes.
func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendTime appends t as Unix seconds (varint), nanoseconds (uvarint) and
// its zone: 0 for UTC, else 1 and the offset in seconds (varint).
func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	if t.Location() == time.UTC {
		return append(b, 0)
	}
	_, off := t.Zone()
	b = append(b, 1)
	return binary.AppendVarint(b, int64(off))
}

// accum is the accumulator of both combines: a report.Builder with the
// report options it was made with (a Builder is read back only into one
// made with the same options), and the number of shard accumulators merged
// into it.
type accum struct {
	opts   string // report.Options as JSON
	b      *report.Builder
	shards int
	last   lastEvent // the event whose offset tiers_at shows
}

// accumVersion is the version of encodeAccum's form.
const accumVersion = 1

// encodeAccum writes a as: the version (a byte), the options (uvarint
// length and JSON), the shards (uvarint), the last event (a byte, 0 for
// none, else 1, its time as appendTime writes it, its file and its line),
// and the builder's binary form (report.Builder.MarshalBinary), to the end.
func encodeAccum(a *accum) ([]byte, error) {
	bin, err := a.b.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", err)
	}
	b := make([]byte, 0, 1+2*binary.MaxVarintLen64+len(a.opts)+len(bin))
	b = append(b, accumVersion)
	b = binary.AppendUvarint(b, uint64(len(a.opts)))
	b = append(b, a.opts...)
	b = binary.AppendUvarint(b, uint64(a.shards))
	if a.last.at.IsZero() {
		b = append(b, 0)
	} else {
		b = appendTime(append(b, 1), a.last.at)
		b = appendStr(b, a.last.file)
		b = binary.AppendUvarint(b, uint64(a.last.line))
	}
	return append(b, bin...), nil
}

// decodeAccum reads what encodeAccum writes. Bytes of any other form are
// an error naming the problem, never a panic.
func decodeAccum(data []byte) (*accum, error) {
	r := reader{b: data}
	v := r.byte()
	opts := r.str()
	shards := r.uvarint()
	var last lastEvent
	switch has := r.byte(); {
	case has == 1:
		last.at, last.file = r.time(), r.str()
		line := r.uvarint()
		if line > 1<<62 && r.err == nil {
			r.err = fmt.Errorf("last event's line %d", line)
		}
		last.line = int(line)
	case has != 0 && r.err == nil:
		r.err = fmt.Errorf("last event flag %d is not 0 or 1", has)
	}
	if r.err != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", r.err)
	}
	if v != accumVersion {
		return nil, fmt.Errorf("beam: accumulator: version %d, want %d", v, accumVersion)
	}
	if shards > MaxShards*MaxShards {
		return nil, fmt.Errorf("beam: accumulator: %d shards is more than a pipeline makes", shards)
	}
	o, err := decodeOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", err)
	}
	b, err := report.New(o)
	if err != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", err)
	}
	if err := b.UnmarshalBinary(r.b); err != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", err)
	}
	return &accum{opts: opts, b: b, shards: int(shards), last: last}, nil
}

// reader reads the fields of the coders' forms; its first error sticks
// and later reads return zero values.
type reader struct {
	b   []byte
	err error
}

var errShort = errors.New("truncated")

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.err = errShort
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// time reads what appendTime writes.
func (r *reader) time() time.Time {
	sec, nsec := r.varint(), r.uvarint()
	utc := r.byte()
	off := int64(0)
	if utc == 1 {
		off = r.varint()
	}
	switch {
	case r.err != nil:
		return time.Time{}
	case utc > 1:
		r.err = fmt.Errorf("zone flag %d is not 0 or 1", utc)
	case nsec >= 1e9:
		r.err = fmt.Errorf("%d nanoseconds is not under a second", nsec)
	case off <= -24*3600 || off >= 24*3600:
		r.err = fmt.Errorf("offset %ds is not within ±24h", off)
	case sec < minUnix || sec > maxUnix:
		r.err = fmt.Errorf("%d seconds is outside the years 0000..9999", sec)
	}
	if r.err != nil {
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec)).UTC()
	if utc == 1 {
		t = t.In(time.FixedZone("", int(off)))
	}
	return t
}

// minUnix and maxUnix bound the instants of the years 0000..9999 in any
// offset, with a day to spare.
const (
	minUnix = -62167219200 - 86400
	maxUnix = 253402300800 + 86400
)

func (r *reader) str() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.err = fmt.Errorf("a string of %d bytes runs past the end (%d left)", n, len(r.b))
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
