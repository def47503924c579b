package schedule

import (
	"fmt"
)

// Kind is a kind of content a group's operator posts. The zero Kind is not
// a kind: it marks a missing or unknown value and fails validation.
type Kind uint8

// The kinds of content of seed section 5.
const (
	// News is a news or knowledge post (seed F19).
	News Kind = iota + 1
	// Interactive is a poll, a Q&A or another post that asks members to
	// answer (seed F20).
	Interactive
	// Perk is a coupon, a lottery or another perk (seed F21, F24).
	Perk
	// Notice is an important notice sent with @all (seed F23).
	Notice
	// Ad is a hard advertisement (seed F24).
	Ad
	// Live is a live stream (直播) tied to the group: the weekend stream of
	// seed F22, the live talk (干货直播) of F30's activation plan, the
	// "live streams tied to groups" of F43.
	Live
)

// numKinds is one more than the largest Kind, so that arrays indexed by
// Kind have a slot for every kind.
const numKinds = int(Live) + 1

var kindNames = [numKinds]string{"", "news", "interactive", "perk", "notice", "ad", "live"}

// Kinds returns every kind in a fixed order (the order of the constants).
// The caller owns the returned slice.
func Kinds() []Kind { return []Kind{News, Interactive, Perk, Notice, Ad, Live} }

// Valid reports whether k is one of the kind constants.
func (k Kind) Valid() bool { return k >= News && k <= Live }

// String returns the lowercase name of k ("news", "interactive", ...), or
// "Kind(N)" when k is not a kind.
func (k Kind) String() string {
	if k.Valid() {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind returns the kind named s, the inverse of String.
func ParseKind(s string) (Kind, error) {
	for k := News; k <= Live; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("schedule: kind %q is not %s", s, orList(kindNames[1:]))
}

// MarshalText writes k's name; it fails when k is not a kind.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("schedule: kind %d is not a kind", uint8(k))
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText reads a kind's name. On error k is left unchanged.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}
