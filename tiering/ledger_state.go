package tiering

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// ledgerPolicyJSON is the JSON form of a LedgerPolicy.
type ledgerPolicyJSON struct {
	MessagePoints int            `json:"message_points,omitempty"`
	InvitePoints  int            `json:"invite_points,omitempty"`
	CheckinPoints int            `json:"checkin_points,omitempty"`
	ClaimPoints   int            `json:"claim_points,omitempty"`
	MessageCap    int            `json:"message_cap,omitempty"`
	InviteCap     int            `json:"invite_cap,omitempty"`
	ClaimCap      int            `json:"claim_cap,omitempty"`
	StreakDays    int            `json:"streak_days,omitempty"`
	InviteUnlock  int            `json:"invite_unlock,omitempty"`
	CashPrizes    bool           `json:"cash_prizes,omitempty"`
	InviteStay    jsonx.Duration `json:"invite_stay,omitempty"`
}

func (p LedgerPolicy) toJSON() ledgerPolicyJSON {
	return ledgerPolicyJSON{MessagePoints: p.MessagePoints, InvitePoints: p.InvitePoints,
		CheckinPoints: p.CheckinPoints, ClaimPoints: p.ClaimPoints, MessageCap: p.MessageCap,
		InviteCap: p.InviteCap, ClaimCap: p.ClaimCap, StreakDays: p.StreakDays, InviteUnlock: p.InviteUnlock,
		CashPrizes: p.CashPrizes, InviteStay: jsonx.Duration(p.InviteStay)}
}

// policy returns the LedgerPolicy of j in location loc, validated.
func (j ledgerPolicyJSON) policy(loc *time.Location) (LedgerPolicy, error) {
	p := LedgerPolicy{MessagePoints: j.MessagePoints, InvitePoints: j.InvitePoints,
		CheckinPoints: j.CheckinPoints, ClaimPoints: j.ClaimPoints, MessageCap: j.MessageCap,
		InviteCap: j.InviteCap, ClaimCap: j.ClaimCap, StreakDays: j.StreakDays, InviteUnlock: j.InviteUnlock,
		CashPrizes: j.CashPrizes, InviteStay: time.Duration(j.InviteStay), Location: loc}
	return p, p.Validate()
}

// MarshalJSON writes p with snake_case keys, InviteStay as a Go duration
// string ("168h") and zero fields left out. Location is not written.
func (p LedgerPolicy) MarshalJSON() ([]byte, error) { return json.Marshal(p.toJSON()) }

// UnmarshalJSON reads a policy written by MarshalJSON or by hand, keeping
// p's Location, which JSON does not carry. Unknown, duplicate and wrongly
// spelt keys, malformed durations and a policy that does not validate are
// errors that name the key. On error p is unchanged.
func (p *LedgerPolicy) UnmarshalJSON(b []byte) error {
	var j ledgerPolicyJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("tiering: ledger policy: %w", err)
	}
	q, err := j.policy(p.Location)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ledgerVersion is the version of the ledger's JSON. Version 1 (before
// the JSON conventions of issue 14) had Go-named policy keys, integer
// sources and day numbers; it is not read.
const ledgerVersion = 2

// ledgerJSON is the JSON form of a Ledger.
type ledgerJSON struct {
	V        int                    `json:"v"`
	Policy   ledgerPolicyJSON       `json:"policy"`
	Location string                 `json:"location"`
	Accounts map[string]accountJSON `json:"accounts"`
	Entries  map[string]entryJSON   `json:"entries"`
	Leaves   map[string][]time.Time `json:"leaves,omitempty"`
}

type accountJSON struct {
	Balance  int `json:"balance"`
	Credited int `json:"credited"`
	Debited  int `json:"debited"`
	// Counts are the credited acts by calendar day in the ledger's
	// location ("2026-03-02", RFC 3339's full-date) and source.
	Counts   map[string]sourceCounts `json:"counts,omitempty"`
	Checkins []string                `json:"checkins,omitempty"` // days, sorted
	Unlocks  int                     `json:"unlocks,omitempty"`
	// InviteUnlocked: the referral perk is unlocked (seed F16). The count
	// of invitees who stayed is not stored: it follows from the entries.
	InviteUnlocked bool           `json:"invite_unlocked,omitempty"`
	Redeemed       map[string]int `json:"redeemed,omitempty"` // points by item
}

