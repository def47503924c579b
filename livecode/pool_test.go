package livecode

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

// scanAll has users u0, u1, ... scan once each at t0 and returns the codes
// they were shown, "-" for ErrFull.
func scanAll(t *testing.T, p *Pool, n int, tags ...string) []string {
	t.Helper()
	var out []string
	for i := range n {
		id, err := p.AssignTags(fmt.Sprintf("u%d", i), t0, tags...)
		switch {
		case errors.Is(err, ErrFull):
			id = "-"
		case err != nil:
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func TestStrategies(t *testing.T) {
	big := func(id string, w int) Code { return Code{ID: id, ScanLimit: 100, Weight: w} }
	tests := []struct {
		name   string
		s      Strategy
		codes  []Code
		n      int
		want   string
		reason string
	}{
		{"fill-first", FillFirst, []Code{{ID: "a", ScanLimit: 2}, {ID: "b", ScanLimit: 2}}, 5, "a a b b -",
			"fills a to its scan limit, then b, then refuses"},
		{"fill-first skips full and expired", FillFirst, []Code{{ID: "a", Members: 200}, {ID: "x", Expires: t0}, {ID: "b", ScanLimit: 1}, {ID: "c", Members: 500, Cap: 500, ScanLimit: 600}}, 2, "b -",
			"a is at the 200 scan limit (F11), x expired at t0, c is at WeChat's 500 cap"},
		{"round-robin", RoundRobin, []Code{big("a", 1), big("b", 1), big("c", 1)}, 7, "a b c a b c a", "in turn, in order added"},
		{"round-robin skips full", RoundRobin, []Code{{ID: "a", ScanLimit: 2}, {ID: "b", ScanLimit: 1}, {ID: "c", ScanLimit: 3}}, 7, "a b c a c c -",
			"b leaves the rotation after one scan, a after two"},
		{"least-loaded", LeastLoaded, []Code{{ID: "a", Members: 3}, {ID: "b", Members: 1}, {ID: "c", Members: 1}}, 6, "b c b c a b",
			"members + pending: ties go to the earliest added"},
		{"weighted 5 1 1", Weighted, []Code{big("a", 5), big("b", 1), big("c", 1)}, 14, "a a b a c a a a a b a c a a",
			"nginx's smooth weighted round robin gives {a, a, b, a, c, a, a} for 5, 1, 1 (ngx_http_upstream_round_robin.c, changeset 4668 commit message)"},
		{"weighted 2 1", Weighted, []Code{big("a", 2), big("b", 1)}, 6, "a b a a b a", "by hand: currents (2,1) a, (1,2) b, (3,0) a"},
		{"weighted skips full", Weighted, []Code{{ID: "a", Weight: 5, ScanLimit: 2}, big("b", 1), big("c", 1)}, 6, "a a b c b c",
			"a closes after two scans and the rest share evenly"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPool(tc.s, tc.codes...)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(scanAll(t, p, tc.n), " ")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTagRouting(t *testing.T) {
	codes := []Code{
		{ID: "bj", Tags: []string{"beijing"}, ScanLimit: 1},
		{ID: "sh", Tags: []string{"shanghai", "east"}},
		{ID: "any"},
	}
	tests := []struct {
		name string
		tags []string
		want string
	}{
		{"untagged scan goes to untagged code", nil, "any"},
		{"matching tag first", []string{"beijing"}, "bj"},
		{"second tag of a code matches", []string{"east"}, "sh"},
		{"tags in order of preference", []string{"shanghai", "beijing"}, "sh"},
		{"first tag with an open code", []string{"gz", "beijing"}, "bj"},
		{"unknown tag falls to untagged", []string{"guangzhou"}, "any"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPool(FillFirst, codes...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.AssignTags("u", t0, tc.tags...)
			if err != nil || got != tc.want {
				t.Errorf("AssignTags(%q) = %q, %v; want %q", tc.tags, got, err, tc.want)
			}
		})
	}
	t.Run("full tag falls to untagged", func(t *testing.T) {
		p, _ := NewPool(FillFirst, codes...)
		got := scanAll(t, p, 2, "beijing")
		if diff := cmp.Diff([]string{"bj", "any"}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("tagged codes only take their tags", func(t *testing.T) {
		p, _ := NewPool(FillFirst, codes[:2]...)
		if _, err := p.Assign("u", t0); !errors.Is(err, ErrFull) {
			t.Errorf("untagged scan of a pool of tagged codes: %v, want ErrFull", err)
		}
	})
}

func TestReservations(t *testing.T) {
	p, err := NewPool(FillFirst, Code{ID: "a", ScanLimit: 2}, Code{ID: "b"})
	if err != nil {
		t.Fatal(err)
	}
	step := func(what string, got string, err error, want string) {
		t.Helper()
		if err != nil || got != want {
			t.Fatalf("%s: %q, %v; want %q", what, got, err, want)
		}
	}
	id, err := p.Assign("u1", t0)
	step("first scan", id, err, "a")
	id, err = p.Assign("u1", t0.Add(9*time.Minute))
	step("repeat scan keeps the code and restarts the TTL", id, err, "a")
	id, err = p.Assign("u2", t0.Add(9*time.Minute))
	step("second scanner", id, err, "a")
	id, err = p.Assign("u3", t0.Add(9*time.Minute))
	step("a is at its scan limit with two pending", id, err, "b")
	// u2's reservation lapses at 19:00 past; u1's, restarted, too.
	id, err = p.Assign("u4", t0.Add(19*time.Minute))
	step("pending lapsed after the 10 minute TTL", id, err, "a")
	if err := p.Joined("u4", "a", t0.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := p.Joined("u5", "a", t0.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// u3 joins a although reserved at b: b's place is freed.
	if err := p.Joined("u3", "a", t0.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	a, _ := p.Stats("a")
	b, _ := p.Stats("b")
	want := []Stats{
		{ID: "a", Members: 3, Cap: 500, ScanLimit: 2, Weight: 1, Scans: 4, Scanners: 3, Joins: 3, FromScans: 1, Lapsed: 2},
		{ID: "b", Members: 0, Cap: 500, ScanLimit: 200, Weight: 1, Open: true, Scans: 1, Scanners: 1, Lapsed: 1},
	}
	if diff := cmp.Diff(want, []Stats{a, b}); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if got := a.Conversion(); got != (qunops.Ratio{Num: 1, Den: 3}) {
		t.Errorf("conversion %v, want 1/3", got)
	}
	if got := (Stats{}).Conversion().String(); got != "undefined" {
		t.Errorf("conversion before any scanner %s, want undefined", got)
	}
	if got := a.ScanLoad().String(); got != "150.0%" {
		t.Errorf("scan load %s: joins that came another way go past the scan limit", got)
	}
}

func TestExpiryAndReplace(t *testing.T) {
	p, err := NewPool(FillFirst, CodeAt("a", t0.Add(-QRValidity+time.Hour)), Code{ID: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := p.Assign("u1", t0); id != "a" {
		t.Fatalf("before expiry: %q", id)
	}
	if id, _ := p.Assign("u1", t0.Add(time.Hour)); id != "b" {
		t.Fatalf("a repeat scan after the QR expired must move: %q", id)
	}
	if err := p.ReplaceQR("a", t0.Add(QRValidity), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if id, _ := p.Assign("u2", t0.Add(time.Hour)); id != "a" {
		t.Fatalf("after ReplaceQR: %q", id)
	}
	if err := p.Retire("a", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if id, _ := p.Assign("u2", t0.Add(time.Hour)); id != "b" {
		t.Fatalf("after Retire: %q", id)
	}
	if st, _ := p.Stats("a"); st.Pending != 0 || st.Lapsed != 2 || !st.Retired {
		t.Errorf("retired a: %+v", st)
	}
}

func TestErrors(t *testing.T) {
	p, err := NewPool(FillFirst, Code{ID: "a", Members: 1, Cap: 2})
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Joined("m", "a", t0)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"negative cap", func() error { _, err := NewPool(FillFirst, Code{ID: "x", Cap: -1}); return err }(), `livecode: code "x": cap -1 must be between 1 and`},
		{"members over cap", func() error { _, err := NewPool(FillFirst, Code{ID: "x", Members: 501}); return err }(), `livecode: code "x": members 501 must be between 0 and cap 500`},
		{"weight", func() error { _, err := NewPool(Weighted, Code{ID: "x", Weight: -2}); return err }(), `livecode: code "x": weight -2`},
		{"empty id", p.Add(Code{}), "livecode: code with empty id"},
		{"duplicate in call", p.Add(Code{ID: "y"}, Code{ID: "y"}), `livecode: duplicate code id "y"`},
		{"duplicate of pool", p.Add(Code{ID: "a"}), `livecode: duplicate code id "a"`},
		{"empty tag", p.Add(Code{ID: "z", Tags: []string{""}}), `livecode: code "z": empty tag`},
		{"duplicate tag", p.Add(Code{ID: "z", Tags: []string{"bj", "bj"}}), `livecode: code "z": duplicate tag "bj"`},
		{"strategy", func() error { _, err := NewPool(Strategy(9)); return err }(), "livecode: unknown strategy 9"},
		{"ttl", p.SetOptions(Options{PendingTTL: -time.Second}), "livecode: options: pending_ttl -1s must not be negative"},
		{"near limit", p.SetOptions(Options{NearLimitPercent: 101}), "livecode: options: near_limit_percent 101 must be in 1..100"},
		{"expiring within", Options{ExpiringWithin: -time.Hour}.Validate(), "livecode: options: expiring_within -1h must not be negative"},
		{"empty user", func() error { _, err := p.Assign("", t0); return err }(), "livecode: empty user id"},
		{"zero time", func() error { _, err := p.Assign("u", time.Time{}); return err }(), "livecode: zero time"},
		{"joined unknown", p.Joined("u", "nope", t0), `livecode: unknown code "nope"`},
		{"joined twice", p.Joined("m", "a", t0), `livecode: user "m" is already a member of "a"`},
		{"joined at cap", p.Joined("n", "a", t0), `livecode: code "a" is at its cap of 2 members`},
		{"left stranger", func() error { _ = p.Left("x", "a", t0); return p.Left("x", "a", t0) }(), `livecode: user "x" is not a member of "a"`},
		{"retire twice", func() error { _ = p.Retire("a", t0); return p.Retire("a", t0) }(), `livecode: code "a" is already retired`},
		{"replace unknown", p.ReplaceQR("nope", t0, t0), `livecode: unknown code "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil || !strings.HasPrefix(tc.err.Error(), tc.want) {
				t.Errorf("error %v, want prefix %q", tc.err, tc.want)
			}
		})
	}
	if p.Len() != 1 {
		t.Errorf("failed Adds added codes: %d", p.Len())
	}
}

func TestHashReference(t *testing.T) {
	// FNV-1a test vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv),
	// cross-checked against hash/fnv.
	for s, want := range map[string]uint64{"": 0xcbf29ce484222325, "a": 0xaf63dc4c8601ec8c, "foobar": 0x85944171f73967e8} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got := fnv1a(s); got != want || got != h.Sum64() {
			t.Errorf("fnv1a(%q) = %#x, want %#x (hash/fnv %#x)", s, got, want, h.Sum64())
		}
	}
	// The first output of SplitMix64 seeded with 0 is mix64 of the golden
	// gamma 0x9e3779b97f4a7c15: 0xe220a8397b1dcdaf (Vigna's splitmix64.c).
	if got := mix64(0x9e3779b97f4a7c15); got != 0xe220a8397b1dcdaf {
		t.Errorf("mix64 = %#x", got)
	}
}

// TestStickyGolden pins Sticky's choices: they must be the same on every
// run, machine and Go version, or users would change groups on upgrade.
// The values were changed deliberately once, when Sticky moved from flat
// rendezvous hashing (O(n) a scan) to ranked jump-hash draws (issue 9's
// 500 ns target at 10,000 codes); they must not change again. The table
// pins single draws, including one over the most positions a group holds.
func TestStickyGolden(t *testing.T) {
	p, err := NewPool(Sticky, Code{ID: "a"}, Code{ID: "b"}, Code{ID: "c"}, Code{ID: "d"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(scanAll(t, p, 12), " ")
	const want = "c d b a d b b a a d a d"
	if got != want {
		t.Errorf("sticky choices changed:\n got %s\nwant %s", got, want)
	}
	for _, tc := range []struct {
		user string
		draw int
		n    int
		want int
	}{
		{"wxid_1", 0, 10000, 2223},
		{"wxid_1", 1, 10000, 9473},
		{"wxid_1", 0, 1<<31 - 1, 1574562638},
		{"wxid_2", 0, 10000, 7990},
		{"wxid_2", 1, 10000, 8135},
		{"wxid_3", 0, 10000, 7789},
		{"wxid_3", 1, 10000, 6745},
	} {
		if got := jump(stickySeed(idHash(tc.user), tc.draw), tc.n); got != tc.want {
			t.Errorf("draw %d of %s over %d positions = %d, want %d", tc.draw, tc.user, tc.n, got, tc.want)
		}
	}
}
