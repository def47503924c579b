package metrics

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// FuzzTrackerAdd feeds arbitrary events (any type string, any strings, any
// instant and offset) to a tracker that already holds one event: Add never
// panics, a rejected event leaves no trace, and the invariants of Days and
// Retention hold.
func FuzzTrackerAdd(f *testing.F) {
	f.Add("message", "g", "ann", int64(1772409600), int64(0), 480, "id:1", "")
	f.Add("join", "h", "bo", int64(-62135596800), int64(999999999), -300, "", "")
	f.Add("claim", "h", "\xff", int64(253402300799), int64(1), 61, "id:2", "coupon")
	f.Fuzz(func(t *testing.T, typ, group, member string, sec, nsec int64, offsetMin int, id, item string) {
		tr := NewTracker(newYork)
		first := qunops.Event{Type: qunops.Leave, Group: "g", Member: "cy", Time: time.Date(2026, 3, 8, 1, 0, 0, 0, newYork), ID: "id:0"}
		if err := tr.Add(first); err != nil {
			t.Fatal(err)
		}
		before := tr.Days("g")
		e := qunops.Event{Type: qunops.EventType(typ), Group: group, Member: member, ID: id, Item: item, Actor: "x", Text: "y",
			Time: time.Unix(sec, nsec%1e9).In(time.FixedZone("", (offsetMin%(24*60))*60))}
		if err := tr.Add(e); err != nil {
			if diff := cmp.Diff(before, tr.Days("g")); diff != "" || tr.Len() != 1 {
				t.Fatalf("rejected %+v (%v) but it left a trace:\n%s", e, err, diff)
			}
			return
		}
		for _, g := range tr.Groups() {
			for _, d := range tr.Days(g) {
				if d.Speakers > d.Members || d.Members < 0 {
					t.Fatalf("%s %s: speakers %d, members %d", g, d.Date, d.Speakers, d.Members)
				}
			}
			for _, c := range tr.Retention(g, 1) {
				if c.Retained > c.Joined {
					t.Fatalf("%s %s: retained %d > joined %d", g, c.Date, c.Retained, c.Joined)
				}
			}
		}
	})
}

// FuzzHealthOptionsJSON reads arbitrary documents as HealthOptions, the
// option type that holds all the others' kinds of field: a failed read
// leaves the options untouched, and what reads validates and writes back
// to the same bytes.
func FuzzHealthOptionsJSON(f *testing.F) {
	f.Add([]byte(`{"exclude":["bot"],"retained":"spoke-on-day","window":"48h","reach":{"num":9,"den":10},"campaigns":[]}`))
	f.Add([]byte(`{"window":"1h","window":"2h"}`))
	f.Add([]byte(`{"day3_retention":{"num":1,"den":0,"value":null},"campaigns":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		o := HealthOptions{Options: Options{Window: time.Hour}}
		before, _ := json.Marshal(o)
		if err := json.Unmarshal(b, &o); err != nil {
			if after, _ := json.Marshal(o); string(after) != string(before) {
				t.Fatalf("failed read changed the options: %s", after)
			}
			return
		}
		if err := o.Validate(); err != nil {
			t.Fatalf("read invalid options: %v", err)
		}
		out, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var p HealthOptions
		if err := json.Unmarshal(out, &p); err != nil {
			t.Fatalf("reread %s: %v", out, err)
		}
		if again, _ := json.Marshal(p); string(again) != string(out) {
			t.Fatalf("not stable:\n%s\n%s", out, again)
		}
	})
}
