package tiering

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/internal/jsonx"
)

// Source is where a member's points come from: the kind of act that
// earns them (seed F37: speaking, inviting, the daily check-in; and
// claims). The zero Source is none: the leaves and redemptions a ledger
// records earn nothing. In JSON and text a Source is its lowercase word.
type Source uint8

// The sources of points. The constants carry the type's name so that they
// cannot be mistaken for the event types the ledger is fed
// (qunops.Message, qunops.Checkin, ...) in the same switch.
const (
	SourceMessage Source = iota + 1 // a message: 1 point, 20 a day
	SourceInvite                    // an invitee who stayed: 10 points, 5 a day
	SourceCheckin                   // the daily check-in: 5 points, once a day
	SourceClaim                     // a claimed perk or campaign: 2 points, 5 a day
	numSources
)

var sourceNames = [numSources]string{"", "message", "invite", "checkin", "claim"}

// String returns the source's lowercase word ("checkin"), or "source(N)"
// for a value that is not a source.
func (s Source) String() string {
	if s.valid() {
		return sourceNames[s]
	}
	return "source(" + strconv.Itoa(int(s)) + ")"
}

func (s Source) valid() bool { return s >= SourceMessage && s < numSources }

// MarshalText writes the source's word; it fails for a value that is not
// a source.
func (s Source) MarshalText() ([]byte, error) {
	if !s.valid() {
		return nil, fmt.Errorf("tiering: cannot marshal %v", s)
	}
	return []byte(sourceNames[s]), nil
}

// UnmarshalText reads a word written by MarshalText. The error of an
// unknown word quotes it and lists the sources; on error s is unchanged.
func (s *Source) UnmarshalText(b []byte) error {
	i, ok := lookup(sourceNames[:], string(b))
	if !ok {
		return fmt.Errorf("tiering: %q is not a source of points (%s)", b, wordList(sourceNames[:]))
	}
	*s = Source(i)
	return nil
}

// NoPoints, as an amount or a cap of LedgerPolicy, means "none": a source
// whose amount is NoPoints earns nothing, a cap of NoPoints means no cap.
const NoPoints = -1

// maxAmount bounds amounts so that no sum of them can overflow.
const maxAmount = 1_000_000

// LedgerPolicy configures a points ledger. The zero value of each field
// means its default. The seed names the sources (F37) and the staged perk
// (F24) but no amounts; the default amounts and caps are qunops's own.
//
// In JSON the keys are the field names in snake_case and InviteStay a Go
// duration string; zero fields are left out, and so is Location, which
// code sets:
//
//	{"message_points":1,"invite_points":10,"checkin_points":5,"claim_points":2,
//	 "message_cap":20,"invite_cap":5,"claim_cap":5,"streak_days":3,"invite_stay":"168h"}
//
// Decoding rejects unknown, duplicate and wrongly spelt keys, naming them,
// and a policy that does not validate.
type LedgerPolicy struct {
	// Points for each source. Defaults: 1 a message, 10 an invite, 5 a
	// check-in, 2 a claim. NoPoints turns a source off.
	MessagePoints, InvitePoints, CheckinPoints, ClaimPoints int
	// Credited acts per member per calendar day; more earn nothing.
	// Defaults: 20 messages, 5 invites (seed F38: adding people too often
	// is a ban risk), 5 claims. NoPoints means no cap. Check-ins are always
	// capped at one a day (F37, "daily check-in").
	MessageCap, InviteCap, ClaimCap int
	// StreakDays consecutive days of check-in unlock a perk. Default 3
	// (seed F24, "check in 3 days to unlock").
	StreakDays int
	// InviteStay is how long an invitee must stay before the inviter is
	// credited. Default 7 days, the horizon of day-7 retention (seed F26).
	InviteStay time.Duration
	// Location defines calendar days for caps and streaks. Nil means
	// qunops.DefaultLocation(), Asia/Shanghai, the zone of the groups the
	// SDK serves (see package qunops). It is not part of the JSON.
	Location *time.Location
}

// DefaultLedgerPolicy returns the policy that LedgerPolicy{} means, with
// every field but Location filled in: 1 point a message (20 a day), 10 an
// invite (5 a day, after a 7-day stay), 5 a check-in (one a day), 2 a claim
// (5 a day), and a perk unlocked by 3 days of check-in in a row (seed F24).
// Location is nil, which means Asia/Shanghai.
func DefaultLedgerPolicy() LedgerPolicy {
	return LedgerPolicy{MessagePoints: 1, InvitePoints: 10, CheckinPoints: 5, ClaimPoints: 2,
		MessageCap: 20, InviteCap: 5, ClaimCap: 5, StreakDays: 3, InviteStay: 7 * 24 * time.Hour}
}

