package tiering

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// Reviewer keeps the tiers of one group's members over time, with the
// hysteresis of Discourse's trust levels, so that a member's tier does not
// flap with every busy or quiet week:
//
//   - a promotion (a tier of higher Rank) takes effect at once, at any
//     Observe or Review;
//   - a demotion takes effect only at a Review (the monthly refresh of seed
//     F36), only when the member falls below the margin of the tier they
//     hold (see Policy.MarginPercent), and not within Policy.Grace of their
//     last promotion;
//   - Violator takes effect at once, always, and stays: the member's ID is
//     kept, even after they leave, so that a return is seen (seed F34). Only
//     an operator's Pin takes a member out of Violator;
//   - New ends at once when the member's tenure reaches the window (it is a
//     matter of time, not of activity), whichever way that goes;
//   - a pinned member keeps the pinned tier whatever they do.
//
// The margin relaxes each count threshold m (the least count that
// qualifies: 6 messages, 3 invites, 4 interactions by default) to
// max(1, floor(m × MarginPercent / 100)): with the default 90% a Core member
// keeps Core with 5 messages or 2 invites and an Active member keeps Active
// with 3 interactions. Rounding down means that any margin under 100% gives
// at least one count of slack for these small thresholds, where rounding to
// nearest would give none (5.4 rounds to 5 but 2.7 to 3 and 3.6 to 4). A
// Casual member (threshold: one message or claim) drops to Lurker at a
// review without slack. A member demoted below the margin of Core but
// within that of Active is demoted to Active.
//
// The zero Reviewer is not usable; call NewReviewer. A Reviewer is not safe
// for concurrent use. Observe and Review cost O(n log n) for n members.
// Its state round-trips through MarshalJSON and UnmarshalJSON.
type Reviewer struct {
	policy  Policy
	members map[string]*reviewState
}

type reviewState struct {
	Tier     Tier      `json:"tier"`
	Reason   string    `json:"reason"`
	Since    time.Time `json:"since"`             // when Tier was assigned
	Promoted time.Time `json:"promoted,omitzero"` // last promotion
	Pinned   bool      `json:"pinned,omitempty"`
	Absent   bool      `json:"absent,omitempty"` // left; kept for Violator or a pin
}

// NewReviewer returns a reviewer with no members under policy p.
func NewReviewer(p Policy) (*Reviewer, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Reviewer{policy: p.resolved(), members: make(map[string]*reviewState)}, nil
}

// Policy returns the reviewer's policy with defaults filled in.
func (r *Reviewer) Policy() Policy { return r.policy }

// Observe applies the changes that take effect at once to the members of
// the group at now (all of them: a known member missing from members has
// left): arrivals, departures, promotions, Violator, the end of New. It
// returns the changes sorted by member.
func (r *Reviewer) Observe(members []Member, now time.Time) []Change {
	return r.step(members, now, false)
}

// Review is Observe plus the demotions of the monthly review (seed F36).
// Call it once a month, e.g. on the first day.
func (r *Reviewer) Review(members []Member, now time.Time) []Change {
	return r.step(members, now, true)
}

func (r *Reviewer) step(members []Member, now time.Time, review bool) []Change {
	var out []Change
	present := make(map[string]bool, len(members))
	for _, m := range members {
		present[m.ID] = true
	}
	for id, s := range r.members {
		if s.Absent || present[id] {
			continue
		}
		out = append(out, Change{Member: id, Kind: Departure, From: s.Tier, At: now,
			Reason: "departure: not among the members at " + now.Format(time.RFC3339)})
		if s.Pinned || s.Tier == Violator {
			s.Absent = true
		} else {
			delete(r.members, id)
		}
	}
	for _, m := range members {
		if !present[m.ID] {
			continue // a repeated ID: the first one counts
		}
		delete(present, m.ID)
		if c, ok := r.update(m, now, review); ok {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Member, b.Member) })
	return out
}

