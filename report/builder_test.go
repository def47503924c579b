package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/sample"
	"pgregory.net/rapid"
)

// TestSinglePassSample: the Builder's one pass gives the report that the
// CLI's two passes gave, on the bundled sample (whose golden file in
// cmd/qunops pins the bytes as well).
func TestSinglePassSample(t *testing.T) {
	o := Options{Groups: sampleGroups()}
	want, got := twoPass(t, sample.Events(), o), build(t, sample.Events(), o)
	if !bytes.Equal(want, got) {
		t.Errorf("one pass differs from two (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestSinglePassProperty: on logs in any order, with duplicate IDs and
// windows cut anywhere, one pass equals two, for the default windows and
// for a terms window shorter and longer than the tier window. A Builder
// that cut the windows at the latest event seen so far, or forgot what it
// folded, would fail here.
func TestSinglePassProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		o := Options{TermsWindow: rapid.SampledFrom([]time.Duration{0, 36 * time.Hour, 10 * 24 * time.Hour}).Draw(t, "terms window")}
		if want, got := twoPass(t, events, o), build(t, events, o); !bytes.Equal(want, got) {
			t.Fatalf("one pass differs from two (-want +got):\n%s", cmp.Diff(string(want), string(got)))
		}
	})
}

// TestSinglePassSweeps: a long log in time order makes the buffer of recent
// events sweep many times; the report still equals two passes, and the
// buffer holds about the last week, not the whole log.
func TestSinglePassSweeps(t *testing.T) {
	end := time.Date(2026, 4, 30, 23, 0, 0, 0, qunops.DefaultLocation())
	events := genLog(20000, 2, 300, 60, end, 1)
	if want, got := twoPass(t, events, Options{}), build(t, events, Options{}); !bytes.Equal(want, got) {
		t.Fatalf("one pass differs from two (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
	b, _ := New(Options{})
	for _, e := range events {
		b.Add(e)
	}
	recent := 0
	for _, g := range b.groups {
		recent += g.recent.len()
	}
	// 7 of 60 days, of the 75% of events that count, at most doubled
	// between sweeps: under 20000*0.75*(7/60)*2 = 3500.
	if recent > 3500 {
		t.Errorf("%d recent events kept of 20000 over 60 days, want about a week's", recent)
	}
}

// TestMergeProperty: a log split into shards in input order, each into a
// Builder, merged in order, gives the report of one Builder over the whole
// log, replayed events deduplicated across shards by their IDs.
func TestMergeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawReplays(t)
		shards := drawShards(t, events)
		whole := build(t, events, Options{})
		var merged *Builder
		for _, s := range shards {
			b := mustNew(t, Options{})
			addAll(t, b, s)
			if merged == nil {
				merged = b
			} else if err := merged.Merge(b); err != nil {
				t.Fatal(err)
			}
		}
		if got := buildOf(t, merged); !bytes.Equal(whole, got) {
			t.Fatalf("merged shards differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
	})
}

// TestMergeExactWhenDifferentEventsShareAnID (issue 18, item 3): a log in
// which different events share IDs (drawEvents takes them from a pool of
// 31) and some come again with another text and UTC offset, cut into
// shards in input order, each shard shipped through its binary form or
// not, merged in order, gives byte for byte the report of one Builder over
// the whole log, as the parallel build does.
func TestMergeExactWhenDifferentEventsShareAnID(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, max(len(events)-1, 0)), 0, len(events)/2).Draw(t, "redelivered") {
			if len(events) == 0 {
				break
			}
			e := events[i]
			e.Text = "again"
			e.Time = e.Time.In(time.FixedZone("", 9*3600))
			events = append(events, e)
		}
		shards := drawShards(t, events)
		whole := build(t, events, Options{})
		merged := mustNew(t, Options{})
		for _, s := range shards {
			b := mustNew(t, Options{})
			addAll(t, b, s)
			if rapid.Bool().Draw(t, "ship") {
				data, err := b.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				b = mustNew(t, Options{})
				if err := b.UnmarshalBinary(data); err != nil {
					t.Fatal(err)
				}
			}
			if err := merged.Merge(b); err != nil {
				t.Fatal(err)
			}
		}
		if got := buildOf(t, merged); !bytes.Equal(whole, got) {
			t.Fatalf("merged shards differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
	})
}

