package tiering

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/qunops/qunops/internal/jsonx"
)

// Entrant is one entrant of a draw: a member and their tickets.
type Entrant struct {
	Member string `json:"member"`
	// Tickets weighs the member's chance: each draw picks a ticket at
	// random among those of the members not yet drawn. 0 means 1, so that
	// a list of members with no weights is a fair draw. Weigh by points
	// (Ledger.Account(m).Balance) for a points lottery (seed F37).
	Tickets int `json:"tickets,omitempty"`
}

// tickets returns e's tickets, 0 meaning 1.
func (e Entrant) tickets() uint64 {
	if e.Tickets == 0 {
		return 1
	}
	return uint64(e.Tickets)
}

// maxTickets bounds an entrant's tickets, so that no total can overflow.
const maxTickets = 1_000_000

// drawVersion is the version of the method Draw follows (see Draw). A
// Drawing records it; a change of the method gets a new version and the
// old one stays checkable.
const drawVersion = 1

// Drawing is the outcome of a draw with everything needed to check it:
// publish it (as JSON) with the winners, and anyone can run Verify, or
// follow the method of Draw by hand, to see that the winners follow from
// the seed and the entrants. In JSON:
//
//	{"v":1,"seed":"20260305","entrants":[{"member":"ann"},{"member":"bob","tickets":3}],"winners":["bob"]}
//
// The seed is a string so that JavaScript, whose numbers hold 53 bits,
// reads it exactly.
//
// Decoding is strict, as for the package's other JSON: an unknown,
// duplicate or wrongly spelt key is an error that names it.
type Drawing struct {
	V        int
	Seed     uint64
	Entrants []Entrant // sorted by member
	Winners  []string  // in the order drawn
}

// drawingJSON is the JSON form of a Drawing.
type drawingJSON struct {
	V        int       `json:"v"`
	Seed     string    `json:"seed"`
	Entrants []Entrant `json:"entrants"`
	Winners  []string  `json:"winners"`
}

// MarshalJSON writes d as shown in the type's documentation.
func (d Drawing) MarshalJSON() ([]byte, error) {
	return json.Marshal(drawingJSON{V: d.V, Seed: strconv.FormatUint(d.Seed, 10), Entrants: d.Entrants, Winners: d.Winners})
}

// UnmarshalJSON reads what MarshalJSON writes. It does not verify the
// draw: call Verify. On error d is unchanged.
func (d *Drawing) UnmarshalJSON(b []byte) error {
	var j drawingJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("tiering: drawing: %w", err)
	}
	seed, err := strconv.ParseUint(j.Seed, 10, 64)
	if err != nil {
		return fmt.Errorf("tiering: drawing: seed %q is not a number in 0..%d", j.Seed, uint64(math.MaxUint64))
	}
	*d = Drawing{V: j.V, Seed: seed, Entrants: j.Entrants, Winners: j.Winners}
	return nil
}

