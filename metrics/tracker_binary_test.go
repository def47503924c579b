package metrics

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// answers is everything a tracker answers about all its groups, for the
// binary form's tests (takeSnapshot asks about g1 and g2 only).
type answers struct {
	Len        int
	Groups     []string
	Days       map[string][]Day
	Retention  map[string][][]Cohort
	Broadcasts map[string][]Broadcast
	Health     map[string][]Verdict
}

// fataler is what answersOf needs of a *testing.T or a *rapid.T.
type fataler interface{ Fatal(args ...any) }

func answersOf(t fataler, tr *Tracker) answers {
	a := answers{Len: tr.Len(), Groups: tr.Groups(), Days: map[string][]Day{}, Retention: map[string][][]Cohort{}, Broadcasts: map[string][]Broadcast{}, Health: map[string][]Verdict{}}
	for _, g := range a.Groups {
		a.Days[g] = tr.Days(g)
		for _, n := range []int{0, 1, 3} {
			for _, m := range []Meaning{StillMember, SpokeOnDay, SpokeOnOrAfter} {
				c, err := tr.RetentionWith(g, n, Options{Retained: m})
				if err != nil {
					t.Fatal(err)
				}
				a.Retention[g] = append(a.Retention[g], c)
			}
		}
		b, err := tr.Broadcasts(g, Options{Muted: []string{"ed"}, Window: 36 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		a.Broadcasts[g] = b
		if days := a.Days[g]; len(days) > 0 {
			v, err := tr.Health(g, Perks, days[0].Date, days[len(days)-1].Date, HealthOptions{})
			if err != nil {
				t.Fatal(err)
			}
			a.Health[g] = v
		}
	}
	return a
}

func mustMarshal(t fataler, tr *Tracker) []byte {
	b, err := tr.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// roundTrip returns a tracker of loc read from tr's binary form.
func binaryRoundTrip(t interface {
	fataler
	Fatalf(string, ...any)
}, tr *Tracker, loc *time.Location) *Tracker {
	out := NewTracker(loc)
	if err := out.UnmarshalBinary(mustMarshal(t, tr)); err != nil {
		t.Fatalf("UnmarshalBinary: %v", err)
	}
	return out
}

// Random events in a random split over shards, each shard shipped through
// its binary form and merged: the same answers as one tracker over all
// events; and a tracker read back from the binary form answers as the
// original and still ignores the IDs it has seen.
func TestTrackerBinaryShardsMergeEqualsOneTracker(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := genLoc().Draw(t, "loc")
		log := genLog(t)
		single := NewTracker(loc)
		mustAdd(t, single, log...)

		shards := make([]*Tracker, rapid.IntRange(1, 4).Draw(t, "shards"))
		for i := range shards {
			shards[i] = NewTracker(loc)
		}
		for _, e := range rapid.Permutation(log).Draw(t, "perm") {
			mustAdd(t, shards[rapid.IntRange(0, len(shards)-1).Draw(t, "shard")], e)
		}
		merged := NewTracker(loc)
		for _, s := range shards {
			if err := merged.Merge(binaryRoundTrip(t, s, loc)); err != nil {
				t.Fatal(err)
			}
		}
		want := answersOf(t, single)
		if diff := cmp.Diff(want, answersOf(t, merged)); diff != "" {
			t.Fatalf("shards shipped in binary and merged differ from one tracker (-want +got):\n%s", diff)
		}
		back := binaryRoundTrip(t, single, loc)
		if diff := cmp.Diff(want, answersOf(t, back)); diff != "" {
			t.Fatalf("tracker read back differs (-want +got):\n%s", diff)
		}
		// The ID state came along: the log's events with an ID, again,
		// change nothing.
		for _, e := range log {
			if e.ID != "" {
				mustAdd(t, back, e)
			}
		}
		if diff := cmp.Diff(want, answersOf(t, back)); diff != "" {
			t.Fatalf("re-adding the events with IDs to the tracker read back changed it (-want +got):\n%s", diff)
		}
	})
}

// testTracker returns a tracker of shanghai with a little of everything:
// two groups, joins and leaves with and without IDs, a broadcast with reads
// and claims, messages on two days with a quiet day between.
func testTracker(t fataler) *Tracker {
	tr := NewTracker(shanghai)
	at := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, shanghai) }
	for _, e := range []qunops.Event{
		{Type: qunops.Join, Group: "g", Member: "ann", Time: at(2, 9), ID: "j1"},
		{Type: qunops.Message, Group: "g", Member: "ann", Time: at(2, 10), ID: "m1", Item: "coupon"},
		{Type: qunops.Read, Group: "g", Member: "bo", Time: at(2, 11), Item: "coupon"},
		{Type: qunops.Claim, Group: "g", Member: "bo", Time: at(2, 12), Item: "coupon", ID: "c1"},
		{Type: qunops.Message, Group: "g", Member: "bo", Time: at(4, 8)},
		{Type: qunops.Leave, Group: "g", Member: "ann", Time: at(4, 9)},
		{Type: qunops.Message, Group: "h", Member: "cy", Time: at(3, 8), ID: "m2"},
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// Every bad input is an error naming the problem and leaves the receiver
// as it was: each truncation of a valid form, a wrong header, version or
// location, data after the end, and inconsistent contents.
func TestTrackerUnmarshalBinaryErrorsLeaveReceiverUnchanged(t *testing.T) {
	good := mustMarshal(t, testTracker(t))
	header := func(loc string) *binWriter {
		w := &binWriter{b: []byte(binaryMagic + string(rune(binaryVersion)))}
		w.str(loc)
		return w
	}
	// oneMember writes group "g" with member "ann" (a non-join event at
	// second 100, latest 100) and then what more adds.
	oneMember := func(more func(w *binWriter)) []byte {
		w := header("Asia/Shanghai")
		w.uint(1)
		w.str("g")
		w.instant(instant{100, 0})
		w.uint(1)
		w.str("ann")
		w.b = append(w.b, 1)
		w.instant(instant{100, 0})
		more(w)
		return w.b
	}
	noItemsNoIDs := func(w *binWriter) { w.uint(0); w.uint(0) }
	// day8 writes no joins or leaves for ann and one day, day 8, with msgs
	// messages and the bit words row.
	day8 := func(w *binWriter, msgs uint64, row ...uint64) {
		w.uint(0)
		w.uint(1)
		w.int(8)
		w.uint(msgs)
		w.words(row)
	}
	tests := []struct {
		name string
		data []byte
		want string // in the error
	}{
		{"empty", nil, "not a tracker"},
		{"other magic", []byte("QTRX\x01"), "not a tracker"},
		{"version 1, whose ID keys lack the event's facts", append([]byte(binaryMagic), 1), "version 1, want 2"},
		{"version 3", append([]byte(binaryMagic), 3), "version 3, want 2"},
		{"other location", header("America/New_York").b, `location "America/New_York" differs from the tracker's "Asia/Shanghai"`},
		{"data after the end", append(bytes.Clone(good), 0), "1 bytes after the last group"},
		{"huge group count", append(header("Asia/Shanghai").b, 0xff, 0xff, 0xff, 0xff, 0x0f), "exceeds"},
		{"group count over 64 bits", append(header("Asia/Shanghai").b, bytes.Repeat([]byte{0xff}, 11)...), "varint overflows 64 bits"},
		{"join on a day without events", oneMember(func(w *binWriter) {
			w.uint(1) // one transition
			w.instant(instant{90, 0})
			w.int(7)
			w.b = append(w.b, 1)
			w.uint(1) // one day, another one
			w.int(8)
			w.uint(0)
			w.words([]uint64{1, 0})
			noItemsNoIDs(w)
		}), "without its event"},
		{"speaker without an event", oneMember(func(w *binWriter) {
			day8(w, 1, 0, 1)
			noItemsNoIDs(w)
		}), "a speaker without an event"},
		{"bit beyond the members", oneMember(func(w *binWriter) {
			day8(w, 0, 3, 0)
			noItemsNoIDs(w)
		}), "beyond the 1 members"},
		{"first event after the latest", func() []byte {
			w := header("Asia/Shanghai")
			w.uint(1)
			w.str("g")
			w.instant(instant{100, 0})
			w.uint(1)
			w.str("ann")
			w.b = append(w.b, 1)
			w.instant(instant{101, 0})
			return w.b
		}(), "after the latest"},
		{"group name not UTF-8", withName(good, "h", "\xff"), `group name "\xff" is not valid UTF-8`},
		{"member name not UTF-8", withName(good, "ann", "a\xc0n"), `group "g": member name "a\xc0n" is not valid UTF-8`},
		{"item name not UTF-8", withName(good, "coupon", "coupo\xed"), `group "g": item name "coupo\xed" is not valid UTF-8`},
		{"more message IDs than messages", oneMember(func(w *binWriter) {
			day8(w, 0, 1, 0) // no messages
			w.uint(0)
			w.uint(1)
			w.b = append(w.b, make([]byte, 8)...)
			w.b = append(w.b, 1, 0, 0, 0)
			w.int(8) // a message on day 8
		}), "1 message IDs but 0 messages"},
	}
	for n := range len(good) {
		tests = append(tests, struct {
			name string
			data []byte
			want string
		}{fmt.Sprintf("truncated to %d of %d bytes", n, len(good)), good[:n], ""})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := testTracker(t)
			before := answersOf(t, tr)
			err := tr.UnmarshalBinary(tt.data)
			if err == nil {
				t.Fatalf("UnmarshalBinary(%q) = nil, want an error", tt.data)
			}
			if !strings.HasPrefix(err.Error(), "metrics: unmarshal binary: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one starting with the package and holding %q", err, tt.want)
			}
			if diff := cmp.Diff(before, answersOf(t, tr)); diff != "" {
				t.Errorf("failed UnmarshalBinary changed the receiver (-before +after):\n%s", diff)
			}
		})
	}
}

