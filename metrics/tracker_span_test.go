package metrics

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// totalAlloc returns the bytes allocated so far by the process.
func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// Hostile spans (issue 18): an event that would make its group span more
// than MaxSpanDays is rejected with an error naming it, and leaves no trace;
// one day less is accepted. The 162-byte log of the issue (two events 9,000
// years apart) took 11.8 s and 2.2 GB.
func TestAddRejectsSpanBeyondMaxSpanDays(t *testing.T) {
	first := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	tests := []struct {
		name   string
		at     time.Time
		reject bool
	}{
		{"last allowed day", time.Date(2026, 3, 2+MaxSpanDays-1, 23, 0, 0, 0, shanghai), false},
		{"first allowed day before", time.Date(2026, 3, 2-(MaxSpanDays-1), 0, 0, 0, 0, shanghai), false},
		{"one day too late", time.Date(2026, 3, 2+MaxSpanDays, 0, 0, 0, 0, shanghai), true},
		{"one day too early", time.Date(2026, 3, 2-MaxSpanDays, 23, 59, 59, 0, shanghai), true},
		{"7,973 years later", time.Date(9999, 12, 31, 9, 0, 0, 0, shanghai), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(shanghai)
			if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: first, ID: "m1"}); err != nil {
				t.Fatal(err)
			}
			before := answersOf(t, tr)
			e := qunops.Event{Type: qunops.Join, Group: "g", Member: "bo", Time: tt.at, ID: "j1"}
			err := tr.Add(e)
			if !tt.reject {
				if err != nil {
					t.Fatalf("Add(%v) = %v, want it accepted", tt.at, err)
				}
				if days := tr.Days("g"); len(days) != MaxSpanDays {
					t.Fatalf("%d days, want MaxSpanDays (%d)", len(days), MaxSpanDays)
				}
				return
			}
			if err == nil {
				t.Fatalf("Add(%v) accepted an event beyond MaxSpanDays", tt.at)
			}
			for _, want := range []string{"metrics: add:", tt.at.Format(time.RFC3339), `member "bo"`, `group "g"`, `id "j1"`, "MaxSpanDays"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if diff := cmp.Diff(before, answersOf(t, tr)); diff != "" {
				t.Errorf("rejected event left a trace (-before +after):\n%s", diff)
			}
			// Another group is not held back by g's span.
			e.Group = "h"
			if err := tr.Add(e); err != nil {
				t.Errorf("Add to another group: %v", err)
			}
		})
	}
}

// The limit holds for events that Add holds back in its queue too: the
// second event of the pair arrives before the first is applied.
func TestAddSpanLimitSeesQueuedEvents(t *testing.T) {
	tr := NewTracker(shanghai)
	if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)}); err != nil {
		t.Fatal(err)
	}
	if len(tr.queue) != 1 {
		t.Fatalf("queue holds %d events, want the first one", len(tr.queue))
	}
	if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: time.Date(11026, 3, 2, 9, 0, 0, 0, shanghai)}); err == nil {
		t.Fatal("accepted a second event 9,000 years after a queued one")
	}
}

// Memory proportional to events and member-days, not to the span: 100
// groups with two events each, MaxSpanDays-1 days apart, allocate a few KiB
// per group (a tracker that stored every day of the span took 28 bytes per
// day, 280 KiB per group), and their binary form is about 100 bytes per
// group.
func TestTrackerMemoryIgnoresQuietDays(t *testing.T) {
	const groups = 100
	events := make([]qunops.Event, 0, 2*groups)
	for i := range groups {
		g := fmt.Sprintf("g%d", i)
		events = append(events,
			qunops.Event{Type: qunops.Message, Group: g, Member: "ann", Time: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai), ID: "a"},
			qunops.Event{Type: qunops.Message, Group: g, Member: "ann", Time: time.Date(2026, 3, 2+MaxSpanDays-1, 9, 0, 0, 0, shanghai), ID: "b"})
	}
	tr := NewTracker(shanghai)
	before := totalAlloc()
	for _, e := range events {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	if n := tr.Len(); n != 2*groups {
		t.Fatalf("Len = %d, want %d", n, 2*groups)
	}
	perGroup := (totalAlloc() - before) / groups
	t.Logf("Add: %d bytes per group", perGroup)
	if perGroup > 8<<10 {
		t.Errorf("%d bytes allocated per group of two events, want at most 8 KiB", perGroup)
	}
	b := mustMarshal(t, tr)
	if len(b) > groups*128 {
		t.Errorf("binary form of %d bytes, want at most 128 per group", len(b))
	}
	back := NewTracker(shanghai)
	before = totalAlloc()
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if perGroup := (totalAlloc() - before) / groups; perGroup > 8<<10 {
		t.Errorf("UnmarshalBinary allocated %d bytes per group, want at most 8 KiB", perGroup)
	}
	merged := NewTracker(shanghai)
	before = totalAlloc()
	if err := merged.Merge(back); err != nil {
		t.Fatal(err)
	}
	if perGroup := (totalAlloc() - before) / groups; perGroup > 8<<10 {
		t.Errorf("Merge allocated %d bytes per group, want at most 8 KiB", perGroup)
	}
}

