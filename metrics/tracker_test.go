package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/trust"
)

// ev makes an event of group "g" at t.
func ev(typ qunops.EventType, member string, t time.Time) qunops.Event {
	e := qunops.Event{Type: typ, Group: "g", Member: member, Time: t}
	switch typ {
	case qunops.Read, qunops.Claim:
		e.Item = "coupon"
	}
	return e
}

// dayRow is a Day in a form that is easy to write by hand.
type dayRow struct {
	Date                                       string // local date and clock of Day.Date
	Members, Speakers, Messages, Joins, Leaves int
}

func rows(days []Day) []dayRow {
	var out []dayRow
	for _, d := range days {
		out = append(out, dayRow{d.Date.Format("2006-01-02 15:04 MST"), d.Members, d.Speakers, d.Messages, d.Joins, d.Leaves})
		if d.Activity != ratioOf(d.Speakers, d.Members) {
			panic("activity is not speakers/members")
		}
	}
	return out
}

func TestDaysHandComputed(t *testing.T) {
	sh := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, shanghai) }
	ny := func(mo time.Month, day, h, m int) time.Time { return time.Date(2026, mo, day, h, m, 0, 0, newYork) }
	tests := []struct {
		name   string
		reason string
		loc    *time.Location
		events []qunops.Event
		want   []dayRow
	}{{
		name:   "events at local midnight",
		reason: "00:00:00 starts a day and 23:59:59.999999999 still ends the previous one; an instant written in UTC lands on its Shanghai date",
		loc:    shanghai,
		events: []qunops.Event{
			ev(qunops.Message, "ann", sh(2, 0, 0)),
			ev(qunops.Message, "bo", sh(2, 0, 0).Add(-time.Nanosecond)),
			ev(qunops.Message, "cy", time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)), // 00:00 on Mar 3 in Shanghai
		},
		want: []dayRow{
			{"2026-03-01 00:00 CST", 3, 1, 1, 0, 0},
			{"2026-03-02 00:00 CST", 3, 1, 1, 0, 0},
			{"2026-03-03 00:00 CST", 3, 1, 1, 0, 0},
		},
	}, {
		name:   "join and leave on the same day",
		reason: "present at some moment of Mar 2, gone at the start of Mar 3",
		loc:    shanghai,
		events: []qunops.Event{
			ev(qunops.Join, "ann", sh(2, 10, 0)),
			ev(qunops.Leave, "ann", sh(2, 18, 0)),
			ev(qunops.Join, "bo", sh(3, 9, 0)),
		},
		want: []dayRow{
			{"2026-03-02 00:00 CST", 1, 0, 0, 1, 1},
			{"2026-03-03 00:00 CST", 1, 0, 0, 1, 0},
		},
	}, {
		name:   "join and leave at the same instant",
		reason: "a join comes before a leave at the same instant, so the member is out afterwards",
		loc:    shanghai,
		events: []qunops.Event{
			ev(qunops.Leave, "ann", sh(2, 10, 0)),
			ev(qunops.Join, "ann", sh(2, 10, 0)),
			ev(qunops.Roster, "bo", sh(3, 9, 0)),
		},
		want: []dayRow{
			{"2026-03-02 00:00 CST", 2, 0, 0, 1, 1}, // ann, and bo (a member from before the log)
			{"2026-03-03 00:00 CST", 1, 0, 0, 0, 0},
		},
	}, {
		name:   "re-joins",
		reason: "in on Mar 2-3, out all of Mar 4, in again from Mar 5",
		loc:    shanghai,
		events: []qunops.Event{
			ev(qunops.Join, "ann", sh(2, 8, 0)),
			ev(qunops.Leave, "ann", sh(3, 8, 0)),
			ev(qunops.Join, "ann", sh(5, 8, 0)),
			ev(qunops.Message, "bo", sh(6, 8, 0)),
		},
		want: []dayRow{
			{"2026-03-02 00:00 CST", 2, 0, 0, 1, 0},
			{"2026-03-03 00:00 CST", 2, 0, 0, 0, 1},
			{"2026-03-04 00:00 CST", 1, 0, 0, 0, 0},
			{"2026-03-05 00:00 CST", 2, 0, 0, 1, 0},
			{"2026-03-06 00:00 CST", 2, 1, 1, 0, 0},
		},
	}, {
		name:   "member first seen speaking",
		reason: "bo's earliest event is a message: a member since before the log began, so on every day until the leave",
		loc:    shanghai,
		events: []qunops.Event{
			ev(qunops.Join, "ann", sh(2, 8, 0)),
			ev(qunops.Message, "bo", sh(4, 8, 0)),
			ev(qunops.Message, "bo", sh(4, 9, 0)),
			ev(qunops.Leave, "bo", sh(5, 8, 0)),
			ev(qunops.Message, "ann", sh(6, 8, 0)),
		},
		want: []dayRow{
			{"2026-03-02 00:00 CST", 2, 0, 0, 1, 0},
			{"2026-03-03 00:00 CST", 2, 0, 0, 0, 0},
			{"2026-03-04 00:00 CST", 2, 1, 2, 0, 0},
			{"2026-03-05 00:00 CST", 2, 0, 0, 0, 1},
			{"2026-03-06 00:00 CST", 1, 1, 1, 0, 0},
		},
	}, {
		name:   "mixed offsets in one log",
		reason: "the offset an event carries does not matter, only its instant in the tracker's location: 23:30 in New York on Mar 1 is 12:30 on Mar 2 in Shanghai",
		loc:    shanghai,
		events: []qunops.Event{
			ev(qunops.Message, "ann", time.Date(2026, 3, 1, 23, 30, 0, 0, newYork)),
			ev(qunops.Message, "bo", time.Date(2026, 3, 2, 4, 30, 0, 0, time.UTC)),
			ev(qunops.Message, "cy", time.Date(2026, 3, 2, 23, 30, 0, 0, time.FixedZone("", 9*3600))),
		},
		want: []dayRow{
			{"2026-03-02 00:00 CST", 3, 3, 3, 0, 0},
		},
	}, {
		name:   "daylight saving time starts",
		reason: "New York's Mar 8 2026 has 23 hours; 23:30 EDT is still Mar 8 although 24 hours after midnight EST it would be Mar 9",
		loc:    newYork,
		events: []qunops.Event{
			ev(qunops.Join, "ann", ny(3, 7, 12, 0)),
			ev(qunops.Message, "ann", ny(3, 8, 0, 30)),
			ev(qunops.Message, "bo", ny(3, 8, 23, 30)),
			ev(qunops.Message, "cy", ny(3, 9, 0, 0)),
		},
		want: []dayRow{
			{"2026-03-07 00:00 EST", 3, 0, 0, 1, 0},
			{"2026-03-08 00:00 EST", 3, 2, 2, 0, 0},
			{"2026-03-09 00:00 EDT", 3, 1, 1, 0, 0},
		},
	}, {
		name:   "daylight saving time ends",
		reason: "New York's Nov 1 2026 has 25 hours: 23:30 EST is Nov 1, 00:30 the next day is Nov 2",
		loc:    newYork,
		events: []qunops.Event{
			ev(qunops.Message, "ann", ny(11, 1, 23, 30)),
			ev(qunops.Leave, "ann", ny(11, 2, 0, 30)),
		},
		want: []dayRow{
			{"2026-11-01 00:00 EDT", 1, 1, 1, 0, 0},
			{"2026-11-02 00:00 EST", 1, 0, 0, 0, 1},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(tt.loc)
			for _, e := range tt.events {
				if err := tr.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, rows(tr.Days("g"))); diff != "" {
				t.Errorf("%s\nDays (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
}

func TestRetentionHandComputed(t *testing.T) {
	sh := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, shanghai) }
	// Four members join on Mar 2. By the end of Mar 5 (day 3) ann left,
	// bo left and came back, cy left on Mar 6 (after day 3), di stayed.
	// Only cy and di speak on Mar 5; ann speaks on Mar 7 after leaving.
	// ed joins on Mar 4, so his day-3 cohort ends Mar 7, the last day; bo's
	// re-join makes a cohort of Mar 5.
	tr := NewTracker(nil)
	for _, e := range []qunops.Event{
		ev(qunops.Join, "ann", sh(2, 9)), ev(qunops.Join, "bo", sh(2, 10)), ev(qunops.Join, "cy", sh(2, 11)), ev(qunops.Join, "di", sh(2, 12)),
		ev(qunops.Leave, "ann", sh(3, 9)),
		ev(qunops.Leave, "bo", sh(3, 9)), ev(qunops.Join, "bo", sh(5, 23)),
		ev(qunops.Message, "cy", sh(5, 8)), ev(qunops.Message, "di", sh(5, 8)),
		ev(qunops.Leave, "cy", sh(6, 1)),
		ev(qunops.Join, "ed", sh(4, 9)),
		ev(qunops.Message, "ann", sh(7, 9)),
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	type row struct {
		Date             string
		Joined, Retained int
		Rate             string
		Complete         bool
	}
	tests := []struct {
		name    string
		n       int
		meaning Meaning
		want    []row
	}{
		{"day 3 still member", 3, StillMember, []row{{"03-02", 4, 3, "75.0%", true}, {"03-04", 1, 1, "100.0%", true}, {"03-05", 1, 0, "undefined", false}}},
		{"day 3 spoke on day", 3, SpokeOnDay, []row{{"03-02", 4, 2, "50.0%", true}, {"03-04", 1, 0, "0.0%", true}, {"03-05", 1, 0, "undefined", false}}},
		{"day 3 spoke on or after", 3, SpokeOnOrAfter, []row{{"03-02", 4, 3, "75.0%", true}, {"03-04", 1, 0, "0.0%", true}, {"03-05", 1, 0, "undefined", false}}},
		{"day 4 still member", 4, StillMember, []row{{"03-02", 4, 2, "50.0%", true}, {"03-04", 1, 0, "undefined", false}, {"03-05", 1, 0, "undefined", false}}},
		{"day 0 still member", 0, StillMember, []row{{"03-02", 4, 4, "100.0%", true}, {"03-04", 1, 1, "100.0%", true}, {"03-05", 1, 1, "100.0%", true}}},
		{"day 6 is beyond the log", 6, StillMember, []row{{"03-02", 4, 0, "undefined", false}, {"03-04", 1, 0, "undefined", false}, {"03-05", 1, 0, "undefined", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := tr.RetentionWith("g", tt.n, Options{Retained: tt.meaning})
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, c := range cs {
				got = append(got, row{c.Date.Format("01-02"), c.Joined, c.Retained, c.Rate.String(), c.Complete})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := tr.RetentionWith("g", -1, Options{}); err == nil {
		t.Error("RetentionWith(n = -1) gave no error")
	}
	if tr.Retention("g", -1) != nil || tr.Retention("nope", 3) != nil {
		t.Error("Retention of a negative day or an unknown group is not nil")
	}
}

func TestAddRejectsBadEventsWithoutTrace(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	tr := NewTracker(nil)
	if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: at, ID: "x:1"}); err != nil {
		t.Fatal(err)
	}
	before := tr.Days("g")
	for _, tt := range []struct {
		name string
		e    qunops.Event
		want string
	}{
		{"no member", qunops.Event{Type: qunops.Message, Group: "g", Time: at, ID: "x:2"}, "member"},
		{"zero time", qunops.Event{Type: qunops.Join, Group: "g", Member: "bo", ID: "x:3"}, "time"},
		{"unknown type", qunops.Event{Type: "shout", Group: "g", Member: "bo", Time: at}, "type"},
		{"read without item", qunops.Event{Type: qunops.Read, Group: "g", Member: "bo", Time: at}, "item"},
		{"bad UTF-8", qunops.Event{Type: qunops.Message, Group: "g", Member: "b\xffo", Time: at.AddDate(0, 0, 3)}, "UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tr.Add(tt.e)
			if err == nil || !strings.HasPrefix(err.Error(), "metrics: add: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Add = %v, want an error about %s", err, tt.want)
			}
			if diff := cmp.Diff(before, tr.Days("g")); diff != "" {
				t.Errorf("a rejected event left a trace (-before +after):\n%s", diff)
			}
			if tr.Len() != 1 {
				t.Errorf("Len = %d after a rejected event, want 1", tr.Len())
			}
		})
	}
	// The ID of a rejected event stays free.
	if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "bo", Time: at, ID: "x:2"}); err != nil {
		t.Fatal(err)
	}
	if got := tr.Days("g")[0].Messages; got != 2 {
		t.Errorf("messages = %d, want 2 after adding x:2 for real", got)
	}
	// A second delivery of x:1 in the same group (same type, member and
	// instant; other text, actor and UTC offset) is ignored.
	if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: at.UTC(), ID: "x:1", Text: "again", Actor: "bot"}); err != nil {
		t.Fatal(err)
	}
	if got := tr.Days("g")[0].Messages; got != 2 || tr.Len() != 2 {
		t.Errorf("after a second delivery of x:1: %d messages and Len %d, want 2 and 2", got, tr.Len())
	}
	// A different event under x:1 (a broken or hostile export) counts:
	// which of the two is "first" depends on the split of the log.
	if err := tr.Add(qunops.Event{Type: qunops.Join, Group: "g", Member: "cy", Time: at.AddDate(0, 0, 1), ID: "x:1"}); err != nil {
		t.Fatal(err)
	}
	if got := tr.Days("g"); len(got) != 2 || got[1].Joins != 1 || tr.Len() != 3 {
		t.Errorf("after another event under x:1: %d days and Len %d, want 2 days (a join on the second) and Len 3", len(got), tr.Len())
	}
	// The same ID in another group is another event (per-group numbering).
	if err := tr.Add(qunops.Event{Type: qunops.Join, Group: "other", Member: "cy", Time: at, ID: "x:1"}); err != nil {
		t.Fatal(err)
	}
	if got := tr.Groups(); !cmp.Equal(got, []string{"g", "other"}) || tr.Len() != 4 {
		t.Errorf("Groups = %v, Len %d after x:1 in another group, want [g other] and 4", got, tr.Len())
	}
}

