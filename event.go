package qunops

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// EventType names what happened in a group. The set is closed: an Event
// whose Type is not one of the constants below does not validate.
type EventType string

// The event vocabulary. Each constant documents what its Event must carry in
// addition to Group, Member and Time, which every event needs.
const (
	// Join: Member joined the group. Actor is the inviter, or who shared
	// the QR code scanned, if known; Text is the member's display name, if
	// known; Kind is the join channel (JoinInvite, JoinQR, JoinInviteQR),
	// if known.
	Join EventType = "join"
	// Leave: Member left or was removed. Actor is the remover, if any.
	Leave EventType = "leave"
	// Roster: Member was in the group at Time (a member-list snapshot).
	// It is not a join.
	Roster EventType = "roster"
	// Message: Member sent a message. Kind says what kind (text, image,
	// link...; empty means text) and Text holds its text. A message with
	// an Item is a broadcast of that item (a campaign, a perk).
	Message EventType = "message"
	// Read: Member read the broadcast Item. Item is required.
	Read EventType = "read"
	// Claim: Member claimed the perk or campaign Item. Item is required.
	Claim EventType = "claim"
	// Checkin: Member checked in (a daily check-in). Item optionally names
	// the check-in campaign.
	Checkin EventType = "checkin"
	// Warn: Member was warned. Actor is the admin or "rule:NAME"; Text is
	// the reason.
	Warn EventType = "warn"
	// Report: Actor reported Member (opens a dispute). Actor is required.
	Report EventType = "report"
	// Resolve: the disputes about Member were resolved. Actor is the admin.
	Resolve EventType = "resolve"
	// Rename: Member changed their display name to Text. Text is required.
	Rename EventType = "rename"
	// Title: Member renamed the group itself to Text. Text is required
	// (the new group name).
	Title EventType = "title"
)

// eventTypes lists every event type in the order of the constants.
var eventTypes = [...]EventType{Join, Leave, Roster, Message, Read, Claim, Checkin, Warn, Report, Resolve, Rename, Title}

// EventTypes returns every event type in a fixed order (the order of the
// constants). The caller owns the returned slice.
func EventTypes() []EventType {
	out := make([]EventType, len(eventTypes))
	copy(out, eventTypes[:])
	return out
}

// Valid reports whether t is one of the event type constants.
func (t EventType) Valid() bool {
	switch t {
	case Join, Leave, Roster, Message, Read, Claim, Checkin, Warn, Report, Resolve, Rename, Title:
		return true
	}
	return false
}

// Event is one thing that happened in a group. See the package
// documentation for the vocabulary and what each type requires.
type Event struct {
	Type   EventType
	Group  string    // opaque group id (WeChat: ...@chatroom)
	Member string    // the subject: joiner, leaver, sender, reader, reported member...
	Time   time.Time // when it happened; day bucketing uses a caller-given Location, not this offset
	Actor  string    // who caused it: inviter (join), remover (leave), reporter, admin, "rule:NAME"
	ID     string    // source-prefixed dedupe key, e.g. "chatlog:12345"
	Kind   string    // message kind: text image voice video sticker link miniprogram card file ...; join channel: invite qr invite-qr
	Text   string    // message text; for join and rename: the member's display name
	Item   string    // read, claim: the broadcast / campaign / perk id
}

// Validate reports the first problem that makes e unusable, naming the field
// (by its JSON Lines key). It checks that:
//   - Type is one of the constants;
//   - Group and Member are not empty;
//   - Time is set, its year lies in 0000..9999 and its UTC offset is a whole
//     number of minutes within ±23:59, so that it can be written in RFC 3339
//     exactly and read back;
//   - read and claim carry an Item, report an Actor, rename and title a Text;
//   - every string is valid UTF-8.
//
// Validate does not allocate when e is valid.
func (e Event) Validate() error { return e.validate(true) }