// Draw draws winners of entrants with seed, the fair, seeded and auditable
// draw that the flash lottery of seed F30 and the perks of F21 need. It
// is deterministic: the same entrants, in any order, and the same seed give
// the same winners, today and in later versions (the method is fixed by
// the Drawing's version and pinned by a golden test).
//
// The method, version 1, so that it can be redone without this package:
//  1. Sort the entrants by member, comparing the bytes of the IDs.
//  2. Seed a PCG-DXSM generator with (seed, 0): math/rand/v2's
//     rand.NewPCG(seed, 0), whose output the Go project keeps stable.
//  3. For each winner: let T be the total tickets of the entrants not yet
//     drawn; take a uniform number u in [0, T) by Lemire's method (x the
//     next 64-bit output; (hi, lo) = x*T as a 128-bit product; while
//     lo < (2^64 - T) mod T, draw x again; u = hi); walk the remaining
//     entrants in order, and the first whose running sum of tickets
//     exceeds u wins and leaves the draw.
//
// With several winners this is sampling without replacement in
// proportion to tickets: the first winner's chance is exactly tickets/T,
// later ones' follow from who was drawn before.
//
// A draw is only as fair as its seed: fix the seed before the entrants
// close and publish Commitment(seed) then, and the seed with the Drawing
// after, so that members can see it was not chosen to suit the result.
//
// Draw fails with an error naming the problem when there are no entrants,
// winners is below 1 or above the number of entrants, a member is empty or
// entered twice, or tickets are outside 0..1000000. Cost: O(n log n) to
// sort and O(n) per winner for n entrants.
func Draw(entrants []Entrant, winners int, seed uint64) (Drawing, error) {
	if len(entrants) == 0 {
		return Drawing{}, fmt.Errorf("tiering: draw: no entrants")
	}
	if winners < 1 || winners > len(entrants) {
		return Drawing{}, fmt.Errorf("tiering: draw: %d winners from %d entrants: want 1..%d", winners, len(entrants), len(entrants))
	}
	order := make([]int, len(entrants))
	for i, e := range entrants {
		if e.Member == "" {
			return Drawing{}, fmt.Errorf("tiering: draw: entrants[%d]: member is empty", i)
		}
		if e.Tickets < 0 || e.Tickets > maxTickets {
			return Drawing{}, fmt.Errorf("tiering: draw: entrants[%d]: tickets %d of %q must be in 0..%d", i, e.Tickets, e.Member, maxTickets)
		}
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(entrants[a].Member, entrants[b].Member) })
	sorted := make([]Entrant, len(entrants))
	for j, i := range order {
		sorted[j] = entrants[i]
		if j > 0 && sorted[j-1].Member == sorted[j].Member {
			return Drawing{}, fmt.Errorf("tiering: draw: entrants[%d]: member %q entered twice (also entrants[%d])", i, entrants[i].Member, order[j-1])
		}
	}
	d := Drawing{V: drawVersion, Seed: seed, Entrants: sorted, Winners: drawWinners(sorted, winners, seed)}
	return d, nil
}

// drawWinners runs steps 2 and 3 of Draw's method on sorted, valid
// entrants.
func drawWinners(sorted []Entrant, winners int, seed uint64) []string {
	src := rand.NewPCG(seed, 0)
	left := slices.Clone(sorted)
	var total uint64
	for _, e := range left {
		total += e.tickets()
	}
	out := make([]string, 0, winners)
	for range winners {
		u := uniform(src, total)
		i := 0
		for ; u >= left[i].tickets(); i++ {
			u -= left[i].tickets()
		}
		out = append(out, left[i].Member)
		total -= left[i].tickets()
		left = slices.Delete(left, i, i+1)
	}
	return out
}

// uniform returns a uniform number in [0, n), n > 0, from src by Lemire's
// multiply-shift method with rejection ("Fast Random Integer Generation in
// an Interval", ACM TOMACS 2019), which Draw's method fixes.
func uniform(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// Verify redoes the draw from d's seed and entrants and reports whether it
// gives d's winners, in order: nil if so, else an error that says what
// differs. It is what a member runs on a published Drawing.
func (d Drawing) Verify() error {
	if d.V != drawVersion {
		return fmt.Errorf("tiering: draw: version %d is not %d", d.V, drawVersion)
	}
	again, err := Draw(d.Entrants, len(d.Winners), d.Seed)
	if err != nil {
		return err
	}
	if !slices.Equal(again.Winners, d.Winners) {
		return fmt.Errorf("tiering: draw: winners %q do not follow from seed %d, which draws %q", d.Winners, d.Seed, again.Winners)
	}
	return nil
}

// Commitment returns the hex SHA-256 of the seed written in decimal: what
// an operator publishes before a draw's entrants close, so that members
// can later check the revealed seed against it (echo -n 20260305 |
// sha256sum).
func Commitment(seed uint64) string {
	sum := sha256.Sum256(strconv.AppendUint(nil, seed, 10))
	return hex.EncodeToString(sum[:])
}