func TestMergeErrors(t *testing.T) {
	a, b := NewTracker(shanghai), NewTracker(newYork)
	for _, tt := range []struct {
		name string
		o    *Tracker
		want string
	}{
		{"nil", nil, "nil"},
		{"itself", a, "itself"},
		{"other location", b, "America/New_York"},
	} {
		if err := a.Merge(tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Merge = %v, want an error mentioning %q", tt.name, err, tt.want)
		}
	}
	// Merging leaves the source unchanged and unshared.
	src := NewTracker(nil)
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)
	_ = src.Add(ev(qunops.Message, "ann", at))
	dst := NewTracker(nil)
	if err := dst.Merge(src); err != nil {
		t.Fatal(err)
	}
	_ = dst.Add(ev(qunops.Message, "bo", at))
	if got := src.Days("g")[0].Speakers; got != 1 {
		t.Errorf("source speakers = %d after the destination grew, want 1", got)
	}
}

func TestBroadcastsHandComputed(t *testing.T) {
	sh := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, shanghai) }
	tr := NewTracker(nil)
	send := ev(qunops.Message, "staff", sh(2, 12))
	send.Item = "coupon"
	for _, e := range []qunops.Event{
		ev(qunops.Roster, "ann", sh(1, 9)), ev(qunops.Roster, "bo", sh(1, 9)), ev(qunops.Roster, "cy", sh(1, 9)),
		ev(qunops.Roster, "di", sh(1, 9)), ev(qunops.Roster, "staff", sh(1, 9)),
		send,
		ev(qunops.Join, "ed", sh(2, 13)),  // after the broadcast: not a recipient
		ev(qunops.Read, "ed", sh(2, 14)),  // so not a reader either
		ev(qunops.Read, "ann", sh(2, 14)), // reached
		ev(qunops.Read, "bo", sh(3, 9)),   // reached, muted (taken out)
		ev(qunops.Read, "cy", sh(4, 9)),   // reached
		ev(qunops.Claim, "ann", sh(2, 20)),
		ev(qunops.Claim, "cy", sh(3, 13)), // 25 hours later: outside the 24-hour window
		ev(qunops.Claim, "di", sh(2, 11)), // before the broadcast
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := tr.Broadcasts("g", Options{Exclude: []string{"staff"}, Muted: []string{"bo"}})
	if err != nil {
		t.Fatal(err)
	}
	// Recipients ann bo cy di; muted bo; readers ann cy: reach 2/(4-1).
	// Responders: ann only, 1/4.
	want := []Broadcast{{Item: "coupon", Sent: sh(2, 12), Recipients: 4, Muted: 1, Readers: 2, Responders: 1, Reach: Ratio{Num: 2, Den: 3}, Response: Ratio{Num: 1, Den: 4}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got, _ = tr.Broadcasts("g", Options{Exclude: []string{"staff"}, Window: 25 * time.Hour})
	if got[0].Responders != 2 || got[0].Reach != (Ratio{Num: 3, Den: 4}) {
		t.Errorf("with a 25-hour window and no muted members: %+v, want 2 responders and reach 3/4", got[0])
	}
}

func TestQuitRateAndWeekly(t *testing.T) {
	sh := func(day, h int) time.Time { return time.Date(2026, 3, day, h, 0, 0, 0, shanghai) }
	tr := NewTracker(nil)
	for _, e := range []qunops.Event{
		ev(qunops.Roster, "ann", sh(1, 9)), ev(qunops.Roster, "bo", sh(1, 9)), ev(qunops.Roster, "cy", sh(1, 9)),
		ev(qunops.Join, "di", sh(3, 9)),
		ev(qunops.Leave, "ann", sh(4, 9)),
		ev(qunops.Leave, "ann", sh(4, 10)), // a second leave of someone already out: not a quit
		ev(qunops.Message, "bo", sh(5, 9)), ev(qunops.Message, "bo", sh(6, 9)), ev(qunops.Message, "di", sh(7, 9)),
		ev(qunops.Leave, "cy", sh(9, 9)), // after the period
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	// Mar 2-8: 3 members at the start, 1 join, 1 quit: 1/4 (F42).
	q, err := tr.QuitRate("g", sh(2, 0), sh(8, 0), Options{})
	if err != nil || q != (Ratio{Num: 1, Den: 4}) {
		t.Errorf("QuitRate = %v, %v; want 1/4", q, err)
	}
	if _, err := tr.QuitRate("g", sh(8, 0), sh(2, 0), Options{}); err == nil {
		t.Error("QuitRate over a reversed period gave no error")
	}
	// Week Mar 1-7: members ann bo cy di, speakers bo (2 days) and di (1).
	w, err := tr.Weekly("g", sh(7, 22), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Week{Start: sh(1, 0), End: sh(7, 0), Members: 4, Speakers: 2, Rate: Ratio{Num: 2, Den: 4}, ActiveDays: map[string]int{"ann": 0, "bo": 2, "cy": 0, "di": 1}}
	if diff := cmp.Diff(want, w); diff != "" {
		t.Errorf("Weekly (-want +got):\n%s", diff)
	}
}

// TestExpectIDs: a group the tracker was told to expect n IDs of gets its
// table at once, which then does not grow for them; other groups start
// small; and the estimate changes no result.
func TestExpectIDs(t *testing.T) {
	const n = 5000
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	told, plain := NewTracker(nil), NewTracker(nil)
	trust.TrackerExpectIDs(told, map[string]int{"a": n})
	for i := range n {
		for _, tr := range []*Tracker{told, plain} {
			for _, g := range []string{"a", "b"} {
				e := qunops.Event{Type: qunops.Message, Group: g, Member: fmt.Sprint("m", i%50), Time: at.Add(time.Duration(i) * time.Minute), ID: fmt.Sprint("id", i%(n-10))}
				if err := tr.Add(e); err != nil {
					t.Fatal(err)
				}
			}
		}
		if i == 0 {
			told.flush()
			if got := len(told.groups[told.byName["a"]].ids.slots); got*13 < n*16 {
				t.Fatalf("group a's table has %d slots after its first event, want room for %d IDs", got, n)
			}
		}
	}
	told.flush()
	a, b := told.groups[told.byName["a"]], told.groups[told.byName["b"]]
	if len(a.ids.slots) != 8192 || len(b.ids.slots) != 8192 {
		t.Errorf("tables of %d and %d slots for %d IDs, want 8192 (13/16 full at most)", len(a.ids.slots), len(b.ids.slots), n-10)
	}
	for _, g := range []string{"a", "b"} {
		if d1, d2 := told.Days(g), plain.Days(g); !cmp.Equal(d1, d2) {
			t.Errorf("group %s: days differ with the estimate:\n%v\n%v", g, d1, d2)
		}
	}
}