// update applies the rules to one present member.
func (r *Reviewer) update(m Member, now time.Time, review bool) (Change, bool) {
	raw, reason := r.policy.Classify(m.Activity, now)
	s, ok := r.members[m.ID]
	if !ok {
		r.members[m.ID] = &reviewState{Tier: raw, Reason: reason, Since: now}
		return Change{Member: m.ID, Kind: Arrival, To: raw, At: now, Reason: reason}, true
	}
	if s.Absent {
		s.Absent = false
		why := "arrival: pinned as " + s.Tier.String()
		if !s.Pinned {
			why = "arrival: recorded as violator since " + s.Since.Format(time.RFC3339) + " (F34)"
		}
		return Change{Member: m.ID, Kind: Arrival, To: s.Tier, At: now, Reason: why}, true
	}
	if s.Pinned || s.Tier == Violator || raw == s.Tier {
		return Change{}, false
	}
	from := s.Tier
	switch {
	case raw == Violator, s.Tier == New:
		// at once, whichever way
	case raw.Rank() > s.Tier.Rank():
		s.Promoted = now
	case !review:
		return Change{}, false
	case !s.Promoted.IsZero() && now.Sub(s.Promoted) < r.policy.Grace:
		return Change{}, false
	default:
		to, why, ok := r.demotion(s.Tier, raw, m.Activity)
		if !ok {
			return Change{}, false
		}
		if to == raw {
			reason = why + "; " + reason
		} else {
			reason = why
		}
		raw = to
	}
	s.Tier, s.Reason, s.Since = raw, reason, now
	return Change{Member: m.ID, Kind: kindOf(from, raw), From: from, To: raw, At: now, Reason: reason}, true
}

// keep returns the relaxed threshold max(1, floor(m × pct / 100)).
func keep(m, pct int) int { return max(1, m*pct/100) }

// demotion decides whether a member holding tier cur, whose activity a
// classifies as raw (of lower rank), is demoted at a review, and to what.
func (r *Reviewer) demotion(cur, raw Tier, a Activity) (Tier, string, bool) {
	p := r.policy
	pct := p.MarginPercent
	activeMin := keep(p.ActiveInteractions+1, pct)
	switch cur {
	case Core:
		msgMin, invMin := keep(p.CoreMessages+1, pct), keep(p.CoreInvites, pct)
		if a.Messages >= msgMin || a.Invites >= invMin {
			return 0, "", false
		}
		why := "review: " + strconv.Itoa(a.Messages) + " messages < " + strconv.Itoa(msgMin) +
			" and " + strconv.Itoa(a.Invites) + " invites < " + strconv.Itoa(invMin) +
			" (" + strconv.Itoa(pct) + "% of core, F36)"
		if raw.Rank() < Active.Rank() && a.Interactions >= activeMin {
			return Active, why + "; active kept: " + strconv.Itoa(a.Interactions) + " interactions >= " +
				strconv.Itoa(activeMin) + " (" + strconv.Itoa(pct) + "% of active, F32)", true
		}
		return raw, why, true
	case Active:
		if a.Interactions >= activeMin {
			return 0, "", false
		}
		return raw, "review: " + strconv.Itoa(a.Interactions) + " interactions < " + strconv.Itoa(activeMin) +
			" (" + strconv.Itoa(pct) + "% of active, F36)", true
	}
	return raw, "review (F36)", true
}

// Tier returns a member's current tier and whether the member is known
// (present, or kept as a Violator or pinned member who left).
func (r *Reviewer) Tier(member string) (Tier, bool) {
	s, ok := r.members[member]
	if !ok {
		return 0, false
	}
	return s.Tier, true
}

// Roster returns the current tiers of the members present, sorted by
// member, with the reason of each member's last change, dated at.
func (r *Reviewer) Roster(at time.Time) Roster {
	out := Roster{At: at}
	for id, s := range r.members {
		if !s.Absent {
			out.Entries = append(out.Entries, Entry{Member: id, Tier: s.Tier, Reason: s.Reason})
		}
	}
	slices.SortFunc(out.Entries, func(a, b Entry) int { return strings.Compare(a.Member, b.Member) })
	return out
}

