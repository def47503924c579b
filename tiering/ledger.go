package tiering

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// ErrInsufficient is returned (wrapped) by Redeem when the balance is short.
var ErrInsufficient = errors.New("tiering: insufficient points")

// ErrCashPrize is returned (wrapped) by Redeem for a cash prize under a
// policy without CashPrizes (seed F17).
var ErrCashPrize = errors.New("tiering: cash prize")

// Ledger is a points system (seed F37): messages, invites, daily check-ins
// and claims earn points, redeemable for prizes that are not cash (seed
// F17); consecutive check-ins unlock a staged perk (seed F24), and so do
// invitees who stayed (seed F16). Every source event credits at most once,
// by its ID; events without an ID are rejected. No balance ever goes
// negative: a redemption larger than the balance fails, and a reversal
// takes back at most the balance (the rest is reported as unrecovered).
// At all times, for every member, balance = credited - debited.
//
// Invites are credited by Settle, once the invitee has stayed
// InviteStay without leaving; a leave that arrives after the credit but
// happened within the stay reverses it.
//
// Events may arrive in any order. The zero Ledger is not usable; call
// NewLedger. A Ledger is not safe for concurrent use. Add costs O(1) map
// operations plus O(d) for a check-in, d the member's check-in days; the
// state grows with the IDs and days seen. The state round-trips through
// MarshalJSON and UnmarshalJSON.
type Ledger struct {
	policy   LedgerPolicy
	rules    ledgerRules
	accounts map[string]*account
	entries  map[string]*entry      // by ID: earning events, leaves, redemptions
	leaves   map[string][]time.Time // by member
	invites  map[string][]string    // invite entry IDs by invitee, derived
}

type account struct {
	balance  int
	credited int
	debited  int
	counts   map[int64][numSources]int // credited acts by day and source
	checkins []int64                   // days, sorted
	unlocks  int
	invited  int            // settled invites not reversed: invitees who stayed
	referral bool           // the invite perk is unlocked
	redeemed map[string]int // points by item
}

// entry is what one ID did: an earning event (source set), a leave (no
// source, no points) or a redemption (redeem, points debited).
type entry struct {
	member   string
	source   Source
	time     time.Time
	points   int    // credited, or debited by a redemption
	invitee  string // invite: the member who joined
	pending  bool   // invite not yet settled
	canceled bool   // invite whose invitee left within the stay
	reversed bool
	redeem   bool
}

// NewLedger returns an empty ledger under policy p.
func NewLedger(p LedgerPolicy) (*Ledger, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Ledger{policy: p, rules: p.rules(), accounts: map[string]*account{},
		entries: map[string]*entry{}, leaves: map[string][]time.Time{}, invites: map[string][]string{}}, nil
}

// Credit reports what an event or a settlement did to a member's points.
type Credit struct {
	Member string `json:"member"`
	// Source is what earned the points (zero for an event that earns
	// nothing, such as a leave).
	Source Source `json:"source,omitempty"`
	// ID is the ID of the event: the message, check-in or claim, or the
	// join that a settlement credits.
	ID     string `json:"id,omitempty"`
	Points int    `json:"points"` // points credited, 0 if none
	// Reason says why: "message: +1", "message: capped at 20 on
	// 2026-03-02", "invite: pending until ...", "duplicate", ...
	Reason string `json:"reason"`
	// Streak is, for a check-in, the run of consecutive check-in days that
	// contains the day.
	Streak int `json:"streak,omitempty"`
	// Invited is, for an invite credited by Settle, the inviter's
	// invitees who stayed, this one included.
	Invited int `json:"invited,omitempty"`
	// Unlocked reports that this check-in made the run reach StreakDays
	// (the perk is unlocked once per run, seed F24), or that this settled
	// invite made Invited reach InviteUnlock (once per member, seed F16).
	Unlocked bool `json:"unlocked,omitempty"`
}

