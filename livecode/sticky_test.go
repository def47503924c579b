package livecode

import (
	"fmt"
	"math"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func stickyPool(t testing.TB, ids ...string) *Pool {
	codes := make([]Code, len(ids))
	for i, id := range ids {
		codes[i] = Code{ID: id, Cap: 1 << 30, ScanLimit: 1 << 30}
	}
	p, err := NewPool(Sticky, codes...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStickyAddMovesOneInNPlusOne: 10,000 users scan a Sticky pool of n
// codes, their reservations lapse, a code is added and they scan again.
// Rendezvous hashing moves a user only if the new code outranks every old
// one, which for independent scores has probability 1/(n+1); so the moved
// count is Binomial(10000, 1/(n+1)), and every mover goes to the new code.
func TestStickyAddMovesOneInNPlusOne(t *testing.T) {
	const users = 10000
	for _, n := range []int{1, 2, 3, 5, 9, 12} {
		rt := t
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("group-%d", i+1)
		}
		p := stickyPool(t, ids...)
		before := make([]string, users)
		for u := range before {
			before[u], _ = p.Assign(fmt.Sprintf("user-%d", u), t0)
		}
		later := t0.Add(DefaultPendingTTL)
		if err := p.Add(Code{ID: "new", Cap: 1 << 30, ScanLimit: 1 << 30}); err != nil {
			rt.Fatal(err)
		}
		moved := 0
		for u := range before {
			got, _ := p.Assign(fmt.Sprintf("user-%d", u), later)
			if got != before[u] {
				if got != "new" {
					rt.Fatalf("user-%d moved from %s to %s, not to the new code", u, before[u], got)
				}
				moved++
			}
		}
		q := 1 / float64(n+1)
		mean, sd := users*q, math.Sqrt(users*q*(1-q))
		if math.Abs(float64(moved)-mean) > 5*sd {
			rt.Fatalf("adding a code to %d moved %d of %d users, want %.0f ± %.0f", n, moved, users, mean, 5*sd)
		}
	}
}

// TestStickyStaysWhileOpen: whatever other codes open or close, a user
// whose code is open gets that code: the choice over a subset of codes that
// still contains the user's code is that code.
func TestStickyStaysWhileOpen(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(2, 20).Draw(rt, "n")
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("c%d", i)
		}
		user := rapid.StringN(1, 12, -1).Draw(rt, "user")
		full := stickyPool(t, ids...)
		home, err := full.Assign(user, t0)
		if err != nil {
			rt.Fatal(err)
		}
		// Close a random set of the other codes by retiring them.
		sub := stickyPool(t, ids...)
		for _, id := range ids {
			if id != home && rapid.Bool().Draw(rt, "close "+id) {
				if err := sub.Retire(id, t0); err != nil {
					rt.Fatal(err)
				}
			}
		}
		if got, _ := sub.Assign(user, t0); got != home {
			rt.Fatalf("user %q moved from %s to %s when other codes closed", user, home, got)
		}
	})
}

// TestStickyBalance: over 10,000 users each of n codes gets about 1/n of
// them (each count is Binomial(10000, 1/n); 5 standard deviations).
func TestStickyBalance(t *testing.T) {
	for _, n := range []int{2, 5, 50} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ids := make([]string, n)
			for i := range ids {
				ids[i] = fmt.Sprintf("qr-%d", i)
			}
			p := stickyPool(t, ids...)
			const users = 10000
			count := map[string]int{}
			for u := range users {
				id, _ := p.Assign(fmt.Sprintf("wxid_%d", u), t0)
				count[id]++
			}
			q := 1 / float64(n)
			mean, sd := users*q, math.Sqrt(users*q*(1-q))
			for _, id := range ids {
				if math.Abs(float64(count[id])-mean) > 5*sd {
					t.Errorf("%s got %d users, want %.0f ± %.0f", id, count[id], mean, 5*sd)
				}
			}
		})
	}
}

// TestStickyFollowsFill: once a user's code fills, Sticky sends them to
// their next-ranked code, and back when a place frees up.
func TestStickyFollowsFill(t *testing.T) {
	p := stickyPool(t, "a", "b", "c")
	home, _ := p.Assign("alice", t0)
	if err := p.Retire(home, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	next, _ := p.Assign("alice", t0.Add(time.Minute))
	var rest []string
	for _, id := range []string{"a", "b", "c"} {
		if id != home {
			rest = append(rest, id)
		}
	}
	want, _ := stickyPool(t, rest...).Assign("alice", t0)
	if next != want || next == home {
		t.Fatalf("after %s retired, alice got %q, want her choice among %v: %q", home, next, rest, want)
	}
}
