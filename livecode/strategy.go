package livecode

import (
	"fmt"
	"strings"
)

// Strategy chooses which open code takes a new scanner. Each strategy
// chooses among the open codes of one tag group at a time (see
// Pool.AssignTags); a repeat scan keeps its reservation whatever the
// strategy.
type Strategy int

// The strategies. The zero value is FillFirst.
const (
	// FillFirst sends every scanner to the first open code in the order the
	// codes were added, so groups fill one at a time: the common practice
	// of live code services (seed F11). Cost O(log n).
	FillFirst Strategy = iota
	// RoundRobin sends scanners to the open codes in turn, in the order the
	// codes were added, skipping codes that cannot take a scan. Cost
	// O(log n).
	RoundRobin
	// LeastLoaded sends each scanner to the open code with the fewest
	// members plus pending reservations, the earliest added on a tie.
	// Cost O(log n).
	LeastLoaded
	// Weighted is smooth weighted round robin (the nginx algorithm) over
	// the open codes by Weight: deterministic, and weights 5, 1, 1 give
	// a a b a c a a. Cost O(d + log n) for d distinct weights.
	Weighted
	// Sticky hashes the user id to a ranking of the codes and takes the
	// first open one, with the two properties of rendezvous hashing: a
	// user lands on the same code for as long as it is open, whatever the
	// other codes do, and adding a code moves only about 1/n of users, all
	// to it. The ranking is a few draws of a jump consistent hash over the
	// codes in the order they were added, then a fixed tree order (see the
	// package documentation). Cost O(1) expected, O(log n) at most.
	Sticky
)

var strategyNames = [...]string{"fill-first", "round-robin", "least-loaded", "weighted", "sticky"}

// String returns the strategy's name, as in the JSON state and the
// qunops command's -strategy flag: fill-first, round-robin, least-loaded,
// weighted or sticky.
func (s Strategy) String() string {
	if s.valid() {
		return strategyNames[s]
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

func (s Strategy) valid() bool { return s >= 0 && int(s) < len(strategyNames) }

// ParseStrategy returns the strategy named name (see Strategy.String). An
// unknown name is an error that lists the valid ones.
func ParseStrategy(name string) (Strategy, error) {
	s, err := parseStrategy(name)
	if err != nil {
		return 0, fmt.Errorf("livecode: %v", err)
	}
	return s, nil
}

// parseStrategy is ParseStrategy with an error that leaves the package
// name to its caller.
func parseStrategy(name string) (Strategy, error) {
	for i, n := range strategyNames {
		if n == name {
			return Strategy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown strategy %q (want %s)", name, wordList(strategyNames[:]))
}

// wordList joins words as "a, b or c".
func wordList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// MarshalText returns the strategy's name; it fails for an unknown strategy.
func (s Strategy) MarshalText() ([]byte, error) {
	if !s.valid() {
		return nil, fmt.Errorf("livecode: unknown strategy %d", int(s))
	}
	return []byte(strategyNames[s]), nil
}

// UnmarshalText sets s from its name; an unknown name is an error that
// lists the valid ones.
func (s *Strategy) UnmarshalText(b []byte) error {
	v, err := ParseStrategy(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
