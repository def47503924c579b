package beam

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/binx"
	"github.com/qunops/qunops/report"
)

// The coders of the values that cross a shuffle: events (when a runner
// does not fuse the read with the first combine) and accumulators. Beam
// infers no coder for qunops.Event (its time.Time has no exported
// fields) nor for a report.Builder.

// encodeEvent writes e as its type, group, member, actor, id, kind, text
// and item (each a uvarint length and the bytes) and its time (see
// appendTime). The time keeps what the JSON Lines codec keeps: the instant
// and the offset, not a zone's name.
func encodeEvent(e qunops.Event) []byte {
	n := 32
	fields := [...]string{string(e.Type), e.Group, e.Member, e.Actor, e.ID, e.Kind, e.Text, e.Item}
	for _, f := range fields {
		n += len(f) + binary.MaxVarintLen32
	}
	b := make([]byte, 0, n)
	for _, f := range fields {
		b = binx.AppendString(b, f)
	}
	return appendTime(b, e.Time)
}

// decodeEvent reads what encodeEvent writes. Bytes of any other form are
// an error naming the problem, never a panic.
func decodeEvent(b []byte) (qunops.Event, error) {
	r := reader{binx.NewReader(b)}
	var f [8]string
	for i := range f {
		f[i] = r.str()
	}
	t := r.time()
	switch {
	case r.Err() != nil:
		return qunops.Event{}, fmt.Errorf("beam: event coder: %w", r.err())
	case r.Len() != 0:
		return qunops.Event{}, fmt.Errorf("beam: event coder: %d bytes after the event", r.Len())
	}
	return qunops.Event{Type: qunops.EventType(f[0]), Group: f[1], Member: f[2], Actor: f[3], ID: f[4],
		Kind: f[5], Text: f[6], Item: f[7], Time: t}, nil
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
}

// accumVersion is the version of encodeAccum's form: 2 since the
// accumulator no longer carries the event tiers_at shows (the Builder
// chooses it alone, in any order of adds and merges; issue 18).
const accumVersion = 2

// encodeAccum writes a as: the version (a byte), the options (uvarint
// length and JSON), the shards (uvarint) and the builder's binary form
// (report.Builder.MarshalBinary), to the end.
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
	return append(b, bin...), nil
}

// decodeAccum reads what encodeAccum writes. Bytes of any other form are
// an error naming the problem, never a panic.
func decodeAccum(data []byte) (*accum, error) {
	r := reader{binx.NewReader(data)}
	v := r.Byte()
	opts := r.str()
	shards := r.Uvarint()
	if r.Err() != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", r.err())
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
	if err := b.UnmarshalBinary(r.Rest()); err != nil {
		return nil, fmt.Errorf("beam: accumulator: %w", err)
	}
	return &accum{opts: opts, b: b, shards: int(shards)}, nil
}

// reader reads the fields of the coders' forms; its first error sticks
// and later reads return zero values (see binx.Reader).
type reader struct{ binx.Reader }

var errShort = errors.New("truncated")

// err returns the first failure, a truncated or overlong varint as
// errShort.
func (r *reader) err() error {
	if err := r.Err(); err != binx.ErrTruncated && err != binx.ErrOverflow {
		return err
	}
	return errShort
}

// time reads what appendTime writes.
func (r *reader) time() time.Time {
	sec, nsec := r.Varint(), r.Uvarint()
	utc := r.Byte()
	off := int64(0)
	if utc == 1 {
		off = r.Varint()
	}
	switch {
	case r.Err() != nil:
		return time.Time{}
	case utc > 1:
		r.Fail(fmt.Errorf("zone flag %d is not 0 or 1", utc))
	case nsec >= 1e9:
		r.Fail(fmt.Errorf("%d nanoseconds is not under a second", nsec))
	case off <= -24*3600 || off >= 24*3600:
		r.Fail(fmt.Errorf("offset %ds is not within ±24h", off))
	case sec < minUnix || sec > maxUnix:
		r.Fail(fmt.Errorf("%d seconds is outside the years 0000..9999", sec))
	}
	if r.Err() != nil {
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
	n := r.Uvarint()
	if r.Err() != nil {
		return ""
	}
	if n > uint64(r.Len()) {
		r.Fail(fmt.Errorf("a string of %d bytes runs past the end (%d left)", n, r.Len()))
		return ""
	}
	return string(r.Bytes(int(n)))
}