func (l *Ledger) day(t time.Time) int64 {
	y, m, d := t.In(l.rules.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func (l *Ledger) account(member string) *account {
	a, ok := l.accounts[member]
	if !ok {
		a = &account{}
		l.accounts[member] = a
	}
	return a
}

// Add books one event. Messages, check-ins and claims are credited at
// once (up to the day's cap); a join with an inviter (Actor) opens a
// pending invite, credited by Settle; a leave cancels the pending invites
// of the leaver, or reverses a settled one whose stay it cuts short. Other
// events are ignored. An invalid event, or an earning event without an ID,
// is rejected with an error and changes nothing; a repeated ID changes
// nothing and reports "duplicate".
func (l *Ledger) Add(e qunops.Event) (Credit, error) {
	if err := e.Validate(); err != nil {
		return Credit{}, fmt.Errorf("tiering: ledger: %w", err)
	}
	var src Source
	switch e.Type {
	case qunops.Message:
		src = SourceMessage
	case qunops.Checkin:
		src = SourceCheckin
	case qunops.Claim:
		src = SourceClaim
	case qunops.Join:
		if e.Actor == "" || e.Actor == e.Member {
			return Credit{Member: e.Member, ID: e.ID, Reason: "join without an inviter"}, nil
		}
		src = SourceInvite
	case qunops.Leave:
		return l.leave(e), nil
	default:
		return Credit{Member: e.Member, ID: e.ID, Reason: string(e.Type) + ": earns nothing"}, nil
	}
	if e.ID == "" {
		return Credit{}, fmt.Errorf("tiering: ledger: %s event of %q has no ID", e.Type, e.Member)
	}
	member := e.Member
	if src == SourceInvite {
		member = e.Actor
	}
	c := Credit{Member: member, Source: src, ID: e.ID}
	if _, dup := l.entries[e.ID]; dup {
		c.Reason = "duplicate"
		return c, nil
	}
	s := &entry{member: member, source: src, time: e.Time}
	l.entries[e.ID] = s
	if src == SourceInvite {
		s.invitee, s.pending = e.Member, true
		l.invites[e.Member] = append(l.invites[e.Member], e.ID)
		c.Reason = "invite: pending until " + e.Time.Add(l.rules.stay).Format(time.RFC3339)
		return c, nil
	}
	a := l.account(member)
	d := l.day(e.Time)
	if src == SourceCheckin {
		c.Streak, c.Unlocked = l.checkin(a, d)
	}
	l.credit(a, s, d, &c)
	return c, nil
}

// credit books the points of entry s on day d, within the cap.
func (l *Ledger) credit(a *account, s *entry, d int64, c *Credit) {
	src := s.source
	pts, limit := l.rules.points[src], l.rules.caps[src]
	counts := a.counts[d]
	if limit >= 0 && counts[src] >= limit {
		c.Reason = src.String() + ": capped at " + strconv.Itoa(limit) + " on " + dayString(d)
		return
	}
	counts[src]++
	if a.counts == nil {
		a.counts = map[int64][numSources]int{}
	}
	a.counts[d] = counts
	s.points = pts
	a.balance += pts
	a.credited += pts
	c.Points = pts
	c.Reason = src.String() + ": +" + strconv.Itoa(pts)
}

// checkin records a check-in day and returns the run containing it and
// whether the run just reached the streak length.
func (l *Ledger) checkin(a *account, d int64) (int, bool) {
	i, found := slices.BinarySearch(a.checkins, d)
	if !found {
		a.checkins = slices.Insert(a.checkins, i, d)
	}
	left := 0
	for j := i - 1; j >= 0 && a.checkins[j] == d-int64(left)-1; j-- {
		left++
	}
	right := 0
	for j := i + 1; j < len(a.checkins) && a.checkins[j] == d+int64(right)+1; j++ {
		right++
	}
	run := left + 1 + right
	n := l.rules.streak
	unlocked := !found && run >= n && left < n && right < n
	if unlocked {
		a.unlocks++
	}
	return run, unlocked
}

// leave records a leave; it cancels the leaver's pending invites whose
// stay it cuts short and reverses the settled ones.
func (l *Ledger) leave(e qunops.Event) Credit {
	c := Credit{Member: e.Member, ID: e.ID, Reason: "leave"}
	if e.ID != "" {
		if _, dup := l.entries[e.ID]; dup {
			c.Reason = "duplicate"
			return c
		}
		l.entries[e.ID] = &entry{member: e.Member, time: e.Time}
	}
	l.leaves[e.Member] = append(l.leaves[e.Member], e.Time)
	for _, id := range l.invites[e.Member] {
		s := l.entries[id]
		if s.canceled || !l.cutShort(s, e.Time) {
			continue
		}
		if s.pending {
			s.pending, s.canceled = false, true
			continue
		}
		if !s.reversed {
			l.reverse(s)
		}
		s.canceled = true
	}
	return c
}

func (l *Ledger) cutShort(s *entry, left time.Time) bool {
	return !left.Before(s.time) && left.Before(s.time.Add(l.rules.stay))
}

// Settle credits the pending invites whose invitee has stayed InviteStay
// by now, in order of join time (then ID), within the inviter's daily cap
// on the join's day. It returns the credits made, capped ones included.
func (l *Ledger) Settle(now time.Time) []Credit {
	var due []string
	for id, s := range l.entries {
		if s.pending && !now.Before(s.time.Add(l.rules.stay)) {
			due = append(due, id)
		}
	}
	slices.SortFunc(due, func(a, b string) int {
		if c := l.entries[a].time.Compare(l.entries[b].time); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var out []Credit
	for _, id := range due {
		s := l.entries[id]
		s.pending = false
		c := Credit{Member: s.member, Source: SourceInvite, ID: id}
		if slices.ContainsFunc(l.leaves[s.invitee], func(t time.Time) bool { return l.cutShort(s, t) }) {
			s.canceled = true
			c.Reason = "invite: " + s.invitee + " left within " + l.rules.stay.String()
		} else {
			a := l.account(s.member)
			l.credit(a, s, l.day(s.time), &c)
			a.invited++
			c.Invited = a.invited
			if a.invited >= l.rules.unlock && !a.referral {
				a.referral, c.Unlocked = true, true
			}
		}
		out = append(out, c)
	}
	return out
}

// reverse takes back the points of s, at most the balance, and returns the
// points taken back. A settled invite that counted toward the invite
// unlock (not canceled at its settlement) stops counting.
func (l *Ledger) reverse(s *entry) int {
	a := l.account(s.member)
	if s.source == SourceInvite && !s.canceled {
		a.invited--
	}
	take := min(s.points, a.balance)
	a.balance -= take
	a.debited += take
	s.reversed = true
	return take
}

// Reverse takes back the points of the source event id, e.g. a message
// removed as a violation. It takes at most the member's balance and
// returns the points taken back and those it could not recover (already
// spent). It fails for an unknown ID, a redemption, or a source already
// reversed.
func (l *Ledger) Reverse(id string) (taken, unrecovered int, err error) {
	s, ok := l.entries[id]
	switch {
	case !ok:
		return 0, 0, fmt.Errorf("tiering: ledger: reverse: no event with ID %q", id)
	case s.redeem || s.source == 0:
		return 0, 0, fmt.Errorf("tiering: ledger: reverse: %q earned no points", id)
	case s.reversed:
		return 0, 0, fmt.Errorf("tiering: ledger: reverse: %q is already reversed", id)
	}
	if s.pending {
		s.pending, s.canceled, s.reversed = false, true, true
		return 0, 0, nil
	}
	taken = l.reverse(s)
	return taken, s.points - taken, nil
}

// Redeem spends points of a member on an item. It fails with an error
// wrapping ErrInsufficient, changing nothing, when the balance is short,
// and with one wrapping ErrCashPrize when the item is cash (see
// CashPrize) and the policy does not allow CashPrizes (seed F17).
// A non-empty id makes it idempotent: a second Redeem with the same id
// does nothing and returns nil. Points must be positive.
func (l *Ledger) Redeem(member string, points int, item, id string) error {
	if points <= 0 || points > maxAmount {
		return fmt.Errorf("tiering: ledger: redeem %d points: must be in 1..%d", points, maxAmount)
	}
	if member == "" {
		return fmt.Errorf("tiering: ledger: redeem: member is empty")
	}
	if id != "" {
		if _, dup := l.entries[id]; dup {
			return nil
		}
	}
	if !l.rules.cash && CashPrize(item) {
		return fmt.Errorf("%w: %q; rewards must fit the group, such as course vouchers, not cash (seed F17)", ErrCashPrize, item)
	}
	bal := 0
	if a, ok := l.accounts[member]; ok {
		bal = a.balance
	}
	if bal < points {
		return fmt.Errorf("%w: %s has %d, %q costs %d", ErrInsufficient, member, bal, item, points)
	}
	a := l.account(member)
	a.balance -= points
	a.debited += points
	if a.redeemed == nil {
		a.redeemed = map[string]int{}
	}
	a.redeemed[item] += points
	if id != "" {
		l.entries[id] = &entry{member: member, points: points, redeem: true}
	}
	return nil
}

// Account is a member's standing in the ledger.
type Account struct {
	Balance  int `json:"balance"`
	Credited int `json:"credited"`
	Debited  int `json:"debited"`
	Unlocks  int `json:"unlocks"` // streaks that reached StreakDays (seed F24)
	// Invited is the member's invitees who stayed (settled invites not
	// reversed); InviteUnlocked reports that they once reached
	// InviteUnlock, which unlocks the referral perk (seed F16).
	Invited        int  `json:"invited"`
	InviteUnlocked bool `json:"invite_unlocked"`
}

// Account returns a member's account (zero for an unknown member).
func (l *Ledger) Account(member string) Account {
	a, ok := l.accounts[member]
	if !ok {
		return Account{}
	}
	return Account{Balance: a.balance, Credited: a.credited, Debited: a.debited, Unlocks: a.unlocks,
		Invited: a.invited, InviteUnlocked: a.referral}
}

// Streak returns the run of consecutive check-in days of a member that
// ends on the calendar day of t (0 if the member did not check in that
// day).
func (l *Ledger) Streak(member string, t time.Time) int {
	a, ok := l.accounts[member]
	if !ok {
		return 0
	}
	d := l.day(t)
	i, found := slices.BinarySearch(a.checkins, d)
	if !found {
		return 0
	}
	n := 1
	for j := i - 1; j >= 0 && a.checkins[j] == d-int64(n); j-- {
		n++
	}
	return n
}

// Members returns the members with an account, sorted.
func (l *Ledger) Members() []string {
	out := make([]string, 0, len(l.accounts))
	for m := range l.accounts {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}