// Pin fixes a member's tier to t until Unpin: an operator's decision,
// which no rule overrides (it is also the only way out of Violator). A
// member not yet seen is recorded and gets the tier on arrival. Pin returns
// the change it makes to a present member, if any.
func (r *Reviewer) Pin(member string, t Tier, now time.Time) ([]Change, error) {
	if member == "" {
		return nil, fmt.Errorf("tiering: pin: member is empty")
	}
	if !t.Valid() {
		return nil, fmt.Errorf("tiering: pin: %v is not a tier", t)
	}
	reason := "pinned as " + t.String() + " by an operator"
	s, ok := r.members[member]
	if !ok {
		r.members[member] = &reviewState{Tier: t, Reason: reason, Since: now, Pinned: true, Absent: true}
		return nil, nil
	}
	from := s.Tier
	s.Pinned, s.Reason = true, reason
	if from == t {
		return nil, nil
	}
	s.Tier, s.Since = t, now
	if s.Absent {
		return nil, nil
	}
	if t.Rank() > from.Rank() {
		s.Promoted = now
	}
	return []Change{{Member: member, Kind: kindOf(from, t), From: from, To: t, At: now, Reason: reason}}, nil
}

// Unpin lets the rules decide a member's tier again from the next Observe
// or Review, starting from the pinned tier. It reports whether the member
// was pinned.
func (r *Reviewer) Unpin(member string) bool {
	s, ok := r.members[member]
	if !ok || !s.Pinned {
		return false
	}
	s.Pinned = false
	if s.Absent && s.Tier != Violator {
		delete(r.members, member)
	}
	return true
}

// reviewerVersion is the version of the reviewer's JSON. Version 1 (before
// the JSON conventions of issue 14) had Go-named policy keys and
// nanosecond durations; it is not read.
const reviewerVersion = 2

// reviewerJSON is the versioned form of a Reviewer.
type reviewerJSON struct {
	V       int                     `json:"v"`
	Policy  policyJSON              `json:"policy"`
	Members map[string]*reviewState `json:"members"`
}

// MarshalJSON writes the reviewer's policy and state as a versioned object
// ("v": 2) with members sorted by ID, in the package's JSON conventions:
// snake_case keys, durations as Go duration strings, tiers as words,
// times in RFC 3339.
func (r *Reviewer) MarshalJSON() ([]byte, error) {
	return json.Marshal(reviewerJSON{V: reviewerVersion, Policy: r.policy.toJSON(), Members: r.members})
}

// UnmarshalJSON replaces r with a reviewer written by MarshalJSON.
// Decoding is strict: an unknown, duplicate or wrongly spelt key, an
// unknown tier word or a malformed time is an error that names it. On
// error r is unchanged and still usable.
func (r *Reviewer) UnmarshalJSON(b []byte) error {
	var j reviewerJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return stateErr("reviewer", err)
	}
	if j.V != reviewerVersion {
		return fmt.Errorf("tiering: reviewer: version %d is not %d", j.V, reviewerVersion)
	}
	policy, err := j.Policy.policy()
	if err != nil {
		return stateErr("reviewer", err)
	}
	if j.Members == nil {
		j.Members = make(map[string]*reviewState)
	}
	for id, s := range j.Members {
		switch {
		case id == "":
			return fmt.Errorf("tiering: reviewer: member ID is empty")
		case s == nil:
			return fmt.Errorf("tiering: reviewer: member %q has no state", id)
		case !s.Tier.Valid():
			return fmt.Errorf("tiering: reviewer: member %q has no tier", id)
		case s.Absent && !s.Pinned && s.Tier != Violator:
			return fmt.Errorf("tiering: reviewer: absent member %q is neither pinned nor a violator", id)
		}
	}
	r.policy, r.members = policy.resolved(), j.Members
	return nil
}