// withName returns the binary form data with the first string old (written
// as its length and bytes) replaced by new, of the same length: a form that
// only a forger or a corrupted copy would hold.
func withName(data []byte, old, new string) []byte {
	if len(old) != len(new) || len(old) > 127 {
		panic("withName: lengths differ")
	}
	enc := append([]byte{byte(len(old))}, old...)
	i := bytes.Index(data, enc)
	if i < 0 {
		panic(fmt.Sprintf("withName: %q not in the form", old))
	}
	out := bytes.Clone(data)
	copy(out[i+1:], new)
	return out
}

// UnmarshalBinary replaces the receiver's contents, events held back
// included, and keeps its location.
func TestTrackerUnmarshalBinaryReplaces(t *testing.T) {
	src := testTracker(t)
	dst := NewTracker(shanghai)
	if err := dst.Add(qunops.Event{Type: qunops.Message, Group: "other", Member: "zed", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)}); err != nil {
		t.Fatal(err)
	}
	if err := dst.UnmarshalBinary(mustMarshal(t, src)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(answersOf(t, src), answersOf(t, dst)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// The zero Tracker is Asia/Shanghai, like DefaultLocation.
	var zero Tracker
	if err := zero.UnmarshalBinary(mustMarshal(t, NewTracker(nil))); err != nil {
		t.Fatalf("zero tracker: %v", err)
	}
}

// FuzzTrackerUnmarshalBinary reads arbitrary bytes as a tracker: it never
// panics; a failed read leaves the receiver unchanged; what reads answers
// every question without panicking, keeps its invariants, merges, and reads
// back from its own binary form with the same answers.
func FuzzTrackerUnmarshalBinary(f *testing.F) {
	f.Add(mustMarshal(f, testTracker(f)))
	f.Add(mustMarshal(f, NewTracker(shanghai)))
	f.Add([]byte(binaryMagic + "\x02"))
	f.Add(withName(mustMarshal(f, testTracker(f)), "ann", "a\xffn")) // issue 18: names must be UTF-8
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := testTracker(t)
		before := mustMarshal(t, tr)
		if err := tr.UnmarshalBinary(data); err != nil {
			if after := mustMarshal(t, tr); !bytes.Equal(before, after) {
				t.Fatalf("failed read (%v) changed the receiver", err)
			}
			return
		}
		// Issue 18: every name read is one an event could carry.
		for _, g := range tr.groups {
			bad := !utf8.ValidString(g.name)
			for i := range g.members {
				bad = bad || !utf8.ValidString(g.members[i].name)
			}
			for name := range g.items {
				bad = bad || !utf8.ValidString(name)
			}
			if bad {
				t.Fatalf("group %q: read a name that is not valid UTF-8", g.name)
			}
		}
		got := answersOf(t, tr)
		for g, days := range got.Days {
			for _, d := range days {
				if d.Speakers > d.Members || d.Messages < 0 {
					t.Fatalf("%s %s: speakers %d, members %d, messages %d", g, d.Date, d.Speakers, d.Members, d.Messages)
				}
			}
		}
		if diff := cmp.Diff(got, answersOf(t, binaryRoundTrip(t, tr, shanghai))); diff != "" {
			t.Fatalf("second round trip differs (-first +second):\n%s", diff)
		}
		into := testTracker(t)
		if err := into.Merge(tr); err != nil {
			t.Fatal(err)
		}
		for g, days := range answersOf(t, into).Days {
			for _, d := range days {
				if d.Speakers > d.Members || d.Messages < 0 {
					t.Fatalf("merged %s %s: speakers %d, members %d, messages %d", g, d.Date, d.Speakers, d.Members, d.Messages)
				}
			}
		}
	})
}
