package livecode

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// busyPool is a pool with every kind of state: tags, weights, members,
// reservations, a retired and an expired code, and a strategy position.
func busyPool(t testing.TB, s Strategy) *Pool {
	t.Helper()
	p, err := NewPool(s,
		Code{ID: "a", Weight: 3, ScanLimit: 3},
		Code{ID: "b", Members: 2, Tags: []string{"beijing"}},
		CodeAt("c", t0.Add(-QRValidity+time.Minute)),
		Code{ID: "d", Weight: 2},
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetOptions(Options{NamePrefix: "读书会"}); err != nil {
		t.Fatal(err)
	}
	for i, u := range []string{"u1", "u2", "u3", "u4", "u5"} {
		if _, err := p.AssignTags(u, t0.Add(time.Duration(i)*time.Minute), "beijing"); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Assign(u+"x", t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	_ = p.Joined("u1", "b", t0.Add(5*time.Minute))
	_ = p.Joined("u2x", "a", t0.Add(5*time.Minute))
	_ = p.Retire("d", t0.Add(5*time.Minute))
	_ = p.Left("old", "b", t0.Add(5*time.Minute))
	return p
}

func TestStateRoundTrip(t *testing.T) {
	for s := FillFirst; s <= Sticky; s++ {
		t.Run(s.String(), func(t *testing.T) {
			p := busyPool(t, s)
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var q Pool
			if err := json.Unmarshal(b, &q); err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			b2, _ := json.Marshal(&q)
			if !bytes.Equal(b, b2) {
				t.Fatalf("round trip changed the state:\n%s\n%s", b, b2)
			}
			// Both pools go on identically.
			for i, u := range []string{"u1", "n1", "n2", "u3x", "n3", "n4", "n5"} {
				now := t0.Add(time.Duration(6+2*i) * time.Minute)
				x, errx := p.Assign(u, now)
				y, erry := q.Assign(u, now)
				if x != y || (errx == nil) != (erry == nil) {
					t.Fatalf("scan %d by %s: original %q %v, decoded %q %v", i, u, x, errx, y, erry)
				}
			}
			for _, want := range []string{`{"v":2,"strategy":"` + s.String() + `",`,
				`"options":{"pending_ttl":"10m","near_limit_percent":90,"expiring_within":"24h","name_prefix":"读书会"}`,
				`"clock":"2026-03-02T00:05:00Z"`, `"expires":"2026-03-02T08:01:00+08:00"`} {
				if !strings.Contains(string(b), want) {
					t.Errorf("no %s in %s", want, b)
				}
			}
		})
	}
}

// TestStateRejects: a state that is malformed, written by hand with a
// mistake, or one a pool could not have reached is rejected with an error
// that names the key or the bad value, and leaves the pool as it was and
// usable: it goes on exactly as a twin that never saw the bad state.
func TestStateRejects(t *testing.T) {
	good, _ := json.Marshal(busyPool(t, Weighted))
	tests := []struct {
		name, from, to, want string
	}{
		{"newer version", `"v":2`, `"v":3`, "livecode: state version 3, want 2"},
		{"version 1 state", `"v":2`, `"v":1`, "livecode: state version 1, want 2"},
		{"unknown key", `"v":2`, `"v":2,"x":0`, `livecode: state: unknown key "x"`},
		{"duplicate key", `"v":2`, `"v":2,"v":2`, `livecode: state: duplicate key "v"`},
		{"duplicate nested key", `"id":"b",`, `"id":"b","id":"b",`, `livecode: state: codes[1]: duplicate key "id"`},
		{"wrong-case key", `"scan_limit"`, `"Scan_Limit"`, `livecode: state: codes[0]: unknown key "Scan_Limit"`},
		{"malformed duration", `"pending_ttl":"10m"`, `"pending_ttl":"10 minutes"`, `options.pending_ttl: "10 minutes" is not a duration`},
		{"nanosecond duration", `"pending_ttl":"10m"`, `"pending_ttl":600000000000`, `options.pending_ttl`},
		{"negative duration", `"pending_ttl":"10m"`, `"pending_ttl":"-10m"`, "livecode: options: pending_ttl -10m must not be negative"},
		{"strategy in options", `"name_prefix"`, `"strategy":"weighted","name_prefix"`, `options: unknown key "strategy"`},
		{"unknown strategy", `"weighted"`, `"random"`, `livecode: state: strategy: unknown strategy "random" (want fill-first, round-robin, least-loaded, weighted or sticky)`},
		{"wrong-case strategy", `"weighted"`, `"Weighted"`, `unknown strategy "Weighted"`},
		{"bad time", `"clock":"2026-03-02T00:05:00Z"`, `"clock":"2026-03-02 00:05"`, `livecode: state: `},
		{"trailing data", `"2026-03-02T00:14:00Z"}]}`, `"2026-03-02T00:14:00Z"}]} {}`, "livecode: state: data after the JSON value"},
		{"duplicate code", `"id":"b"`, `"id":"a"`, `duplicate code id "a"`},
		{"members over cap", `"members":2,"cap":500`, `"members":501,"cap":500`, "members 501 must be between 0 and cap 500"},
		{"reservation at unknown code", `"code":"b"`, `"code":"zz"`, `at unknown code "zz"`},
		{"negative counter", `"scans":`, `"scans":-`, "negative counter"},
		{"weights misspelt", `"current":[`, `"cur":[`, `livecode: state: groups[0]: unknown key "cur"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(string(good), tc.from, tc.to, 1)
			if bad == string(good) {
				t.Fatalf("%q not in %s", tc.from, good)
			}
			p, twin := busyPool(t, FillFirst), busyPool(t, FillFirst)
			before, _ := json.Marshal(p)
			err := p.UnmarshalJSON([]byte(bad))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if after, _ := json.Marshal(p); !bytes.Equal(before, after) {
				t.Fatalf("a failed UnmarshalJSON changed the pool:\n%s\n%s", before, after)
			}
			sameRun(t, p, twin)
		})
	}
}

// sameRun drives p and twin through the same scans, joins, leaves and
// alerts, and fails at the first answer or state where they differ.
func sameRun(t *testing.T, p, twin *Pool) {
	t.Helper()
	for i, u := range []string{"u1", "n1", "n2", "u3x", "n3", "n4", "u2"} {
		now := t0.Add(time.Duration(6+2*i) * time.Minute)
		x, errx := p.AssignTags(u, now, "beijing")
		y, erry := twin.AssignTags(u, now, "beijing")
		if x != y || (errx == nil) != (erry == nil) {
			t.Fatalf("scan %d by %s: pool %q %v, twin %q %v", i, u, x, errx, y, erry)
		}
		if errx == nil && i%2 == 0 {
			if ex, ey := p.Joined(u, x, now), twin.Joined(u, y, now); (ex == nil) != (ey == nil) {
				t.Fatalf("join of %s: pool %v, twin %v", u, ex, ey)
			}
		}
	}
	if ex, ey := p.Left("old2", "b", t0.Add(time.Hour)), twin.Left("old2", "b", t0.Add(time.Hour)); (ex == nil) != (ey == nil) {
		t.Fatalf("leave: pool %v, twin %v", ex, ey)
	}
	if diff := cmp.Diff(twin.Alerts(t0.Add(time.Hour)), p.Alerts(t0.Add(time.Hour))); diff != "" {
		t.Fatalf("alerts (-twin +pool):\n%s", diff)
	}
	a, _ := p.MarshalJSON()
	b, _ := twin.MarshalJSON()
	if !bytes.Equal(a, b) {
		t.Fatalf("pool and twin diverged:\n%s\n%s", a, b)
	}
}

// FuzzUnmarshalState: the state decoder never panics, and whatever it
// accepts re-encodes to a state it accepts again unchanged, and can be
// used (scans, joins, alerts) without panicking.
func FuzzUnmarshalState(f *testing.F) {
	for s := FillFirst; s <= Sticky; s++ {
		b, _ := json.Marshal(busyPool(f, s))
		f.Add(b)
	}
	f.Add([]byte(`{"v":2,"strategy":"sticky","options":{"pending_ttl":"10m","near_limit_percent":90,"expiring_within":"24h","name_prefix":"g"},"codes":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Pool
		if err := p.UnmarshalJSON(b); err != nil {
			if !strings.HasPrefix(err.Error(), "livecode: ") {
				t.Errorf("error without package prefix: %v", err)
			}
			return
		}
		b1, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var q Pool
		if err := q.UnmarshalJSON(b1); err != nil {
			t.Fatalf("re-decoding an accepted state: %v\n%s", err, b1)
		}
		b2, _ := q.MarshalJSON()
		if !bytes.Equal(b1, b2) {
			t.Fatalf("not a fixed point:\n%s\n%s", b1, b2)
		}
		now := t0.Add(time.Hour)
		for _, u := range []string{"u1", "u2", "u1"} {
			if id, err := p.AssignTags(u, now, "beijing"); err == nil {
				_ = p.Joined(u, id, now)
				_ = p.Left(u, id, now)
			}
		}
		_ = p.Alerts(now)
		_ = p.AllStats()
	})
}