// Validate reports the first invalid field: an amount or cap below
// NoPoints or above one million, a negative streak or stay.
// The error names the field by its JSON key:
// "tiering: ledger policy: message_cap -2 must be in -1..1000000".
func (p LedgerPolicy) Validate() error {
	for _, f := range [...]struct {
		name string
		v    int
	}{{"message_points", p.MessagePoints}, {"invite_points", p.InvitePoints}, {"checkin_points", p.CheckinPoints},
		{"claim_points", p.ClaimPoints}, {"message_cap", p.MessageCap}, {"invite_cap", p.InviteCap},
		{"claim_cap", p.ClaimCap}} {
		if f.v < NoPoints || f.v > maxAmount {
			return fmt.Errorf("tiering: ledger policy: %s %d must be in -1..%d", f.name, f.v, maxAmount)
		}
	}
	if p.StreakDays < 0 {
		return fmt.Errorf("tiering: ledger policy: streak_days %d must be at least 1", p.StreakDays)
	}
	if p.InviteStay < 0 {
		return fmt.Errorf("tiering: ledger policy: invite_stay %s must not be negative", jsonx.FormatDuration(p.InviteStay))
	}
	return nil
}

func orDefault(v, def int) int {
	switch v {
	case 0:
		return def
	case NoPoints:
		return 0
	}
	return v
}

func capOrDefault(v, def int) int {
	switch v {
	case 0:
		return def
	case NoPoints:
		return -1 // no cap
	}
	return v
}

// ledgerRules are the resolved numbers.
type ledgerRules struct {
	points [numSources]int // by Source
	caps   [numSources]int // by Source; -1 no cap
	streak int
	stay   time.Duration
	loc    *time.Location
}

func (p LedgerPolicy) rules() ledgerRules {
	d := DefaultLedgerPolicy()
	r := ledgerRules{streak: p.StreakDays, stay: p.InviteStay, loc: qunops.LocationOr(p.Location)}
	r.points = [numSources]int{0, orDefault(p.MessagePoints, d.MessagePoints), orDefault(p.InvitePoints, d.InvitePoints),
		orDefault(p.CheckinPoints, d.CheckinPoints), orDefault(p.ClaimPoints, d.ClaimPoints)}
	r.caps = [numSources]int{0, capOrDefault(p.MessageCap, d.MessageCap), capOrDefault(p.InviteCap, d.InviteCap), 1,
		capOrDefault(p.ClaimCap, d.ClaimCap)}
	if r.streak == 0 {
		r.streak = d.StreakDays
	}
	if r.stay == 0 {
		r.stay = d.InviteStay
	}
	return r
}

// ErrInsufficient is returned (wrapped) by Redeem when the balance is short.
var ErrInsufficient = errors.New("tiering: insufficient points")

// Ledger is a points system (seed F37): messages, invites, daily check-ins
// and claims earn points, redeemable for prizes; consecutive check-ins
// unlock a staged perk (seed F24). Every source event credits at most once,
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
	// contains the day; Unlocked reports that this check-in made the run
	// reach StreakDays (the perk is unlocked once per run).
	Streak   int  `json:"streak,omitempty"`
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
		s.canceled = true
		if s.pending {
			s.pending = false
			continue
		}
		if !s.reversed {
			l.reverse(s)
		}
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
			l.credit(l.account(s.member), s, l.day(s.time), &c)
		}
		out = append(out, c)
	}
	return out
}

// reverse takes back the points of s, at most the balance, and returns the
// points taken back.
func (l *Ledger) reverse(s *entry) int {
	a := l.account(s.member)
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
// wrapping ErrInsufficient, changing nothing, when the balance is short.
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
	Unlocks  int `json:"unlocks"` // streaks that reached StreakDays
}

// Account returns a member's account (zero for an unknown member).
func (l *Ledger) Account(member string) Account {
	a, ok := l.accounts[member]
	if !ok {
		return Account{}
	}
	return Account{Balance: a.balance, Credited: a.credited, Debited: a.debited, Unlocks: a.unlocks}
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
