package livecode

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestOptionsJSON: options round-trip through JSON with snake_case keys and
// duration strings, zero (default) fields left out, and a document with a
// mistake is rejected with an error that names the key or the bad value,
// leaving the options as they were.
func TestOptionsJSON(t *testing.T) {
	good := []struct {
		name string
		opts Options
		json string
	}{
		{"defaults written out", DefaultOptions(),
			`{"pending_ttl":"10m","near_limit_percent":90,"expiring_within":"24h","name_prefix":"group "}`},
		{"zero options are all defaults, all left out", Options{}, `{}`},
		{"hours and minutes", Options{PendingTTL: 90 * time.Minute, ExpiringWithin: 7 * 24 * time.Hour},
			`{"pending_ttl":"1h30m","expiring_within":"168h"}`},
		{"below a second", Options{PendingTTL: 1500 * time.Millisecond}, `{"pending_ttl":"1.5s"}`},
		{"names in Chinese", Options{NearLimitPercent: 100, NamePrefix: "读书会"},
			`{"near_limit_percent":100,"name_prefix":"读书会"}`},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.json {
				t.Errorf("marshal: got %s, want %s", b, tc.json)
			}
			var got Options
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.opts, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}

	bad := []struct {
		name, json, want string
	}{
		{"unknown key", `{"pending_tll":"10m"}`, `livecode: options: unknown key "pending_tll"`},
		{"duplicate key", `{"pending_ttl":"10m","pending_ttl":"1m"}`, `livecode: options: duplicate key "pending_ttl"`},
		{"Go field name", `{"PendingTTL":"10m"}`, `unknown key "PendingTTL"`},
		{"wrong case", `{"Pending_TTL":"10m"}`, `unknown key "Pending_TTL"`},
		{"malformed duration", `{"expiring_within":"a day"}`, `expiring_within: "a day" is not a duration`},
		{"nanoseconds, the old form", `{"pending_ttl":600000000000}`, `pending_ttl`},
		{"negative duration", `{"pending_ttl":"-1m"}`, "livecode: options: pending_ttl -1m must not be negative"},
		{"share over 100%", `{"near_limit_percent":101}`, "livecode: options: near_limit_percent 101 must be in 1..100"},
		{"strategy is not an option", `{"strategy":"sticky"}`, `unknown key "strategy"`},
		{"trailing data", `{} {}`, "livecode: options: data after the JSON value"},
		{"not an object", `"10m"`, "livecode: options: "},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{PendingTTL: time.Minute, NamePrefix: "g"}
			err := o.UnmarshalJSON([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if diff := cmp.Diff(Options{PendingTTL: time.Minute, NamePrefix: "g"}, o); diff != "" {
				t.Errorf("a failed UnmarshalJSON changed the options (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOptionsRoundTripRapid: every valid Options survives marshal →
// unmarshal → marshal byte for byte and as a value.
func TestOptionsRoundTripRapid(t *testing.T) {
	duration := rapid.OneOf(
		rapid.Just(time.Duration(0)),
		rapid.Map(rapid.Int64Range(1, 1<<62), func(n int64) time.Duration { return time.Duration(n) }),
		rapid.Map(rapid.IntRange(1, 10000), func(n int) time.Duration { return time.Duration(n) * time.Minute }),
	)
	rapid.Check(t, func(rt *rapid.T) {
		o := Options{
			PendingTTL:       duration.Draw(rt, "ttl"),
			NearLimitPercent: rapid.IntRange(0, 100).Draw(rt, "near"),
			ExpiringWithin:   duration.Draw(rt, "within"),
			NamePrefix:       rapid.String().Draw(rt, "prefix"),
		}
		if err := o.Validate(); err != nil {
			rt.Fatal(err)
		}
		b, err := json.Marshal(o)
		if err != nil {
			rt.Fatal(err)
		}
		var got Options
		if err := json.Unmarshal(b, &got); err != nil {
			rt.Fatalf("%v\n%s", err, b)
		}
		if diff := cmp.Diff(o, got); diff != "" {
			rt.Fatalf("round trip (-want +got):\n%s", diff)
		}
		if b2, _ := json.Marshal(got); string(b2) != string(b) {
			rt.Fatalf("re-marshal changed the bytes:\n%s\n%s", b, b2)
		}
	})
}

// TestSetOptions: SetOptions fills in defaults, leaves the pool unchanged
// when the options are invalid, and a shorter TTL shortens the live
// reservations while a longer one leaves them.
func TestSetOptions(t *testing.T) {
	p, err := NewPool(FillFirst, Code{ID: "a", ScanLimit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DefaultOptions(), p.Options()); diff != "" {
		t.Errorf("NewPool's options (-want +got):\n%s", diff)
	}
	if _, err := p.Assign("u1", t0); err != nil {
		t.Fatal(err)
	}
	before, _ := p.MarshalJSON()
	if err := p.SetOptions(Options{NearLimitPercent: 120, PendingTTL: time.Minute}); err == nil {
		t.Fatal("near limit 120% accepted")
	}
	if after, _ := p.MarshalJSON(); string(after) != string(before) {
		t.Fatalf("a failed SetOptions changed the pool:\n%s\n%s", before, after)
	}

	if err := p.SetOptions(Options{PendingTTL: 30 * time.Minute, NamePrefix: "读书会"}); err != nil {
		t.Fatal(err)
	}
	want := DefaultOptions()
	want.PendingTTL, want.NamePrefix = 30*time.Minute, "读书会"
	if diff := cmp.Diff(want, p.Options()); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if got := p.NextName(); got != "读书会2" {
		t.Errorf("next name %q, want 读书会2", got)
	}
	// u1's reservation keeps its 10 minutes; u2's gets 30.
	if _, err := p.Assign("u2", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Reservation("u1"); !ok {
		t.Fatal("u1's reservation lapsed after 1 minute")
	}
	p.Alerts(t0.Add(10 * time.Minute))
	if _, ok := p.Reservation("u1"); ok {
		t.Error("a longer TTL lengthened a live reservation")
	}
	if _, ok := p.Reservation("u2"); !ok {
		t.Error("u2's 30-minute reservation lapsed after 9 minutes")
	}
	// A 2-minute TTL at 00:10 ends u2's reservation at 00:12, not 00:31.
	if err := p.SetOptions(Options{PendingTTL: 2 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	p.Alerts(t0.Add(11*time.Minute + 59*time.Second))
	if _, ok := p.Reservation("u2"); !ok {
		t.Error("u2's reservation lapsed before the new TTL was over")
	}
	p.Alerts(t0.Add(12 * time.Minute))
	if _, ok := p.Reservation("u2"); ok {
		t.Error("a shorter TTL left u2's reservation as long as before")
	}
	// The shortened state is one a pool can reach: it decodes.
	b, _ := p.MarshalJSON()
	var q Pool
	if err := q.UnmarshalJSON(b); err != nil {
		t.Errorf("state after SetOptions: %v\n%s", err, b)
	}
}

// TestEnumText: strategies and alert kinds are lowercase words both ways,
// and an unknown word is an error that names it and lists the valid ones.
func TestEnumText(t *testing.T) {
	for s := FillFirst; s <= Sticky; s++ {
		b, err := s.MarshalText()
		if err != nil || string(b) != s.String() || strings.ToLower(string(b)) != string(b) {
			t.Errorf("strategy %d: %q %v", int(s), b, err)
		}
		var got Strategy
		if err := got.UnmarshalText(b); err != nil || got != s {
			t.Errorf("strategy %s: read back %v %v", s, got, err)
		}
	}
	for k := NearLimit; k <= Exhausted; k++ {
		b, err := k.MarshalText()
		if err != nil || string(b) != k.String() || strings.ToLower(string(b)) != string(b) {
			t.Errorf("alert kind %d: %q %v", int(k), b, err)
		}
		var got AlertKind
		if err := got.UnmarshalText(b); err != nil || got != k {
			t.Errorf("alert kind %s: read back %v %v", k, got, err)
		}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"unknown strategy", new(Strategy).UnmarshalText([]byte("random")),
			`livecode: unknown strategy "random" (want fill-first, round-robin, least-loaded, weighted or sticky)`},
		{"strategy in Go case", new(Strategy).UnmarshalText([]byte("FillFirst")),
			`livecode: unknown strategy "FillFirst" (want fill-first, round-robin, least-loaded, weighted or sticky)`},
		{"unknown alert kind", new(AlertKind).UnmarshalText([]byte("full")),
			`livecode: unknown alert kind "full" (want near-limit, expiring, expired, nearly-exhausted or exhausted)`},
		{"empty alert kind", new(AlertKind).UnmarshalText(nil),
			`livecode: unknown alert kind "" (want near-limit, expiring, expired, nearly-exhausted or exhausted)`},
		{"empty strategy", new(Strategy).UnmarshalText([]byte("")),
			`livecode: unknown strategy "" (want fill-first, round-robin, least-loaded, weighted or sticky)`},
		{"strategy with a zero-width space", new(Strategy).UnmarshalText([]byte("sticky\u200b")),
			`livecode: unknown strategy "sticky\u200b" (want fill-first, round-robin, least-loaded, weighted or sticky)`},
		{"zero alert kind", func() error { _, err := AlertKind(0).MarshalText(); return err }(), "livecode: unknown alert kind 0"},
		{"strategy out of range", func() error { _, err := Strategy(9).MarshalText(); return err }(), "livecode: unknown strategy 9"},
	}
	for _, tc := range tests {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, tc.err, tc.want)
		}
	}
}

// TestAlertJSON: an alert is written with snake_case keys, its kind as a
// word and the fields its kind does not set left out.
func TestAlertJSON(t *testing.T) {
	p, err := NewPool(FillFirst, Code{ID: "a", Expires: t0.Add(time.Hour)}, Code{ID: "b", Members: 200})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p.Alerts(t0))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"kind":"expiring","code":"a","at":"2026-03-02T09:00:00+08:00","message":"code a: QR expires at 2026-03-02T09:00:00+08:00; replace it before then"},` +
		`{"kind":"near-limit","code":"b","message":"code b: 200 members + 0 pending of scan limit 200 (100.0%); it takes no new scans"}]`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back []Alert
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.Alerts(t0), back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// TestCodeJSON: a code is written with snake_case keys and its defaults
// left out, and read strictly.
func TestCodeJSON(t *testing.T) {
	good := []struct {
		name string
		code Code
		json string
	}{
		{"defaults left out", Code{ID: "a"}, `{"id":"a"}`},
		{"a WeChat QR valid 7 days", CodeAt("读书会1", t0), `{"id":"读书会1","expires":"2026-03-09T08:00:00+08:00"}`},
		{"every field", Code{ID: "bj", Members: 3, Cap: 300, ScanLimit: 150, Weight: 2, Tags: []string{"beijing"}},
			`{"id":"bj","members":3,"cap":300,"scan_limit":150,"weight":2,"tags":["beijing"]}`},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.code)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.json {
				t.Errorf("marshal: got %s, want %s", b, tc.json)
			}
			var got Code
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.code, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	bad := []struct {
		name, json, want string
	}{
		{"Go field name", `{"ID":"a"}`, `livecode: code: unknown key "ID"`},
		{"camel case", `{"id":"a","scanLimit":100}`, `unknown key "scanLimit"`},
		{"duplicate key", `{"id":"a","id":"b"}`, `livecode: code: duplicate key "id"`},
		{"empty id", `{"cap":100}`, "livecode: code with empty id"},
		{"members over cap", `{"id":"a","members":300,"cap":200}`, `livecode: code "a": members 300 must be between 0 and cap 200`},
		{"repeated tag", `{"id":"a","tags":["bj","bj"]}`, `livecode: code "a": duplicate tag "bj"`},
		{"naive expiry", `{"id":"a","expires":"2026-03-09 08:00"}`, "livecode: code: "},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			c := Code{ID: "keep"}
			err := c.UnmarshalJSON([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if diff := cmp.Diff(Code{ID: "keep"}, c); diff != "" {
				t.Errorf("a failed UnmarshalJSON changed the code (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCodeRoundTripRapid: every valid Code survives marshal → unmarshal →
// marshal byte for byte and as a value (times compared as instants).
func TestCodeRoundTripRapid(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		c := Code{
			ID:        rapid.StringN(1, 20, -1).Draw(rt, "id"),
			Cap:       rapid.IntRange(0, 1000).Draw(rt, "cap"),
			ScanLimit: rapid.IntRange(0, 1000).Draw(rt, "limit"),
			Weight:    rapid.IntRange(0, MaxWeight).Draw(rt, "weight"),
		}
		room := c.Cap
		if room == 0 {
			room = DefaultCap
		}
		c.Members = rapid.IntRange(0, room).Draw(rt, "members")
		if rapid.Bool().Draw(rt, "expires") {
			zone := time.FixedZone("", 60*rapid.IntRange(-14*60, 14*60).Draw(rt, "offset"))
			c.Expires = time.Unix(rapid.Int64Range(0, 4e9).Draw(rt, "sec"), rapid.Int64Range(0, 1e9-1).Draw(rt, "ns")).In(zone)
		}
		if rapid.Bool().Draw(rt, "tagged") {
			c.Tags = rapid.SliceOfNDistinct(rapid.StringN(1, 8, -1), 1, 4, rapid.ID[string]).Draw(rt, "tags")
		}
		if err := c.Validate(); err != nil {
			rt.Fatal(err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			rt.Fatal(err)
		}
		var got Code
		if err := json.Unmarshal(b, &got); err != nil {
			rt.Fatalf("%v\n%s", err, b)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			rt.Fatalf("round trip (-want +got):\n%s", diff)
		}
		if b2, _ := json.Marshal(got); string(b2) != string(b) {
			rt.Fatalf("re-marshal changed the bytes:\n%s\n%s", b, b2)
		}
	})
}
