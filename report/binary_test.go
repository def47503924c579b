package report

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
	"pgregory.net/rapid"
)

// TestBinaryMergeProperty: a log split into shards, each shard's Builder
// marshalled and read back into a new Builder (as if shipped to another
// machine), merged in order, gives the report of one Builder over the
// whole log.
func TestBinaryMergeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawReplays(t)
		o := Options{TermsWindow: rapid.SampledFrom([]time.Duration{0, 36 * time.Hour}).Draw(t, "terms window")}
		shards := drawShards(t, events)
		whole := build(t, events, o)
		merged := mustNew(t, o)
		for _, s := range shards {
			shard := mustNew(t, o)
			addAll(t, shard, s)
			data, err := shard.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			shipped := mustNew(t, o)
			if err := shipped.UnmarshalBinary(data); err != nil {
				t.Fatal(err)
			}
			// The tracker's form lists IDs in its table's order, so the
			// bytes may differ; what was shipped must build the same.
			if want, got := buildOf(t, shard), buildOf(t, shipped); !bytes.Equal(want, got) {
				t.Fatalf("a shard read back builds another report (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
			if err := merged.Merge(shipped); err != nil {
				t.Fatal(err)
			}
		}
		if got := buildOf(t, merged); !bytes.Equal(whole, got) {
			t.Fatalf("shipped and merged shards differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
	})
}

// TestUnmarshalBinaryRejects: bad data is an error naming the problem and
// leaves the receiver unchanged; every truncation of good data is an
// error, never a panic.
func TestUnmarshalBinaryRejects(t *testing.T) {
	src := mustNew(t, Options{Groups: sampleGroups()})
	for _, e := range sample.Events()[:3000] {
		src.Add(e)
	}
	good, _ := src.MarshalBinary()
	before := func(b *Builder) []byte { data, _ := b.MarshalBinary(); return data }
	for _, tc := range []struct {
		name string
		data []byte
		into Options
		want string
	}{
		{"empty", nil, Options{Groups: sampleGroups()}, `not a report builder (no "QRPT" header)`},
		{"other version", append([]byte("QRPT\x01"), good[5:]...), Options{Groups: sampleGroups()}, "version 1, want 5 (or 4)"},
		{"version 2, one tracker (issue 21)", append([]byte("QRPT\x02"), good[5:]...), Options{Groups: sampleGroups()}, "version 2, want 5 (or 4)"},
		{"version 3, claims without their item", append([]byte("QRPT\x03"), good[5:]...), Options{Groups: sampleGroups()}, "version 3, want 5 (or 4)"},
		{"other options", good, Options{}, "the options differ"},
		{"other zone", good, Options{Groups: sampleGroups(), Location: time.UTC}, "the options differ"},
		{"trailing byte", append(slices.Clone(good), 0), Options{Groups: sampleGroups()}, "1 bytes after the builder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := mustNew(t, tc.into)
			b.Add(qunops.Event{Type: qunops.Roster, Group: "kept", Member: "m", Time: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)})
			was := before(b)
			err := b.UnmarshalBinary(tc.data)
			if err == nil || !strings.HasPrefix(err.Error(), "report: unmarshal binary: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("UnmarshalBinary: %v, want %q", err, tc.want)
			}
			if !bytes.Equal(was, before(b)) {
				t.Error("a failed UnmarshalBinary changed the builder")
			}
		})
	}
	for n := 0; n < len(good); n += 1 + n/50 {
		b := mustNew(t, Options{Groups: sampleGroups()})
		if err := b.UnmarshalBinary(good[:n]); err == nil {
			t.Fatalf("%d of %d bytes: no error", n, len(good))
		}
	}
}

// utf8Builder is a builder whose binary form holds the member ID "zed",
// a message text "hello" and a warning's actor "admin1", each once in the
// Builder's own part (the ID also in the tracker's).
func utf8Builder(t tb) *Builder {
	b := mustNew(t, Options{})
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	addAll(t, b, []qunops.Event{
		{Type: qunops.Message, Group: "g", Member: "zed", Time: at, Text: "hello", ID: "m1"},
		{Type: qunops.Warn, Group: "g", Member: "zed", Time: at.Add(time.Minute), Actor: "admin1"},
	})
	return b
}

// replaceLast returns data with the last string old, written as its length
// and bytes, replaced by new of the same length.
func replaceLast(t tb, data []byte, old, new string) []byte {
	t.Helper()
	enc := append([]byte{byte(len(old))}, old...)
	i := bytes.LastIndex(data, enc)
	if i < 0 || len(old) != len(new) {
		t.Fatalf("%q is not in the form, or %q is not as long", old, new)
	}
	out := bytes.Clone(data)
	copy(out[i+1:], new)
	return out
}