// sourceCounts is one day's credited acts, keyed by the sources' words.
type sourceCounts struct {
	Message int `json:"message,omitempty"`
	Invite  int `json:"invite,omitempty"`
	Checkin int `json:"checkin,omitempty"`
	Claim   int `json:"claim,omitempty"`
}

type entryJSON struct {
	Member   string    `json:"member"`
	Source   Source    `json:"source,omitempty"`
	Time     time.Time `json:"time,omitzero"`
	Points   int       `json:"points"`
	Invitee  string    `json:"invitee,omitempty"`
	Pending  bool      `json:"pending,omitempty"`
	Canceled bool      `json:"canceled,omitempty"`
	Reversed bool      `json:"reversed,omitempty"`
	Redeem   bool      `json:"redeem,omitempty"`
}

// MarshalJSON writes the ledger's policy and state as a versioned object
// ("v": 2) in the package's JSON conventions: snake_case keys, sources as
// words, times in RFC 3339 and calendar days as "2026-03-02". The
// location is written by name only. The output is deterministic.
func (l *Ledger) MarshalJSON() ([]byte, error) {
	j := ledgerJSON{V: ledgerVersion, Policy: l.policy.toJSON(), Location: l.rules.loc.String(),
		Accounts: make(map[string]accountJSON, len(l.accounts)), Entries: make(map[string]entryJSON, len(l.entries)),
		Leaves: l.leaves}
	for m, a := range l.accounts {
		aj := accountJSON{Balance: a.balance, Credited: a.credited, Debited: a.debited, Unlocks: a.unlocks,
			InviteUnlocked: a.referral, Redeemed: a.redeemed}
		if len(a.counts) > 0 {
			aj.Counts = make(map[string]sourceCounts, len(a.counts))
			for d, c := range a.counts {
				aj.Counts[dayString(d)] = sourceCounts{c[SourceMessage], c[SourceInvite], c[SourceCheckin], c[SourceClaim]}
			}
		}
		for _, d := range a.checkins {
			aj.Checkins = append(aj.Checkins, dayString(d))
		}
		j.Accounts[m] = aj
	}
	for id, e := range l.entries {
		j.Entries[id] = entryJSON{Member: e.member, Source: e.source, Time: e.time, Points: e.points,
			Invitee: e.invitee, Pending: e.pending, Canceled: e.canceled, Reversed: e.reversed, Redeem: e.redeem}
	}
	return json.Marshal(j)
}

// UnmarshalJSON replaces l with a ledger written by MarshalJSON. Decoding
// is strict: an unknown, duplicate or wrongly spelt key, an unknown source
// word or a malformed time is an error that names it. Since a time zone
// cannot be loaded without I/O, the location is taken from l's current
// policy (Asia/Shanghai for a zero Ledger) and must have the name written;
// to restore a ledger in another location, make it with NewLedger and that
// location first. The state is checked (balances equal credits minus
// debits and are never negative, days are dates, entries are consistent).
// On error l is unchanged and still usable.
func (l *Ledger) UnmarshalJSON(b []byte) error {
	var j ledgerJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return stateErr("ledger", err)
	}
	if j.V != ledgerVersion {
		return fmt.Errorf("tiering: ledger: version %d is not %d", j.V, ledgerVersion)
	}
	policy, err := j.Policy.policy(l.policy.Location)
	if err != nil {
		return stateErr("ledger", err)
	}
	rules := policy.rules()
	if rules.loc.String() != j.Location {
		return fmt.Errorf("tiering: ledger: location %q is not the ledger's %q", j.Location, rules.loc.String())
	}
	accounts := make(map[string]*account, len(j.Accounts))
	for m, aj := range j.Accounts {
		a, err := aj.account()
		if err != nil {
			return fmt.Errorf("tiering: ledger: account %q: %v", m, err)
		}
		accounts[m] = a
	}
	entries := make(map[string]*entry, len(j.Entries))
	invites := map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(j.Entries)) {
		e := j.Entries[id]
		if e.Member == "" || e.Points < 0 || e.Points > maxAmount || (e.Source == SourceInvite) != (e.Invitee != "") ||
			(e.Redeem && e.Source != 0) {
			return fmt.Errorf("tiering: ledger: entry %q is invalid", id)
		}
		entries[id] = &entry{member: e.Member, source: e.Source, time: e.Time, points: e.Points, invitee: e.Invitee,
			pending: e.Pending, canceled: e.Canceled, reversed: e.Reversed, redeem: e.Redeem}
		if e.Source == SourceInvite {
			invites[e.Invitee] = append(invites[e.Invitee], id)
			if !e.Pending && !e.Canceled && !e.Reversed {
				a := accounts[e.Member]
				if a == nil {
					return fmt.Errorf("tiering: ledger: entry %q: settled invite of %q, who has no account", id, e.Member)
				}
				a.invited++
			}
		}
	}
	for _, a := range accounts {
		// A state written before the invite unlock (issue 19) has no flag:
		// the invitees who stayed tell.
		a.referral = a.referral || a.invited >= rules.unlock
	}
	if j.Leaves == nil {
		j.Leaves = map[string][]time.Time{}
	}
	l.policy, l.rules, l.accounts, l.entries, l.leaves, l.invites = policy, rules, accounts, entries, j.Leaves, invites
	return nil
}

