package tiering

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// Action is an act that earns points.
type Action uint8

// The actions that earn points (seed F37: speaking, inviting, daily
// check-in; and claims).
const (
	MessageAction Action = iota + 1
	InviteAction
	CheckinAction
	ClaimAction
)

var actionNames = [...]string{"", "message", "invite", "checkin", "claim"}

// String returns the action's lowercase name.
func (a Action) String() string {
	if a > 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action(" + strconv.Itoa(int(a)) + ")"
}

// NoPoints, as an amount or a cap of LedgerPolicy, means "none": an action
// whose amount is NoPoints earns nothing, a cap of NoPoints means no cap.
const NoPoints = -1

// maxAmount bounds amounts so that no sum of them can overflow.
const maxAmount = 1_000_000

// LedgerPolicy configures a points ledger. The zero value of each field
// means its default. The seed names the actions (F37) and the staged perk
// (F24) but no amounts; the default amounts and caps are qunops's own.
type LedgerPolicy struct {
	// Points for each action. Defaults: 1 a message, 10 an invite, 5 a
	// check-in, 2 a claim. NoPoints turns an action off.
	Message, Invite, Checkin, Claim int `json:",omitempty"`
	// Credited actions per member per calendar day; more earn nothing.
	// Defaults: 20 messages, 5 invites (seed F38: adding people too often
	// is a ban risk), 5 claims. NoPoints means no cap. Check-ins are always
	// capped at one a day (F37, "daily check-in").
	MessageCap, InviteCap, ClaimCap int `json:",omitempty"`
	// StreakDays consecutive days of check-in unlock a perk. Default 3
	// (seed F24, "check in 3 days to unlock").
	StreakDays int `json:",omitempty"`
	// InviteStay is how long an invitee must stay before the inviter is
	// credited. Default 7 days, the horizon of day-7 retention (seed F26).
	InviteStay time.Duration `json:",omitempty"`
	// Location defines calendar days for caps and streaks. Default UTC+8,
	// China Standard Time (Asia/Shanghai without a time zone database:
	// China has kept UTC+8 without daylight saving since 1991).
	Location *time.Location `json:"-"`
}

var chinaTime = time.FixedZone("CST", 8*3600)