// validate is Validate, without the check of the strings' UTF-8 unless
// utf8Check: the Decoder's fast path checked every value as it read it.
func (e *Event) validate(utf8Check bool) error {
	if !e.Type.Valid() {
		if e.Type == "" {
			return &FieldError{Field: "type", Problem: "is empty"}
		}
		return &FieldError{Field: "type", Problem: fmt.Sprintf("%q is not an event type", string(e.Type))}
	}
	if e.Group == "" {
		return &FieldError{Type: e.Type, Field: "group", Problem: "is empty"}
	}
	if e.Member == "" {
		return &FieldError{Type: e.Type, Field: "member", Problem: "is empty"}
	}
	if e.Time.IsZero() {
		return &FieldError{Type: e.Type, Field: "time", Problem: "is zero"}
	}
	_, off := e.Time.Zone()
	// The year in the event's own offset, without computing the date.
	if local := e.Time.Unix() + int64(off); local < minLocalUnix || local >= maxLocalUnix {
		return &FieldError{Type: e.Type, Field: "time", Problem: fmt.Sprintf("year %d is outside 0000..9999", e.Time.Year())}
	}
	if off%60 != 0 {
		return &FieldError{Type: e.Type, Field: "time", Problem: fmt.Sprintf("UTC offset %ds is not a whole number of minutes", off)}
	}
	if off <= -24*3600 || off >= 24*3600 {
		// RFC 3339's ±hh:mm, and so the Decoder, stop at 23:59.
		return &FieldError{Type: e.Type, Field: "time", Problem: fmt.Sprintf("UTC offset %v is not within ±23:59", time.Duration(off)*time.Second)}
	}
	switch e.Type {
	case Read, Claim:
		if e.Item == "" {
			return &FieldError{Type: e.Type, Field: "item", Problem: "is empty"}
		}
	case Report:
		if e.Actor == "" {
			return &FieldError{Type: e.Type, Field: "actor", Problem: "is empty (the reporter)"}
		}
	case Rename:
		if e.Text == "" {
			return &FieldError{Type: e.Type, Field: "text", Problem: "is empty (the new display name)"}
		}
	case Title:
		if e.Text == "" {
			return &FieldError{Type: e.Type, Field: "text", Problem: "is empty (the new group name)"}
		}
	}
	if !utf8Check {
		return nil
	}
	for i, v := range [...]string{e.Group, e.Member, e.Actor, e.ID, e.Kind, e.Text, e.Item} {
		if !isASCII(v) && !utf8.ValidString(v) {
			field := [...]string{"group", "member", "actor", "id", "kind", "text", "item"}[i]
			return &FieldError{Type: e.Type, Field: field, Problem: "is not valid UTF-8"}
		}
	}
	return nil
}

// minLocalUnix and maxLocalUnix bound the wall-clock seconds (Unix seconds
// plus the UTC offset) of the years 0000 to 9999: 0000-01-01T00:00:00 and
// 10000-01-01T00:00:00 as if in UTC.
const (
	minLocalUnix = -62167219200
	maxLocalUnix = 253402300800
)

// isASCII reports whether s is all ASCII, 8 bytes at a time: Validate's
// quick answer for the common case, before utf8.ValidString.
func isASCII(s string) bool {
	var acc uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		acc |= load64(s, i)
	}
	switch {
	case i == len(s):
	case len(s) >= 8:
		acc |= load64(s, len(s)-8) // the tail, overlapping the last word
	default:
		for ; i < len(s); i++ {
			acc |= uint64(s[i])
		}
	}
	return acc&0x8080808080808080 == 0
}

// load64 returns the 8 bytes of s from i as a little-endian word (the
// compiler makes this one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// FieldError is the error Validate returns: which field of which event type
// is wrong, and how.
type FieldError struct {
	Type    EventType // the event's type; empty when the type itself is wrong
	Field   string    // the JSON Lines key of the field: "type", "group", "time", ...
	Problem string    // what is wrong, e.g. "is empty"
}

// Error returns the problem prefixed with "qunops: ", e.g.
// "qunops: read event: item is empty".
func (e *FieldError) Error() string { return "qunops: " + e.message() }

// message is the error text without the package prefix, for LineError.
func (e *FieldError) message() string {
	if e.Type == "" {
		return "event " + e.Field + " " + e.Problem
	}
	return string(e.Type) + " event: " + e.Field + " " + e.Problem
}
