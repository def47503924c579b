package livecode

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// busyPool is a pool with every kind of state: tags, weights, members,
// reservations, a retired and an expired code, and a strategy position.
func busyPool(t testing.TB, s Strategy) *Pool {
	t.Helper()
	p, err := New(Options{Strategy: s, NamePrefix: "读书会"},
		Code{ID: "a", Weight: 3, ScanLimit: 3},
		Code{ID: "b", Members: 2, Tags: []string{"beijing"}},
		CodeAt("c", t0.Add(-QRValidity+time.Minute)),
		Code{ID: "d", Weight: 2},
	)
	if err != nil {
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
			if !strings.Contains(string(b), `"v":1`) {
				t.Errorf("no version in %s", b)
			}
		})
	}
}

func TestStateRejects(t *testing.T) {
	good, _ := json.Marshal(busyPool(t, Weighted))
	tests := []struct {
		name, from, to, want string
	}{
		{"newer version", `"v":1`, `"v":2`, "livecode: state version 2, want 1"},
		{"unknown field", `"v":1`, `"v":1,"x":0`, `unknown field "x"`},
		{"unknown strategy", `"weighted"`, `"random"`, `unknown strategy "random"`},
		{"duplicate code", `"id":"b"`, `"id":"a"`, `duplicate code id "a"`},
		{"members over cap", `"members":2,"cap":500`, `"members":501,"cap":500`, "members 501 must be between 0 and cap 500"},
		{"reservation at unknown code", `"code":"b"`, `"code":"zz"`, `at unknown code "zz"`},
		{"negative counter", `"scans":`, `"scans":-`, "negative counter"},
		{"weights missing", `"current":[`, `"cur":[`, `unknown field "cur"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(string(good), tc.from, tc.to, 1)
			if bad == string(good) {
				t.Fatalf("%q not in %s", tc.from, good)
			}
			p := busyPool(t, FillFirst)
			before, _ := json.Marshal(p)
			err := p.UnmarshalJSON([]byte(bad))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if after, _ := json.Marshal(p); !bytes.Equal(before, after) {
				t.Errorf("a failed UnmarshalJSON changed the pool")
			}
		})
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
	f.Add([]byte(`{"v":1,"options":{"strategy":"sticky","pending_ttl":600000000000,"near_limit_percent":90,"expiring_within":86400000000000,"name_prefix":"g"},"codes":[]}`))
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