// TestUnmarshalBinaryRejectsStringsNotUTF8 (issue 18): a string that is not
// valid UTF-8, which no event can carry, is an error naming the group and
// the field, and changes nothing.
func TestUnmarshalBinaryRejectsStringsNotUTF8(t *testing.T) {
	good, err := utf8Builder(t).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		old, new  string
		wantError string
	}{
		{"member ID", "zed", "ze\xff", `group "g": member ID "ze\xff" is not valid UTF-8`},
		{"message text", "hello", "hell\xc3", `group "g": recent event text "hell\xc3" is not valid UTF-8`},
		{"warning actor", "admin1", "admin\x80", `group "g": recent event actor "admin\x80" is not valid UTF-8`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := utf8Builder(t)
			was, _ := b.MarshalBinary()
			err := b.UnmarshalBinary(replaceLast(t, good, tc.old, tc.new))
			if err == nil || err.Error() != "report: unmarshal binary: "+tc.wantError {
				t.Errorf("UnmarshalBinary: %v, want %q", err, tc.wantError)
			}
			if now, _ := b.MarshalBinary(); !bytes.Equal(was, now) {
				t.Error("a failed UnmarshalBinary changed the builder")
			}
		})
	}
}

// fuzzZoned are the options of FuzzUnmarshalBinary's builders with zones:
// one sample group in a zone of its own, so that the form holds two
// trackers (issue 21).
var fuzzZoned = Options{Groups: map[string]GroupOptions{"20003@chatroom": {Zone: time.UTC}}}

func FuzzUnmarshalBinary(f *testing.F) {
	for _, zoned := range []bool{false, true} {
		o := Options{}
		if zoned {
			o = fuzzZoned
		}
		b := mustNew(f, o)
		for _, e := range sample.Events()[:200] {
			b.Add(e)
		}
		good, _ := b.MarshalBinary()
		empty, _ := mustNew(f, o).MarshalBinary()
		f.Add(good, zoned)
		f.Add(empty, zoned)
	}
	f.Add([]byte("QRPT\x02"), false)
	if good, err := utf8Builder(f).MarshalBinary(); err == nil {
		f.Add(replaceLast(f, good, "hello", "hell\xff"), false) // issue 18: strings must be UTF-8
	}
	f.Fuzz(func(t *testing.T, data []byte, zoned bool) {
		o := Options{}
		if zoned {
			o = fuzzZoned
		}
		b := mustNew(t, o)
		if err := b.UnmarshalBinary(data); err != nil {
			return
		}
		for name, g := range b.groups {
			ok := utf8.ValidString(name)
			for _, id := range g.names {
				ok = ok && utf8.ValidString(id)
			}
			for r := range g.recent.all() {
				ok = ok && utf8.ValidString(string(r.typ)) && utf8.ValidString(r.actor) && utf8.ValidString(r.id) && utf8.ValidString(r.text)
			}
			if !ok {
				t.Fatalf("group %q: read a string that is not valid UTF-8", name)
			}
		}
		// What decodes builds (or fails with an error), the report it
		// builds writes as JSON, and the builder marshals back.
		rep, err := b.Build()
		if err != nil && !strings.HasPrefix(err.Error(), "report: ") {
			t.Fatalf("Build: %v", err)
		}
		if err == nil {
			if _, err := json.Marshal(rep); err != nil {
				t.Fatalf("the report of a builder read back does not write as JSON: %v", err)
			}
		}
		if _, err := b.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestUnmarshalBinaryVersion4: a builder written by the version-4 code
// (testdata/builder-v4.bin: the first 31 lines of testdata/week.jsonl,
// Options{}, written at commit e8b5d24), whose latest times leave out the
// recent events, reads back as the builder of those events, and goes on
// to build what one builder of the whole week builds.
func TestUnmarshalBinaryVersion4(t *testing.T) {
	data, err := os.ReadFile("testdata/builder-v4.bin")
	if err != nil {
		t.Fatal(err)
	}
	if data[4] != 4 {
		t.Fatalf("testdata/builder-v4.bin is version %d", data[4])
	}
	week, err := os.ReadFile("testdata/week.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var events []qunops.Event
	dec := qunops.NewDecoder(bytes.NewReader(week))
	for {
		e, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	half := strings.Count(string(week), "\n") / 2
	old := mustNew(t, Options{})
	if err := old.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if want, got := build(t, events[:half], Options{}), buildOf(t, old); !bytes.Equal(want, got) {
		t.Fatalf("the version-4 builder builds another report (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
	// Its latest times take in its recent events, as a builder of today
	// keeps them: a sweep may drop those events later.
	fresh := mustNew(t, Options{})
	addAll(t, fresh, events[:half])
	if len(old.groups) != len(fresh.groups) {
		t.Fatalf("%d groups, want %d", len(old.groups), len(fresh.groups))
	}
	for name, fg := range fresh.groups {
		og := old.groups[name]
		for i, id := range fg.names {
			n := og.index.find(keyOf(id))
			if n < 0 {
				t.Fatalf("group %q: member %q missing", name, id)
			}
			if og.latest[n] != fg.latest[i] {
				t.Errorf("group %q: member %q: latest times %+v, want %+v", name, id, og.latest[n], fg.latest[i])
			}
		}
	}
	addAll(t, old, events[half:])
	if want, got := build(t, events, Options{}), buildOf(t, old); !bytes.Equal(want, got) {
		t.Fatalf("the version-4 builder fed the rest builds another report (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}