// account checks aj and returns the account it describes.
func (aj accountJSON) account() (*account, error) {
	if aj.Balance < 0 || aj.Credited < 0 || aj.Debited < 0 || aj.Balance != aj.Credited-aj.Debited {
		return nil, fmt.Errorf("balance %d is not credited %d - debited %d, or negative", aj.Balance, aj.Credited, aj.Debited)
	}
	if aj.Unlocks < 0 {
		return nil, fmt.Errorf("unlocks %d is negative", aj.Unlocks)
	}
	a := &account{balance: aj.Balance, credited: aj.Credited, debited: aj.Debited, unlocks: aj.Unlocks,
		referral: aj.InviteUnlocked, redeemed: aj.Redeemed}
	for s, c := range aj.Counts {
		d, err := parseDay(s)
		if err != nil {
			return nil, fmt.Errorf("counts: %v", err)
		}
		if c.Message < 0 || c.Invite < 0 || c.Checkin < 0 || c.Claim < 0 {
			return nil, fmt.Errorf("counts: %s has a negative count", s)
		}
		if a.counts == nil {
			a.counts = make(map[int64][numSources]int, len(aj.Counts))
		}
		a.counts[d] = [numSources]int{0, c.Message, c.Invite, c.Checkin, c.Claim}
	}
	for i, s := range aj.Checkins {
		d, err := parseDay(s)
		if err != nil {
			return nil, fmt.Errorf("checkins[%d]: %v", i, err)
		}
		if i > 0 && d <= a.checkins[i-1] {
			return nil, fmt.Errorf("checkins[%d]: %s is not after %s", i, s, aj.Checkins[i-1])
		}
		a.checkins = append(a.checkins, d)
	}
	for item, p := range aj.Redeemed {
		if p < 0 {
			return nil, fmt.Errorf("redeemed %q: %d points is negative", item, p)
		}
	}
	return a, nil
}

// dayString writes day number d (days since 1970-01-01) as a date,
// "2026-03-02"; years outside 0000..9999 are written with a sign or more
// digits ("-0001-12-31", "10000-01-01"), which parseDay reads back.
func dayString(d int64) string { return time.Unix(d*86400, 0).UTC().Format(time.DateOnly) }

// parseDay reads a date written by dayString.
func parseDay(s string) (int64, error) {
	n := len(s)
	bad := fmt.Errorf("%q is not a date like \"2026-03-02\"", s)
	if n < 10 || s[n-6] != '-' || s[n-3] != '-' {
		return 0, bad
	}
	y, err1 := strconv.Atoi(s[:n-6])
	m, err2 := strconv.Atoi(s[n-5 : n-3])
	d, err3 := strconv.Atoi(s[n-2:])
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, bad
	}
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	if dayString(day) != s { // month 13, day 31 of April, "+2026", ...
		return 0, bad
	}
	return day, nil
}

// stateErr wraps an error met while decoding the state of what ("ledger",
// "reviewer"), dropping the package prefix of the errors it contains so
// that the message starts with it once: `tiering: reviewer:
// members.m.tier: "gold" is not a tier (...)`.
func stateErr(what string, err error) error {
	msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "tiering: "), ": tiering: ", ": ")
	return fmt.Errorf("tiering: %s: %s", what, msg)
}
