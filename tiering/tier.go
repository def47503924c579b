package tiering

import (
	"fmt"
	"strconv"
)

// Tier is a member's tier. The zero Tier is not a tier: it prints as
// "tier(0)", does not validate and is what a lookup of an unknown member
// returns.
type Tier uint8

// The tiers, in the package's tier order (see Tiers): a member gets the
// first tier whose rule they meet.
const (
	// Violator: warned 2 or more times, or posted prohibited content (seed F34).
	Violator Tier = iota + 1
	// Core: more than 5 messages, or 3 or more invites, in the window (seed F31).
	Core
	// Active: more than 3 interactions in the window (seed F32).
	Active
	// New: joined less than the window ago and not yet Core or Active. The
	// seed has no such tier; without it a member who joined yesterday would
	// count as a lurker.
	New
	// Lurker: no message and no perk claimed in the window (seed F33).
	Lurker
	// Casual: everyone else: spoke or claimed in the window, but 3 or fewer
	// interactions. The seed's four tiers leave this gap.
	Casual
)

// numTiers is one more than the largest Tier, for arrays indexed by Tier.
const numTiers = int(Casual) + 1

var tierNames = [numTiers]string{"", "violator", "core", "active", "new", "lurker", "casual"}

// Tiers returns every tier in the tier order: Violator, Core, Active, New,
// Lurker, Casual. It is the order of the constants and the precedence in
// which Classify tries the rules (shared/DESIGN.md), and the one order in
// which this package lists tiers: in Counts and its String and JSON, in the
// package documentation and in error messages. Programs that print tiers
// (the qunops command, the examples) use it too. Rank is a different
// ordering, for telling a promotion from a demotion. The caller owns the
// returned slice.
func Tiers() []Tier { return []Tier{Violator, Core, Active, New, Lurker, Casual} }

// String returns the tier's lowercase name ("core"), or "tier(N)" for a
// value that is not a tier.
func (t Tier) String() string {
	if t.Valid() {
		return tierNames[t]
	}
	return "tier(" + strconv.Itoa(int(t)) + ")"
}

// Valid reports whether t is one of the tier constants.
func (t Tier) Valid() bool { return t >= Violator && t <= Casual }

// Rank orders the tiers from worst to best, for telling a promotion from a
// demotion: Violator 0, Lurker 1, Casual 2, New 3, Active 4, Core 5. It is
// not the tier order (see Tiers). Rank returns -1 for a value
// that is not a tier.
func (t Tier) Rank() int {
	switch t {
	case Violator:
		return 0
	case Lurker:
		return 1
	case Casual:
		return 2
	case New:
		return 3
	case Active:
		return 4
	case Core:
		return 5
	}
	return -1
}

// ParseTier returns the tier named s (as String writes it). The error of an
// unknown name quotes it and lists the tiers.
func ParseTier(s string) (Tier, error) {
	if i, ok := lookup(tierNames[:], s); ok {
		return Tier(i), nil
	}
	return 0, fmt.Errorf("tiering: %q is not a tier (%s)", s, wordList(tierNames[:]))
}

// MarshalText writes the tier's name; it fails for a value that is not a
// tier.
func (t Tier) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("tiering: cannot marshal %v", t)
	}
	return []byte(tierNames[t]), nil
}

// UnmarshalText reads a tier name written by MarshalText. The error of an
// unknown name quotes it and lists the tiers; on error t is unchanged.
func (t *Tier) UnmarshalText(b []byte) error {
	v, err := ParseTier(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Counts is the number of members in each tier, in the tier order (see
// Tiers). Its JSON names each tier by its word:
// {"violator":0,"core":3,"active":5,"new":2,"lurker":40,"casual":12}.
type Counts struct {
	Violator int `json:"violator"`
	Core     int `json:"core"`
	Active   int `json:"active"`
	New      int `json:"new"`
	Lurker   int `json:"lurker"`
	Casual   int `json:"casual"`
}

// Of returns the count of tier t (0 for a value that is not a tier).
func (c Counts) Of(t Tier) int {
	switch t {
	case Violator:
		return c.Violator
	case Core:
		return c.Core
	case Active:
		return c.Active
	case New:
		return c.New
	case Lurker:
		return c.Lurker
	case Casual:
		return c.Casual
	}
	return 0
}

// add adds n to the count of tier t.
func (c *Counts) add(t Tier, n int) {
	switch t {
	case Violator:
		c.Violator += n
	case Core:
		c.Core += n
	case Active:
		c.Active += n
	case New:
		c.New += n
	case Lurker:
		c.Lurker += n
	case Casual:
		c.Casual += n
	}
}

// Total returns the number of members over all tiers.
func (c Counts) Total() int {
	return c.Violator + c.Core + c.Active + c.New + c.Lurker + c.Casual
}

// String writes the counts in the tier order (see Tiers), e.g.
// "violator 0, core 3, active 5, new 2, lurker 40, casual 12".
func (c Counts) String() string {
	b := make([]byte, 0, 64)
	for i, t := range Tiers() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, tierNames[t]...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(c.Of(t)), 10)
	}
	return string(b)
}