// TestAbsorbProperty (issue 18, item 2): shards of a log in input order,
// some with groups the receiver lacks, absorbed in order, give the report
// of one Builder byte for byte, as Merge does; an absorbed builder is left
// empty and usable; and a failed Absorb changes nothing.
func TestAbsorbProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		shards := drawShards(t, events)
		whole := build(t, events, Options{})
		into := mustNew(t, Options{})
		for _, s := range shards {
			b := mustNew(t, Options{})
			addAll(t, b, s)
			if err := into.Absorb(b); err != nil {
				t.Fatal(err)
			}
			if len(b.groups) != 0 || len(b.tr.groups()) != 0 {
				t.Fatalf("an absorbed builder keeps %d groups, its tracker %d", len(b.groups), len(b.tr.groups()))
			}
			addAll(t, b, s) // usable again
			if want, got := build(t, s, Options{}), buildOf(t, b); !bytes.Equal(want, got) {
				t.Fatalf("an absorbed builder fed its shard again (-want +got):\n%s", cmp.Diff(string(want), string(got)))
			}
		}
		if got := buildOf(t, into); !bytes.Equal(whole, got) {
			t.Fatalf("absorbed shards differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
		other := mustNew(t, Options{TopTerms: 3})
		addAll(t, other, events)
		before, _ := into.MarshalBinary()
		otherBefore, _ := other.MarshalBinary()
		if err := into.Absorb(other); err == nil || !strings.HasPrefix(err.Error(), "report: absorb: options") {
			t.Fatalf("Absorb of a builder with other options: %v", err)
		}
		after, _ := into.MarshalBinary()
		otherAfter, _ := other.MarshalBinary()
		if !bytes.Equal(before, after) || !bytes.Equal(otherBefore, otherAfter) {
			t.Fatal("a failed Absorb changed a builder")
		}
	})
}

func TestMergeRefuses(t *testing.T) {
	a, _ := New(Options{})
	for _, tc := range []struct {
		name string
		o    *Builder
		want string
	}{
		{"nil", nil, "report: merge: nil builder"},
		{"itself", a, "report: merge: a builder into itself"},
		{"other zone", mustNew(t, Options{Location: time.UTC}), "report: merge: options"},
		{"other terms window", mustNew(t, Options{TermsWindow: time.Hour}), "report: merge: options"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := a.Merge(tc.o)
			if err == nil || !bytes.HasPrefix([]byte(err.Error()), []byte(tc.want)) {
				t.Errorf("Merge: %v, want %q", err, tc.want)
			}
		})
	}
}

// TestAddRejects: an invalid event is an error and leaves no trace.
func TestAddRejects(t *testing.T) {
	b := mustNew(t, Options{})
	err := b.Add(qunops.Event{Type: qunops.Message, Group: "g", Time: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("member")) {
		t.Fatalf("Add of a message without member: %v", err)
	}
	rep, err := b.Build()
	if err != nil || len(rep.Groups) != 0 || len(b.groups) != 0 {
		t.Errorf("a rejected event left %d groups in the report, %d in the builder (%v)", len(rep.Groups), len(b.groups), err)
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string // "" for valid
	}{
		{"zero", Options{}, ""},
		{"all set", Options{Location: time.UTC, Groups: sampleGroups(), Default: GroupOptions{Kind: 2}, RetentionDays: []int{1, 30}, TermsWindow: time.Hour, TopTerms: 20, MaxDays: 5}, ""},
		{"no day limit", Options{MaxDays: -1}, ""},
		{"max days", Options{MaxDays: -2}, "report: options: max_days -2 must be -1 (no limit), 0 (the default, 2000000) or more"},
		{"kind", Options{Groups: map[string]GroupOptions{"g": {Kind: 9}}}, `report: options: groups["g"].kind: 9 is not a group kind`},
		{"default kind", Options{Default: GroupOptions{Kind: -1}}, "report: options: default.kind: -1 is not a group kind"},
		{"day 0", Options{RetentionDays: []int{1, 0}}, "report: options: retention_days[1]: 0 is outside 1..366"},
		{"day 367", Options{RetentionDays: []int{367}}, "report: options: retention_days[0]: 367 is outside 1..366"},
		{"repeated day", Options{RetentionDays: []int{3, 1, 3}}, "report: options: retention_days[2]: 3 is repeated"},
		{"negative window", Options{TermsWindow: -time.Hour}, "report: options: terms_window -1h0m0s must not be negative"},
		{"top terms", Options{TopTerms: 1001}, "report: options: top_terms 1001 is outside 0..1000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate: %q, want %q", got, tc.want)
			}
			if _, nerr := New(tc.o); (nerr == nil) != (tc.want == "") {
				t.Errorf("New: %v, want the error of Validate", nerr)
			}
		})
	}
}

