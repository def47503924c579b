package rules

import (
	"fmt"
	"slices"
	"strings"
)

// Reaction is what the engine does about a risk that is not always an
// offence: a transfer or red packet (Policy.TransferReaction), a
// competitor's name (Policy.CompetitorReaction). The zero value,
// ReactDefault, stands for the field's default. In JSON it is a lowercase
// word: "ignore", "notify", "warn" or "remove".
type Reaction int

const (
	// ReactDefault is the zero value: the default of the field.
	ReactDefault Reaction = iota
	// ReactIgnore does nothing.
	ReactIgnore
	// ReactNotify tells the first admin (a Notify), at most once per
	// Policy.AlertCooldown for the member, group and rule.
	ReactNotify
	// ReactWarn warns the member on the violation ladder (a Warn, and the
	// Remove and Blacklist of the warning that reaches the limit), with a
	// Recall when Policy.Recall is on.
	ReactWarn
	// ReactRemove removes and blacklists the member at once, as a
	// prohibited keyword does.
	ReactRemove
)

var reactionWords = [...]string{"", "ignore", "notify", "warn", "remove"}

// String returns the reaction's word; "" for ReactDefault.
func (r Reaction) String() string {
	if r < ReactDefault || r > ReactRemove {
		return fmt.Sprintf("Reaction(%d)", int(r))
	}
	return reactionWords[r]
}

// MarshalText writes the reaction's word.
func (r Reaction) MarshalText() ([]byte, error) {
	if r < ReactDefault || r > ReactRemove {
		return nil, fmt.Errorf("rules: reaction %d is not a reaction", int(r))
	}
	return []byte(reactionWords[r]), nil
}

// UnmarshalText reads a reaction's word; an unknown word is an error that
// lists the valid ones. The error has no package prefix: it reaches the
// caller through Policy.UnmarshalJSON, which adds "rules: policy: " and
// the key.
func (r *Reaction) UnmarshalText(b []byte) error {
	i := slices.Index(reactionWords[1:], string(b))
	if i < 0 {
		return fmt.Errorf("reaction %q is not one of %s", b, strings.Join(reactionWords[1:], ", "))
	}
	*r = Reaction(i + 1)
	return nil
}
