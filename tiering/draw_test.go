package tiering

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func members(ids ...string) []Entrant {
	out := make([]Entrant, len(ids))
	for i, id := range ids {
		out[i] = Entrant{Member: id}
	}
	return out
}

func TestDrawErrors(t *testing.T) {
	tests := []struct {
		name     string
		entrants []Entrant
		winners  int
		want     string
	}{
		{"no entrants", nil, 1, "tiering: draw: no entrants"},
		{"zero winners", members("a"), 0, "tiering: draw: 0 winners from 1 entrants: want 1..1"},
		{"more winners than entrants", members("a", "b"), 3, "tiering: draw: 3 winners from 2 entrants: want 1..2"},
		{"empty member", []Entrant{{Member: "a"}, {}}, 1, "tiering: draw: entrants[1]: member is empty"},
		{"entered twice", members("b", "a", "b"), 1, `tiering: draw: entrants[2]: member "b" entered twice (also entrants[0])`},
		{"negative tickets", []Entrant{{Member: "a", Tickets: -1}}, 1, `tiering: draw: entrants[0]: tickets -1 of "a" must be in 0..1000000`},
		{"too many tickets", []Entrant{{Member: "a", Tickets: 1_000_001}}, 1, `tiering: draw: entrants[0]: tickets 1000001 of "a" must be in 0..1000000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Draw(tt.entrants, tt.winners, 1)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Draw: %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("all entrants win", func(t *testing.T) {
		d, err := Draw(members("c", "a", "b"), 3, 7)
		if err != nil {
			t.Fatal(err)
		}
		got := append([]string(nil), d.Winners...)
		if fmt.Sprint(sortedCopy(got)) != "[a b c]" {
			t.Errorf("winners %v, want each of a, b, c once", d.Winners)
		}
	})
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestDrawGolden pins the winners of fixed draws. They come from
// testdata/draw_reference.py, an independent Python implementation of the
// method in Draw's documentation (big-integer PCG-DXSM and Lemire's
// method), and must never change: a published Drawing of version 1 has to
// verify for ever. A change of the method is a new version.
func TestDrawGolden(t *testing.T) {
	entrants := []Entrant{{Member: "王芳"}, {Member: "li.lei", Tickets: 3}, {Member: "ann"}, {Member: "bob", Tickets: 2}, {Member: "carol"}, {Member: "dave", Tickets: 5}}
	tests := []struct {
		seed    uint64
		winners int
		want    []string
	}{
		{20260305, 1, goldenDraw1},
		{20260305, 3, goldenDraw3},
		{0, 6, goldenDraw6},
	}
	for _, tt := range tests {
		d, err := Draw(entrants, tt.winners, tt.seed)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, d.Winners); diff != "" {
			t.Errorf("seed %d, %d winners (-golden +got):\n%s", tt.seed, tt.winners, diff)
		}
	}
}

// The golden winners of TestDrawGolden.
var (
	goldenDraw1 = []string{"ann"}
	goldenDraw3 = []string{"ann", "carol", "li.lei"}
	goldenDraw6 = []string{"bob", "li.lei", "dave", "carol", "ann", "王芳"}
)

// TestUniformIsLemire checks uniform against the standard library's own
// implementation of the same method: math/rand/v2's Rand.Uint64N uses
// Lemire's multiply-shift with rejection for every n that is not a power
// of two (src/math/rand/v2/rand.go, uint64n, Go 1.22 and later; it masks
// powers of two, which uniform does not). Both read the same PCG stream.
func TestUniformIsLemire(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Uint64().Draw(t, "seed")
		n := rapid.Uint64Range(3, math.MaxUint64).Filter(func(n uint64) bool { return n&(n-1) != 0 }).Draw(t, "n")
		ours, std := rand.NewPCG(seed, 0), rand.New(rand.NewPCG(seed, 0))
		for range 8 {
			if a, b := uniform(ours, n), std.Uint64N(n); a != b {
				t.Fatalf("uniform(%d) = %d, rand.Uint64N = %d", n, a, b)
			}
		}
	})
}

// TestDrawFairnessF30 checks that a single winner is drawn in proportion
// to tickets, over 20,000 seeds: tickets 1, 2 and 7 of 10 should win
// 2,000, 4,000 and 14,000 times. The bound is 5 standard deviations of the
// binomial count (sqrt(20000*p*(1-p)) is at most 65 here).
func TestDrawFairnessF30(t *testing.T) {
	entrants := []Entrant{{Member: "a", Tickets: 1}, {Member: "b", Tickets: 2}, {Member: "c", Tickets: 7}}
	const n = 20000
	wins := map[string]int{}
	for seed := range uint64(n) {
		d, err := Draw(entrants, 1, seed)
		if err != nil {
			t.Fatal(err)
		}
		wins[d.Winners[0]]++
	}
	for _, e := range entrants {
		p := float64(e.Tickets) / 10
		want, sd := n*p, math.Sqrt(n*p*(1-p))
		if got := float64(wins[e.Member]); math.Abs(got-want) > 5*sd {
			t.Errorf("%s with %d of 10 tickets won %v times, want %v ± %.0f", e.Member, e.Tickets, got, want, 5*sd)
		}
	}
	// Equal tickets, 2 winners of 5: each member wins with chance 2/5.
	five := members("a", "b", "c", "d", "e")
	wins = map[string]int{}
	for seed := range uint64(n) {
		d, _ := Draw(five, 2, seed)
		for _, w := range d.Winners {
			wins[w]++
		}
	}
	want, sd := n*0.4, math.Sqrt(n*0.4*0.6)
	for _, e := range five {
		if got := float64(wins[e.Member]); math.Abs(got-want) > 5*sd {
			t.Errorf("%s won %v of %d draws of 2 from 5, want %v ± %.0f", e.Member, got, n, want, 5*sd)
		}
	}
}

// Properties: the order of the entrants does not matter, winners are
// distinct entrants, and the drawing verifies.
func TestDrawProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ids := rapid.SliceOfNDistinct(rapid.StringN(1, 4, 8), 1, 12, func(s string) string { return s }).Draw(t, "ids")
		var entrants []Entrant
		for _, id := range ids {
			entrants = append(entrants, Entrant{Member: id, Tickets: rapid.IntRange(0, 5).Draw(t, "tickets")})
		}
		k := rapid.IntRange(1, len(entrants)).Draw(t, "winners")
		seed := rapid.Uint64().Draw(t, "seed")
		d, err := Draw(entrants, k, seed)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := rapid.Permutation(entrants).Draw(t, "shuffled")
		d2, err := Draw(shuffled, k, seed)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d, d2); diff != "" {
			t.Fatalf("entry order changed the drawing (-first +shuffled):\n%s", diff)
		}
		seen := map[string]bool{}
		for _, w := range d.Winners {
			if seen[w] {
				t.Fatalf("%q drawn twice", w)
			}
			seen[w] = true
		}
		if len(d.Winners) != k {
			t.Fatalf("%d winners, want %d", len(d.Winners), k)
		}
		if err := d.Verify(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDrawingVerifyAndJSON(t *testing.T) {
	d, err := Draw([]Entrant{{Member: "bob", Tickets: 3}, {Member: "ann"}}, 1, math.MaxUint64)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`{"v":1,"seed":"18446744073709551615","entrants":[{"member":"ann"},{"member":"bob","tickets":3}],"winners":[%q]}`, d.Winners[0])
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back Drawing
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(); err != nil {
		t.Errorf("a published drawing read back does not verify: %v", err)
	}
	tampered := back
	tampered.Winners = []string{map[string]string{"ann": "bob", "bob": "ann"}[d.Winners[0]]}
	if err := tampered.Verify(); err == nil || !strings.Contains(err.Error(), "do not follow from seed 18446744073709551615") {
		t.Errorf("tampered winners: %v", err)
	}
	reseeded := back
	reseeded.V = 2
	if err := reseeded.Verify(); err == nil || err.Error() != "tiering: draw: version 2 is not 1" {
		t.Errorf("unknown version: %v", err)
	}
}

// TestCommitment checks the commitment against sha256sum: `printf 20260305
// | sha256sum` and `printf 0 | sha256sum` (GNU coreutils).
func TestCommitment(t *testing.T) {
	for seed, want := range map[uint64]string{
		20260305: "5c60a9758140ec7537a1b49d4b6bacdc4f0b1953cdd8df19b49dffd164779c49",
		0:        "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9",
	} {
		if got := Commitment(seed); got != want {
			t.Errorf("Commitment(%d) = %s, want %s", seed, got, want)
		}
	}
}

func TestDrawingDecodeRejects(t *testing.T) {
	good := `{"v":1,"seed":"7","entrants":[{"member":"ann"}],"winners":["ann"]}`
	for name, tt := range map[string]struct{ in, want string }{
		"unknown key":     {`{"v":1,"seed":"7","entrants":[],"winners":[],"salt":1}`, `tiering: drawing: unknown key "salt"`},
		"key in Go case":  {`{"V":1,"seed":"7","entrants":[],"winners":[]}`, `tiering: drawing: unknown key "V"`},
		"duplicate key":   {`{"v":1,"seed":"7","seed":"8","entrants":[],"winners":[]}`, `tiering: drawing: duplicate key "seed"`},
		"seed as number":  {`{"v":1,"seed":7,"entrants":[],"winners":[]}`, `seed`},
		"seed not a uint": {`{"v":1,"seed":"-1","entrants":[],"winners":[]}`, `tiering: drawing: seed "-1" is not a number in 0..18446744073709551615`},
		"entrant key":     {`{"v":1,"seed":"7","entrants":[{"member":"a","weight":2}],"winners":[]}`, `unknown key "weight"`},
	} {
		t.Run(name, func(t *testing.T) {
			var d Drawing
			if err := json.Unmarshal([]byte(good), &d); err != nil {
				t.Fatal(err)
			}
			before := d
			err := json.Unmarshal([]byte(tt.in), &d)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if diff := cmp.Diff(before, d); diff != "" {
				t.Errorf("a failed decode changed the drawing:\n%s", diff)
			}
		})
	}
}
