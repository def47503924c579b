package livecode

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

func stickyPool(t interface{ Fatal(...any) }, ids ...string) *Pool {
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
// codes, of which every closed-th is retired, their reservations lapse, a
// code is added and they scan again. A user moves only if the new code
// comes before every open old code in the user's ranking; each of its
// draws is uniform over the n+1 positions, so with m open old codes that
// has probability 1/(m+1) (up to the rare users whose draws all miss, see
// hash.go), the same as for rendezvous hashing. So the moved count is about
// Binomial(10000, 1/(m+1)) (5 standard deviations), and every mover goes
// to the new code.
func TestStickyAddMovesOneInNPlusOne(t *testing.T) {
	const users = 10000
	for _, tc := range []struct {
		n, closed int // retire codes at positions that are multiples of closed (0: none)
	}{
		{1, 0}, {2, 0}, {3, 0}, {5, 0}, {9, 0}, {12, 0}, {100, 0}, {1000, 0},
		{20, 2}, {100, 3}, {1000, 2},
	} {
		t.Run(fmt.Sprintf("%d codes, every %d-th closed", tc.n, tc.closed), func(t *testing.T) {
			ids := make([]string, tc.n)
			for i := range ids {
				ids[i] = fmt.Sprintf("group-%d", i+1)
			}
			p := stickyPool(t, ids...)
			open := tc.n
			for i := 0; tc.closed > 0 && i < tc.n; i += tc.closed {
				if err := p.Retire(ids[i], t0); err != nil {
					t.Fatal(err)
				}
				open--
			}
			before := make([]string, users)
			for u := range before {
				before[u], _ = p.Assign(fmt.Sprintf("user-%d", u), t0)
			}
			later := t0.Add(DefaultPendingTTL)
			if err := p.Add(Code{ID: "new", Cap: 1 << 30, ScanLimit: 1 << 30}); err != nil {
				t.Fatal(err)
			}
			moved := 0
			for u := range before {
				got, _ := p.Assign(fmt.Sprintf("user-%d", u), later)
				if got != before[u] {
					if got != "new" {
						t.Fatalf("user-%d moved from %s to %s, not to the new code", u, before[u], got)
					}
					moved++
				}
			}
			q := 1 / float64(open+1)
			mean, sd := users*q, math.Sqrt(users*q*(1-q))
			if math.Abs(float64(moved)-mean) > 5*sd+1 {
				t.Fatalf("adding a code to %d open moved %d of %d users, want %.0f ± %.0f", open, moved, users, mean, 5*sd+1)
			}
		})
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
// the code they would get if it had never been open, and back when a
// place frees up and their reservation elsewhere has lapsed.
func TestStickyFollowsFill(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	codes := make([]Code, len(ids))
	for i, id := range ids {
		codes[i] = Code{ID: id, ScanLimit: 2}
	}
	p, err := NewPool(Sticky, codes...)
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	home, _ := p.Assign("alice", now)
	now = now.Add(DefaultPendingTTL) // alice's reservation lapses
	for _, u := range []string{"x", "y"} {
		if err := p.Joined(u, home, now); err != nil {
			t.Fatal(err)
		}
	}
	next, _ := p.Assign("alice", now)
	// The same pool with home closed from the start.
	q := stickyPool(t, ids...)
	if err := q.Retire(home, t0); err != nil {
		t.Fatal(err)
	}
	want, _ := q.Assign("alice", t0)
	if next != want || next == home {
		t.Fatalf("after %s filled, alice got %q, want %q", home, next, want)
	}
	if err := p.Left("x", home, now); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Assign("alice", now); got != next {
		t.Fatalf("alice's repeat scan moved from %s to %s", next, got)
	}
	now = now.Add(DefaultPendingTTL)
	if got, _ := p.Assign("alice", now); got != home {
		t.Fatalf("after a place freed in %s, alice got %s", home, got)
	}
}

// TestStickyMatchesRanking: over groups of up to 3,000 codes with any set
// of them open, a new scan goes to the first open code of the user's
// ranking (hash.go) walked in full, which exercises the open set's levels
// and the fixed order after every draw misses.
func TestStickyMatchesRanking(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 3000).Draw(rt, "n")
		openPct := rapid.IntRange(0, 100).Draw(rt, "open percent")
		seed := rapid.Uint64().Draw(rt, "seed")
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("c%d", i)
		}
		p := stickyPool(rt, ids...)
		open := make([]bool, n)
		for i := range ids {
			if open[i] = mix64(seed+uint64(i))%100 < uint64(openPct); !open[i] {
				if err := p.Retire(ids[i], t0); err != nil {
					rt.Fatal(err)
				}
			}
		}
		for u := range 20 {
			user := fmt.Sprintf("%d-%d", seed, u)
			want := "-"
			if pos := naiveSticky(idHash(user), n, func(pos int) bool { return open[pos] }); pos >= 0 {
				want = ids[pos]
			}
			got, err := p.Assign(user, t0)
			if err != nil {
				got = "-"
			}
			if got != want {
				rt.Fatalf("user %s got %s, want %s", user, got, want)
			}
		}
	})
}

// TestJumpConsistent: the jump hash stays in range, and over n+1 positions
// it gives its answer over n or the new position n, never another.
func TestJumpConsistent(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		key := rapid.Uint64().Draw(rt, "key")
		n := rapid.IntRange(1, math.MaxInt32-1).Draw(rt, "n")
		a, b := jump(key, n), jump(key, n+1)
		if a < 0 || a >= n || b != a && b != n {
			rt.Fatalf("jump over %d = %d, over %d = %d", n, a, n+1, b)
		}
	})
}

// TestJumpUniform: over 100,000 keys each of n positions gets about 1/n
// of them (each count Binomial(100000, 1/n); 5 standard deviations).
func TestJumpUniform(t *testing.T) {
	const keys = 100000
	for _, n := range []int{1, 2, 7, 100, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			count := make([]int, n)
			for k := range keys {
				count[jump(mix64(uint64(k)), n)]++
			}
			q := 1 / float64(n)
			mean, sd := keys*q, math.Sqrt(keys*q*(1-q))
			for i, c := range count {
				if math.Abs(float64(c)-mean) > 5*sd+1 {
					t.Errorf("position %d of %d got %d keys, want %.0f ± %.0f", i, n, c, mean, 5*sd+1)
				}
			}
		})
	}
}
