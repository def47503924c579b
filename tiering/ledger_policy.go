package tiering

import (
	"fmt"
	"strconv"
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
// means its default. The seed names the sources (F37) and the staged perks
// (F24's 3 days of check-in, F16's 3 invites) but no amounts; the default
// amounts and caps are qunops's own.
//
// In JSON the keys are the field names in snake_case and InviteStay a Go
// duration string; zero fields are left out, and so is Location, which
// code sets:
//
//	{"message_points":1,"invite_points":10,"checkin_points":5,"claim_points":2,
//	 "message_cap":20,"invite_cap":5,"claim_cap":5,"streak_days":3,"invite_unlock":3,
//	 "invite_stay":"168h"}
//
// Decoding rejects unknown, duplicate and wrongly spelt keys, naming them,
// and a policy that does not validate.
type LedgerPolicy struct {
	// Points for each source. Defaults: 1 a message, 10 an invite, 5 a
	// check-in, 2 a claim. NoPoints turns a source off.
	MessagePoints, InvitePoints, CheckinPoints, ClaimPoints int
	// Credited acts per member per calendar day; more earn nothing.
	// Defaults, all ours: 20 messages, 5 invites, 5 claims. The seed gives
	// no number; an invite cap follows its warning that adding people too
	// often is a ban risk (seed F38). NoPoints means no cap. Check-ins are
	// always capped at one a day (F37, "daily check-in").
	MessageCap, InviteCap, ClaimCap int
	// StreakDays consecutive days of check-in unlock a perk. Default 3
	// (seed F24, "check in 3 days to unlock").
	StreakDays int
	// InviteUnlock invitees who stayed unlock a perk for their inviter,
	// once per member: the staged perk of referral, beside the check-in
	// streak. Default 3 (seed F16, "邀请3人入群解锁专属福利", invite 3
	// people to unlock an exclusive perk). An invitee counts once settled
	// (see Settle), capped or not, and stops counting when the invite is
	// reversed; the unlock, once given, stays.
	InviteUnlock int
	// CashPrizes allows redeeming points for cash (see CashPrize). Off by
	// default: rewards must fit the group's purpose, course vouchers and
	// not cash (seed F17), and transfers are a ban risk (seed F38).
	CashPrizes bool
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
// (5 a day), a perk unlocked by 3 days of check-in in a row (seed F24) and
// one unlocked by 3 invitees who stayed (seed F16), and no cash prizes
// (seed F17). Location is nil, which means Asia/Shanghai.
func DefaultLedgerPolicy() LedgerPolicy {
	return LedgerPolicy{MessagePoints: 1, InvitePoints: 10, CheckinPoints: 5, ClaimPoints: 2,
		MessageCap: 20, InviteCap: 5, ClaimCap: 5, StreakDays: 3, InviteUnlock: 3, InviteStay: 7 * 24 * time.Hour}
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
	if p.InviteUnlock < 0 || p.InviteUnlock > maxAmount {
		return fmt.Errorf("tiering: ledger policy: invite_unlock %d must be in 1..%d", p.InviteUnlock, maxAmount)
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
	unlock int // invitees who stayed that unlock the referral perk
	cash   bool
	stay   time.Duration
	loc    *time.Location
}

func (p LedgerPolicy) rules() ledgerRules {
	d := DefaultLedgerPolicy()
	r := ledgerRules{streak: p.StreakDays, unlock: p.InviteUnlock, cash: p.CashPrizes, stay: p.InviteStay, loc: qunops.LocationOr(p.Location)}
	r.points = [numSources]int{0, orDefault(p.MessagePoints, d.MessagePoints), orDefault(p.InvitePoints, d.InvitePoints),
		orDefault(p.CheckinPoints, d.CheckinPoints), orDefault(p.ClaimPoints, d.ClaimPoints)}
	r.caps = [numSources]int{0, capOrDefault(p.MessageCap, d.MessageCap), capOrDefault(p.InviteCap, d.InviteCap), 1,
		capOrDefault(p.ClaimCap, d.ClaimCap)}
	if r.streak == 0 {
		r.streak = d.StreakDays
	}
	if r.unlock == 0 {
		r.unlock = d.InviteUnlock
	}
	if r.stay == 0 {
		r.stay = d.InviteStay
	}
	return r
}
