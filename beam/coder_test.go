package beam

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/report"
)

// sameEvent reports whether a and b are the same event as the JSON Lines
// codec sees it: the same fields, instant and UTC offset, and UTC ("Z")
// kept apart from a +00:00 offset.
func sameEvent(a, b qunops.Event) bool {
	_, ao := a.Time.Zone()
	_, bo := b.Time.Zone()
	at, bt := a.Time, b.Time
	a.Time, b.Time = time.Time{}, time.Time{}
	return a == b && at.Equal(bt) && ao == bo && (at.Location() == time.UTC) == (bt.Location() == time.UTC)
}

// TestEventCoderRoundTrip: decoding an encoded event gives it back, for
// events of any strings (empty, CJK, invalid UTF-8 is not an event but
// must still survive a shuffle) and any time and offset the decoder
// accepts.
func TestEventCoderRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String()
		e := qunops.Event{Type: qunops.EventType(s.Draw(t, "type")), Group: s.Draw(t, "group"), Member: s.Draw(t, "member"),
			Actor: s.Draw(t, "actor"), ID: s.Draw(t, "id"), Kind: s.Draw(t, "kind"), Text: s.Draw(t, "text"), Item: s.Draw(t, "item")}
		sec := rapid.Int64Range(-62135596800, 253402300799).Draw(t, "sec")
		nsec := rapid.Int64Range(0, 999999999).Draw(t, "nsec")
		e.Time = time.Unix(sec, nsec).UTC()
		if !rapid.Bool().Draw(t, "utc") {
			e.Time = e.Time.In(time.FixedZone("", 60*rapid.IntRange(-1439, 1439).Draw(t, "offset minutes")))
		}
		got, err := decodeEvent(encodeEvent(e))
		if err != nil {
			t.Fatal(err)
		}
		if !sameEvent(e, got) {
			t.Fatalf("decode(encode(%#v)) = %#v", e, got)
		}
	})
}

// TestEventCoderDecodedLines: the events of the sample month, as the root
// decoder gives them, survive the coder.
func TestEventCoderDecodedLines(t *testing.T) {
	data := []byte(`{"v":1,"type":"join","group":"g@chatroom","member":"m","time":"2026-03-01T08:00:00+08:00","actor":"a","id":"x:1","text":"【上海-小王】"}
{"v":1,"type":"message","group":"g@chatroom","member":"m","time":"2026-03-01T00:00:00.123456789Z","kind":"text","text":"早上好 <b>&"}
{"v":1,"type":"claim","group":"g@chatroom","member":"m","time":"2026-03-01T00:00:00+00:00","item":"coupon"}
`)
	dec := qunops.NewDecoder(bytes.NewReader(data))
	for e, err := range dec.All() {
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeEvent(encodeEvent(e))
		if err != nil {
			t.Fatal(err)
		}
		if !sameEvent(e, got) {
			t.Errorf("decode(encode(%#v)) = %#v", e, got)
		}
	}
}

// TestEventCoderErrors: bytes that encodeEvent did not write are an
// error naming the problem.
func TestEventCoderErrors(t *testing.T) {
	good := encodeEvent(qunops.Event{Type: qunops.Join, Group: "g", Member: "m", Time: time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("", 8*3600))})
	// good ends with the zone: flag 1 and the offset 28800, 3 bytes.
	head := good[:len(good)-4]
	zone := func(flag byte, off int64) []byte {
		return binary.AppendVarint(append(bytes.Clone(head), flag), off)
	}
	if !bytes.Equal(zone(1, 8*3600), good) {
		t.Fatalf("the encoding of an event changed: %x", good)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"truncated", good[:len(good)-1], "truncated"},
		{"trailing byte", append(bytes.Clone(good), 0), "1 bytes after the event"},
		{"string past the end", []byte{0x7f, 'a'}, "a string of 127 bytes runs past the end"},
		{"zone flag", append(bytes.Clone(head), 2), "zone flag 2"},
		{"year", append(binary.AppendVarint(make([]byte, 8), 1<<40), 0, 0), "outside the years 0000..9999"},
		{"offset a day", zone(1, 24*3600), "offset 86400s"},
		{"offset minus a day", zone(1, -24*3600), "offset -86400s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeEvent(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "beam: event coder: ") {
				t.Errorf("decodeEvent(%x) = %v, want an error with %q", tc.data, err, tc.want)
			}
		})
	}
}