// TestOptionsCopied: changing the caller's map or slice after New changes
// nothing in the builder.
func TestOptionsCopied(t *testing.T) {
	groups, days := sampleGroups(), []int{1, 3}
	b := mustNew(t, Options{Groups: groups, RetentionDays: days})
	groups["20001@chatroom"], days[0] = GroupOptions{Kind: 2}, 5
	if got := b.Options(); got.Groups["20001@chatroom"].Kind == 2 || got.RetentionDays[0] != 1 {
		t.Errorf("options changed with the caller's values: %+v", got)
	}
}

func mustNew(t tb, o Options) *Builder {
	t.Helper()
	b, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOptionsJSON(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	all := Options{Location: berlin, Groups: map[string]GroupOptions{"20001@chatroom": {Kind: 1}}, Default: GroupOptions{Kind: 2},
		RetentionDays: []int{1, 7, 30}, TermsWindow: 72 * time.Hour, TopTerms: 20, MaxDays: -1}
	const allJSON = `{"location":"Europe/Berlin","default":{"kind":"perks"},"groups":{"20001@chatroom":{"kind":"service"}},"retention_days":[1,7,30],"terms_window":"72h","top_terms":20,"max_days":-1}`
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"zero", Options{}, `{}`},
		{"all set", all, allJSON},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.o)
			if err != nil || string(b) != tc.want {
				t.Fatalf("Marshal: %s (%v), want %s", b, err, tc.want)
			}
			var back Options
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.Location.String() != tc.o.Location.String() || !back.equalJSON(tc.o) {
				t.Errorf("read back %+v, want %+v", back, tc.o)
			}
		})
	}
	if _, err := json.Marshal(Options{TopTerms: -1}); err == nil {
		t.Error("Marshal of invalid options: no error")
	}
	for _, tc := range []struct{ name, in, want string }{
		{"unknown key", `{"top_term":3}`, `"top_term"`},
		{"wrong case", `{"Top_terms":3}`, `"Top_terms"`},
		{"duplicate key", `{"top_terms":3,"top_terms":4}`, `"top_terms"`},
		{"unknown kind", `{"default":{"kind":"club"}}`, `"club"`},
		{"bad zone", `{"location":"Nowhere/X"}`, `location "Nowhere/X"`},
		{"bad window", `{"terms_window":"a week"}`, `terms_window`},
		{"invalid value", `{"retention_days":[0]}`, `retention_days[0]: 0 is outside 1..366`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := all
			err := json.Unmarshal([]byte(tc.in), &o)
			if err == nil || !strings.HasPrefix(err.Error(), "report: options: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Unmarshal: %v, want an error naming %s", err, tc.want)
			}
			if o.TopTerms != 20 || o.Location != berlin {
				t.Errorf("a failed Unmarshal changed the options: %+v", o)
			}
		})
	}
}

// equalJSON compares the fields that JSON keeps (the location by name).
func (o Options) equalJSON(p Options) bool {
	return maps.EqualFunc(o.Groups, p.Groups, GroupOptions.equal) && o.Default.equal(p.Default) &&
		slices.Equal(o.RetentionDays, p.RetentionDays) && o.TermsWindow == p.TermsWindow && o.TopTerms == p.TopTerms &&
		o.MaxDays == p.MaxDays
}

// TestMergeAnyOrder: with IDs that dedupe only the deliveries of one event
// (the Tracker's, the Tally's and the terms' keys), shards merged in any
// order, some shipped through their binary form, give byte for byte the
// report of one Builder over the log, even when different events share
// IDs and deliveries come again with another text, and events at one
// instant carry different UTC offsets.
func TestMergeAnyOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, max(len(events)-1, 0)), 0, len(events)/2).Draw(t, "redelivered") {
			if len(events) == 0 {
				break
			}
			e := events[i]
			e.Text = rapid.SampledFrom([]string{"again", "物流好慢"}).Draw(t, "text")
			events = append(events, e)
		}
		shards := drawShards(t, events)
		whole := build(t, events, Options{})
		order := rapid.Permutation(shards).Draw(t, "merge order")
		merged := mustNew(t, Options{})
		for _, s := range order {
			b := mustNew(t, Options{})
			addAll(t, b, s)
			if rapid.Bool().Draw(t, "ship") {
				data, err := b.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				b = mustNew(t, Options{})
				if err := b.UnmarshalBinary(data); err != nil {
					t.Fatal(err)
				}
			}
			if err := merged.Merge(b); err != nil {
				t.Fatal(err)
			}
		}
		if got := buildOf(t, merged); !bytes.Equal(whole, got) {
			t.Fatalf("shards merged in another order differ from one builder (-want +got):\n%s", cmp.Diff(string(whole), string(got)))
		}
	})
}