// Validate reports the first invalid field: an amount or cap below
// NoPoints or above one million, a negative streak or stay.
func (p LedgerPolicy) Validate() error {
	for _, f := range [...]struct {
		name string
		v    int
	}{{"message points", p.Message}, {"invite points", p.Invite}, {"checkin points", p.Checkin},
		{"claim points", p.Claim}, {"message cap", p.MessageCap}, {"invite cap", p.InviteCap},
		{"claim cap", p.ClaimCap}} {
		if f.v < NoPoints || f.v > maxAmount {
			return fmt.Errorf("tiering: ledger %s %d must be in -1..%d", f.name, f.v, maxAmount)
		}
	}
	if p.StreakDays < 0 {
		return fmt.Errorf("tiering: ledger streak days %d must be at least 1", p.StreakDays)
	}
	if p.InviteStay < 0 {
		return fmt.Errorf("tiering: ledger invite stay %v must not be negative", p.InviteStay)
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
	points [5]int // by Action
	caps   [5]int // by Action; -1 no cap
	streak int
	stay   time.Duration
	loc    *time.Location
}

func (p LedgerPolicy) rules() ledgerRules {
	r := ledgerRules{streak: p.StreakDays, stay: p.InviteStay, loc: p.Location}
	r.points = [5]int{0, orDefault(p.Message, 1), orDefault(p.Invite, 10), orDefault(p.Checkin, 5), orDefault(p.Claim, 2)}
	r.caps = [5]int{0, capOrDefault(p.MessageCap, 20), capOrDefault(p.InviteCap, 5), 1, capOrDefault(p.ClaimCap, 5)}
	if r.streak == 0 {
		r.streak = 3
	}
	if r.stay == 0 {
		r.stay = 7 * 24 * time.Hour
	}
	if r.loc == nil {
		r.loc = chinaTime
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
	sources  map[string]*source
	leaves   map[string][]time.Time // by member
	invites  map[string][]string    // invite source IDs by invitee, derived
}

type account struct {
	Balance  int              `json:"balance"`
	Credited int              `json:"credited"`
	Debited  int              `json:"debited"`
	Counts   map[int64][5]int `json:"counts,omitempty"` // credited actions by day
	Checkins []int64          `json:"checkins,omitempty"`
	Unlocks  int              `json:"unlocks,omitempty"`
	Redeemed map[string]int   `json:"redeemed,omitempty"` // points by item
}

// source is what one event ID did.
type source struct {
	Member   string    `json:"member"`
	Action   Action    `json:"action"`
	Time     time.Time `json:"time"`
	Points   int       `json:"points"`             // credited
	Invitee  string    `json:"invitee,omitempty"`  // invite: the member who joined
	Pending  bool      `json:"pending,omitempty"`  // invite not yet settled
	Canceled bool      `json:"canceled,omitempty"` // invite whose invitee left within the stay
	Reversed bool      `json:"reversed,omitempty"`
	Redeem   bool      `json:"redeem,omitempty"` // a redemption; Points are debited
}

// NewLedger returns an empty ledger under policy p.
func NewLedger(p LedgerPolicy) (*Ledger, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Ledger{policy: p, rules: p.rules(), accounts: map[string]*account{},
		sources: map[string]*source{}, leaves: map[string][]time.Time{}, invites: map[string][]string{}}, nil
}

// Credit reports what an event or a settlement did to a member's points.
type Credit struct {
	Member string
	Action Action
	Source string // the event ID
	Points int    // points credited, 0 if none
	// Reason says why: "message: +1", "message: capped at 20 on
	// 2026-03-02", "invite: pending until ...", "duplicate", ...
	Reason string
	// Streak is, for a check-in, the run of consecutive check-in days that
	// contains the day; Unlocked reports that this check-in made the run
	// reach StreakDays (the perk is unlocked once per run).
	Streak   int
	Unlocked bool
}

func (l *Ledger) day(t time.Time) int64 {
	y, m, d := t.In(l.rules.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func dayString(d int64) string { return time.Unix(d*86400, 0).UTC().Format(time.DateOnly) }

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
	var act Action
	switch e.Type {
	case qunops.Message:
		act = MessageAction
	case qunops.Checkin:
		act = CheckinAction
	case qunops.Claim:
		act = ClaimAction
	case qunops.Join:
		if e.Actor == "" || e.Actor == e.Member {
			return Credit{Member: e.Member, Source: e.ID, Reason: "join without an inviter"}, nil
		}
		act = InviteAction
	case qunops.Leave:
		return l.leave(e), nil
	default:
		return Credit{Member: e.Member, Source: e.ID, Reason: string(e.Type) + ": earns nothing"}, nil
	}
	if e.ID == "" {
		return Credit{}, fmt.Errorf("tiering: ledger: %s event of %q has no ID", e.Type, e.Member)
	}
	member := e.Member
	if act == InviteAction {
		member = e.Actor
	}
	c := Credit{Member: member, Action: act, Source: e.ID}
	if _, dup := l.sources[e.ID]; dup {
		c.Reason = "duplicate"
		return c, nil
	}
	s := &source{Member: member, Action: act, Time: e.Time}
	l.sources[e.ID] = s
	if act == InviteAction {
		s.Invitee, s.Pending = e.Member, true
		l.invites[e.Member] = append(l.invites[e.Member], e.ID)
		c.Reason = "invite: pending until " + e.Time.Add(l.rules.stay).Format(time.RFC3339)
		return c, nil
	}
	a := l.account(member)
	d := l.day(e.Time)
	if act == CheckinAction {
		c.Streak, c.Unlocked = l.checkin(a, d)
	}
	l.credit(a, s, d, &c)
	return c, nil
}

// credit books the points of source s on day d, within the cap.
func (l *Ledger) credit(a *account, s *source, d int64, c *Credit) {
	act := s.Action
	pts, limit := l.rules.points[act], l.rules.caps[act]
	counts := a.Counts[d]
	if limit >= 0 && counts[act] >= limit {
		c.Reason = act.String() + ": capped at " + strconv.Itoa(limit) + " on " + dayString(d)
		return
	}
	counts[act]++
	if a.Counts == nil {
		a.Counts = map[int64][5]int{}
	}
	a.Counts[d] = counts
	s.Points = pts
	a.Balance += pts
	a.Credited += pts
	c.Points = pts
	c.Reason = act.String() + ": +" + strconv.Itoa(pts)
}

// checkin records a check-in day and returns the run containing it and
// whether the run just reached the streak length.
func (l *Ledger) checkin(a *account, d int64) (int, bool) {
	i, found := slices.BinarySearch(a.Checkins, d)
	if !found {
		a.Checkins = slices.Insert(a.Checkins, i, d)
	}
	left := 0
	for j := i - 1; j >= 0 && a.Checkins[j] == d-int64(left)-1; j-- {
		left++
	}
	right := 0
	for j := i + 1; j < len(a.Checkins) && a.Checkins[j] == d+int64(right)+1; j++ {
		right++
	}
	run := left + 1 + right
	n := l.rules.streak
	unlocked := !found && run >= n && left < n && right < n
	if unlocked {
		a.Unlocks++
	}
	return run, unlocked
}

// leave records a leave; it cancels the leaver's pending invites whose
// stay it cuts short and reverses the settled ones.
func (l *Ledger) leave(e qunops.Event) Credit {
	c := Credit{Member: e.Member, Source: e.ID, Reason: "leave"}
	if e.ID != "" {
		if _, dup := l.sources[e.ID]; dup {
			c.Reason = "duplicate"
			return c
		}
		l.sources[e.ID] = &source{Member: e.Member, Time: e.Time}
	}
	l.leaves[e.Member] = append(l.leaves[e.Member], e.Time)
	for _, id := range l.invites[e.Member] {
		s := l.sources[id]
		if s.Canceled || !l.cutShort(s, e.Time) {
			continue
		}
		s.Canceled = true
		if s.Pending {
			s.Pending = false
			continue
		}
		if !s.Reversed {
			l.reverse(s)
		}
	}
	return c
}

func (l *Ledger) cutShort(s *source, left time.Time) bool {
	return !left.Before(s.Time) && left.Before(s.Time.Add(l.rules.stay))
}

// Settle credits the pending invites whose invitee has stayed InviteStay
// by now, in order of join time (then ID), within the inviter's daily cap
// on the join's day. It returns the credits made, capped ones included.
func (l *Ledger) Settle(now time.Time) []Credit {
	var due []string
	for id, s := range l.sources {
		if s.Pending && !now.Before(s.Time.Add(l.rules.stay)) {
			due = append(due, id)
		}
	}
	slices.SortFunc(due, func(a, b string) int {
		if c := l.sources[a].Time.Compare(l.sources[b].Time); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var out []Credit
	for _, id := range due {
		s := l.sources[id]
		s.Pending = false
		c := Credit{Member: s.Member, Action: InviteAction, Source: id}
		if slices.ContainsFunc(l.leaves[s.Invitee], func(t time.Time) bool { return l.cutShort(s, t) }) {
			s.Canceled = true
			c.Reason = "invite: " + s.Invitee + " left within " + l.rules.stay.String()
		} else {
			l.credit(l.account(s.Member), s, l.day(s.Time), &c)
		}
		out = append(out, c)
	}
	return out
}

// reverse takes back the points of s, at most the balance, and returns the
// points taken back.
func (l *Ledger) reverse(s *source) int {
	a := l.account(s.Member)
	take := min(s.Points, a.Balance)
	a.Balance -= take
	a.Debited += take
	s.Reversed = true
	return take
}

// Reverse takes back the points of the source event id, e.g. a message
// removed as a violation. It takes at most the member's balance and
// returns the points taken back and those it could not recover (already
// spent). It fails for an unknown ID, a redemption, or a source already
// reversed.
func (l *Ledger) Reverse(id string) (taken, unrecovered int, err error) {
	s, ok := l.sources[id]
	switch {
	case !ok:
		return 0, 0, fmt.Errorf("tiering: ledger: reverse: no event with ID %q", id)
	case s.Redeem || s.Action == 0:
		return 0, 0, fmt.Errorf("tiering: ledger: reverse: %q earned no points", id)
	case s.Reversed:
		return 0, 0, fmt.Errorf("tiering: ledger: reverse: %q is already reversed", id)
	}
	if s.Pending {
		s.Pending, s.Canceled, s.Reversed = false, true, true
		return 0, 0, nil
	}
	taken = l.reverse(s)
	return taken, s.Points - taken, nil
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
		if _, dup := l.sources[id]; dup {
			return nil
		}
	}
	bal := 0
	if a, ok := l.accounts[member]; ok {
		bal = a.Balance
	}
	if bal < points {
		return fmt.Errorf("%w: %s has %d, %q costs %d", ErrInsufficient, member, bal, item, points)
	}
	a := l.account(member)
	a.Balance -= points
	a.Debited += points
	if a.Redeemed == nil {
		a.Redeemed = map[string]int{}
	}
	a.Redeemed[item] += points
	if id != "" {
		l.sources[id] = &source{Member: member, Points: points, Redeem: true}
	}
	return nil
}

// Account is a member's standing in the ledger.
type Account struct {
	Balance, Credited, Debited int
	Unlocks                    int // streaks that reached StreakDays
}

// Account returns a member's account (zero for an unknown member).
func (l *Ledger) Account(member string) Account {
	a, ok := l.accounts[member]
	if !ok {
		return Account{}
	}
	return Account{Balance: a.Balance, Credited: a.Credited, Debited: a.Debited, Unlocks: a.Unlocks}
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
	i, found := slices.BinarySearch(a.Checkins, d)
	if !found {
		return 0
	}
	n := 1
	for j := i - 1; j >= 0 && a.Checkins[j] == d-int64(n); j-- {
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

type ledgerJSON struct {
	V        int                    `json:"v"`
	Policy   LedgerPolicy           `json:"policy"`
	Location string                 `json:"location"`
	Accounts map[string]*account    `json:"accounts"`
	Sources  map[string]*source     `json:"sources"`
	Leaves   map[string][]time.Time `json:"leaves,omitempty"`
}

// MarshalJSON writes the ledger's policy and state as a versioned object
// ("v": 1). The Location is written by name only.
func (l *Ledger) MarshalJSON() ([]byte, error) {
	return json.Marshal(ledgerJSON{V: 1, Policy: l.policy, Location: l.rules.loc.String(),
		Accounts: l.accounts, Sources: l.sources, Leaves: l.leaves})
}

// UnmarshalJSON replaces l with a ledger written by MarshalJSON. Since a
// time zone cannot be loaded without I/O, the location is taken from l's
// current policy (UTC+8 for a zero Ledger) and must have the name written;
// to restore a ledger in another location, make it with NewLedger and that
// location first. The state is checked (balances equal credits minus
// debits and are never negative); on error l is unchanged.
func (l *Ledger) UnmarshalJSON(b []byte) error {
	var j ledgerJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("tiering: ledger: %w", err)
	}
	if j.V != 1 {
		return fmt.Errorf("tiering: ledger: version %d is not 1", j.V)
	}
	if err := j.Policy.Validate(); err != nil {
		return fmt.Errorf("tiering: ledger: %w", err)
	}
	j.Policy.Location = l.policy.Location
	rules := j.Policy.rules()
	if rules.loc.String() != j.Location {
		return fmt.Errorf("tiering: ledger: location %q is not the ledger's %q", j.Location, rules.loc.String())
	}
	for m, a := range j.Accounts {
		switch {
		case a == nil:
			return fmt.Errorf("tiering: ledger: account %q is null", m)
		case a.Balance < 0 || a.Credited < 0 || a.Debited < 0 || a.Balance != a.Credited-a.Debited:
			return fmt.Errorf("tiering: ledger: account %q: balance %d is not credited %d - debited %d, or negative",
				m, a.Balance, a.Credited, a.Debited)
		case !slices.IsSorted(a.Checkins) || len(slices.Compact(slices.Clone(a.Checkins))) != len(a.Checkins):
			return fmt.Errorf("tiering: ledger: account %q: check-in days are not sorted and distinct", m)
		}
	}
	invites := map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(j.Sources)) {
		s := j.Sources[id]
		if s == nil || int(s.Action) >= len(actionNames) || s.Points < 0 || s.Points > maxAmount ||
			(s.Action == InviteAction) != (s.Invitee != "") {
			return fmt.Errorf("tiering: ledger: source %q is invalid", id)
		}
		if s.Action == InviteAction {
			invites[s.Invitee] = append(invites[s.Invitee], id)
		}
	}
	if j.Accounts == nil {
		j.Accounts = map[string]*account{}
	}
	if j.Sources == nil {
		j.Sources = map[string]*source{}
	}
	if j.Leaves == nil {
		j.Leaves = map[string][]time.Time{}
	}
	l.policy, l.rules, l.accounts, l.sources, l.leaves, l.invites = j.Policy, rules, j.Accounts, j.Sources, j.Leaves, invites
	return nil
}