// sampleAccum returns an accumulator fed the week's log, with options
// that are not the defaults.
func sampleAccum(t testing.TB) *accum {
	t.Helper()
	o := report.Options{RetentionDays: []int{1, 2}, TopTerms: 3}
	set, err := Options{Report: o}.encode()
	if err != nil {
		t.Fatal(err)
	}
	b, err := report.New(o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ReadFile("../testdata/week.jsonl", report.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	return &accum{opts: set.Report, b: b, shards: 3}
}

// TestAccumCoderRoundTrip: a decoded accumulator builds the report of the
// one encoded and keeps its options and shard count.
func TestAccumCoderRoundTrip(t *testing.T) {
	a := sampleAccum(t)
	data, err := encodeAccum(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeAccum(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.shards != 3 || got.opts != a.opts {
		t.Errorf("decoded shards %d, options %s; want 3, %s", got.shards, got.opts, a.opts)
	}
	want, err := a.b.Build()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := got.b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) == 0 {
		t.Fatal("the week's log has no groups")
	}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("report of the decoded accumulator (-want +got):\n%s", diff)
	}
	// (The builder's binary form is not canonical: a decoded builder may
	// write its parts in another order, so the bytes are not compared.)
}

// TestAccumCoderErrors: bytes that encodeAccum did not write are an
// error naming the problem.
func TestAccumCoderErrors(t *testing.T) {
	data, err := encodeAccum(sampleAccum(t))
	if err != nil {
		t.Fatal(err)
	}
	bad := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(data)) }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"version", bad(func(b []byte) []byte { b[0] = 1; return b }), "version 1, want 2"},
		{"options not JSON", bad(func(b []byte) []byte { b[2] = '['; return b }), "report options"},
		{"options past the end", []byte{2, 0x40, '{'}, "runs past the end"},
		{"builder truncated", data[:len(data)-5], "beam: accumulator: report: "},
		{"no builder", []byte{2, 2, '{', '}', 0}, "beam: accumulator: report: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeAccum(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "beam: accumulator: ") {
				t.Errorf("decodeAccum = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add(encodeEvent(qunops.Event{Type: qunops.Message, Group: "g", Member: "m", Text: "早上好", Time: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}))
	f.Add(encodeEvent(qunops.Event{Type: qunops.Join, Group: "g", Member: "m", Time: time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("", -5*3600))}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := decodeEvent(data)
		if err != nil {
			return
		}
		// What decodes encodes back to the same event.
		again, err := decodeEvent(encodeEvent(l))
		if err != nil || !sameEvent(l, again) {
			t.Fatalf("decode(encode(%#v)) = %#v, %v", l, again, err)
		}
	})
}

func FuzzDecodeAccum(f *testing.F) {
	data, err := encodeAccum(sampleAccum(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:40])
	f.Add([]byte{1, 2, '{', '}', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeAccum(data)
		if err != nil {
			return
		}
		if _, err := a.b.Build(); err != nil {
			t.Logf("a decoded accumulator does not build: %v", err)
		}
	})
}

// TestOptionsValidate: options the workers could not use are errors that
// name the setting, before any pipeline runs.
func TestOptionsValidate(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	for _, tc := range []struct {
		name string
		o    Options
		want string // "" for valid
	}{
		{"zero", Options{}, ""},
		{"one shard", Options{Shards: 1}, ""},
		{"max shards", Options{Shards: MaxShards}, ""},
		{"IANA zone", Options{Report: report.Options{Location: berlin}}, ""},
		{"UTC", Options{Report: report.Options{Location: time.UTC}}, ""},
		{"negative shards", Options{Shards: -1}, "beam: options: shards -1 is outside 1..1024"},
		{"too many shards", Options{Shards: MaxShards + 1}, "beam: options: shards 1025 is outside 1..1024"},
		{"fixed zone", Options{Report: report.Options{Location: time.FixedZone("UTC+8", 8*3600)}}, `location "UTC+8" cannot be sent to the workers`},
		{"report option", Options{Report: report.Options{TopTerms: -1}}, "beam: options: report: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate() = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// TestShardKey: the group comes back out of a shard key whatever it
// holds, slashes included.
func TestShardKey(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		shard := rapid.IntRange(0, MaxShards-1).Draw(t, "shard")
		group := rapid.String().Draw(t, "group")
		got, err := groupOf(shardKey(shard, group))
		if err != nil || got != group {
			t.Fatalf("groupOf(shardKey(%d, %q)) = %q, %v", shard, group, got, err)
		}
	})
	if _, err := groupOf("7"); err == nil {
		t.Error(`groupOf("7") = nil error, want one`)
	}
}