// TestTiersAtTiedInstant: when events share a group's last instant with
// different UTC offsets, tiers_at shows the largest offset, whichever order
// the events are added in and the builders merged in (until issue 18 it
// showed the first one added or merged).
func TestTiersAtTiedInstant(t *testing.T) {
	at := time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC)
	events := []qunops.Event{
		{Type: qunops.Message, Group: "g@chatroom", Member: "a", Time: at.Add(-time.Hour), ID: "0", Text: "早"},
		{Type: qunops.Message, Group: "g@chatroom", Member: "a", Time: at.In(time.FixedZone("", -5*3600)), ID: "1", Text: "hi"},
		{Type: qunops.Message, Group: "g@chatroom", Member: "b", Time: at, ID: "2", Text: "hi"},
		{Type: qunops.Checkin, Group: "g@chatroom", Member: "c", Time: at.In(qunops.DefaultLocation()), ID: "3"},
	}
	want := "2026-03-31T23:00:00+08:00"
	check := func(how string, b *Builder) {
		t.Helper()
		rep, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Groups[0].TiersAt.Format(time.RFC3339); got != want {
			t.Errorf("%s: tiers_at %s, want %s", how, got, want)
		}
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {0, 2, 3, 1}, {1, 3, 0, 2}} {
		b := mustNew(t, Options{})
		for _, i := range order {
			if err := b.Add(events[i]); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("added in order %v", order), b)
		// One builder per event, merged in that order.
		merged := mustNew(t, Options{})
		for _, i := range order {
			part := mustNew(t, Options{})
			if err := part.Add(events[i]); err != nil {
				t.Fatal(err)
			}
			if err := merged.Merge(part); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("merged in order %v", order), merged)
	}
}

// TestTermsDeliveries: the deliveries of one message (ID, member and
// instant) count once, with the least of their texts whatever their order;
// a message of another member or instant under the same ID counts too; and
// a text that many messages read counts once per message.
func TestTermsDeliveries(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, qunops.DefaultLocation())
	msg := func(member, id, text string, sec int) qunops.Event {
		return qunops.Event{Type: qunops.Message, Group: "g", Member: member, ID: id, Text: text, Time: at.Add(time.Duration(sec) * time.Second)}
	}
	base := []qunops.Event{
		msg("m1", "x1", "bravo", 0), msg("m1", "x1", "alpha", 0), msg("m1", "x1", "charlie", 0), // one message, edited twice
		msg("m2", "x1", "delta", 0), // another member's message under the same ID
		msg("m1", "x1", "echo", 1),  // another instant
		msg("m3", "", "golf", 2), msg("m3", "", "golf", 3), msg("m3", "y", "golf", 4), msg("m3", "y", "golf", 4),
	}
	want := map[string]int{"alpha": 1, "delta": 1, "echo": 1, "golf": 3}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1, 0}, {2, 0, 1, 4, 3, 8, 5, 7, 6}} {
		b, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range order {
			if err := b.Add(base[i]); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, tm := range rep.Groups[0].Terms {
			got[tm.Text] = tm.Count
		}
		if !maps.Equal(got, want) {
			t.Errorf("order %v: terms %v, want %v", order, got, want)
		}
	}
}

// TestTermsOneIDForAll: an exporter (or a hostile log) that gives every
// message one ID: the messages of one member at different instants each
// count, and each redelivered twice still counts once.
func TestTermsOneIDForAll(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, qunops.DefaultLocation())
	b, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for range 3 { // the log, then two redeliveries of all of it
		for i := range n {
			e := qunops.Event{Type: qunops.Message, Group: "g", Member: "m1", ID: "same", Text: "alpha", Time: at.Add(time.Duration(i) * time.Second)}
			if err := b.Add(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if terms := rep.Groups[0].Terms; len(terms) != 1 || terms[0].Text != "alpha" || terms[0].Count != n {
		t.Errorf("terms %v, want alpha %d", terms, n)
	}
}