// Merge and UnmarshalBinary refuse a group that would span more than
// MaxSpanDays, and change nothing.
func TestMergeAndUnmarshalRejectSpanBeyondMaxSpanDays(t *testing.T) {
	a, b := NewTracker(shanghai), NewTracker(shanghai)
	if err := a.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)}); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "bo", Time: time.Date(2026, 3, 2+MaxSpanDays, 9, 0, 0, 0, shanghai)}); err != nil {
		t.Fatal(err)
	}
	before := answersOf(t, a)
	if err := a.Merge(b); err == nil || !strings.Contains(err.Error(), "MaxSpanDays") {
		t.Fatalf("Merge = %v, want an error naming MaxSpanDays", err)
	}
	if diff := cmp.Diff(before, answersOf(t, a)); diff != "" {
		t.Fatalf("failed Merge changed the receiver (-before +after):\n%s", diff)
	}

	w := &binWriter{b: []byte(binaryMagic + string(rune(binaryVersion)))}
	w.str("Asia/Shanghai")
	w.uint(1)
	w.str("g")
	w.instant(instant{1 << 40, 0})
	w.uint(1)
	w.str("ann")
	w.b = append(w.b, 1)
	w.instant(instant{0, 0})
	w.uint(0)
	w.uint(2)
	for _, day := range []int64{0, MaxSpanDays} {
		w.int(day)
		w.uint(0)
		w.words([]uint64{1, 0})
	}
	w.uint(0)
	w.uint(0)
	if err := a.UnmarshalBinary(w.b); err == nil || !strings.Contains(err.Error(), "MaxSpanDays") {
		t.Fatalf("UnmarshalBinary = %v, want an error naming MaxSpanDays", err)
	}
	if diff := cmp.Diff(before, answersOf(t, a)); diff != "" {
		t.Fatalf("failed UnmarshalBinary changed the receiver (-before +after):\n%s", diff)
	}
	w.b = w.b[:0]
}

// TestAddRejectsDatesBeyondYear9999: an event is taken only when its date in
// the tracker's zone can be written in RFC 3339 (years 0 to 9999), so that
// a report of it always writes as JSON (issue 18: 9999-12-31T23:00:00Z, a
// valid event, fell on 10000-01-01 in Asia/Shanghai, and the report's JSON
// failed to encode).
func TestAddRejectsDatesBeyondYear9999(t *testing.T) {
	late := qunops.Event{Type: qunops.Message, Group: "g", Member: "a", Time: time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)}
	early := late
	early.Time = time.Date(1, 1, 1, 3, 0, 0, 0, time.UTC) // 0000-12-31 at UTC-5
	for _, tc := range []struct {
		loc      *time.Location
		e        qunops.Event
		rejected string // the date the error names, or "" when taken
	}{
		{time.UTC, late, ""},
		{shanghai, late, "10000-01-01"},
		{time.FixedZone("", -5*3600), early, ""},
		{time.FixedZone("", -5*3600), late, ""},
	} {
		tr := NewTracker(tc.loc)
		err := tr.Add(tc.e)
		switch {
		case tc.rejected == "" && err != nil:
			t.Errorf("%s in %s: %v", tc.e.Time, tc.loc, err)
		case tc.rejected != "" && (err == nil || !strings.Contains(err.Error(), "falls on "+tc.rejected)):
			t.Errorf("%s in %s: error %v, want one naming %s", tc.e.Time, tc.loc, err, tc.rejected)
		case tc.rejected != "" && len(tr.Days("g")) != 0:
			t.Errorf("%s in %s: a rejected event left days %v", tc.e.Time, tc.loc, tr.Days("g"))
		case tc.rejected == "":
			if _, err := json.Marshal(tr.Days("g")); err != nil {
				t.Errorf("%s in %s: days do not write as JSON: %v", tc.e.Time, tc.loc, err)
			}
		}
	}
}
