package rules

import "time"

// ActionType names what the bot should do.
type ActionType string

// The actions an Engine asks for. The caller performs them; the engine
// assumes it does (a Remove is followed by the member's leave event).
const (
	// Welcome: post Text in Group. Member lists the ids of the welcomed
	// members, comma-separated, in the order they joined.
	Welcome ActionType = "welcome"
	// Warn: post Text in Group, warning Member. Level is the member's live
	// warnings in Group, this one included.
	Warn ActionType = "warn"
	// Remove: remove Member from Group and post Text, the removal notice.
	// Level is the live warnings that led to it, or 0 for a prohibited
	// keyword or the blacklist.
	Remove ActionType = "remove"
	// Blacklist: record Member as blacklisted (the engine already did, for
	// all of its groups); Text is the reason.
	Blacklist ActionType = "blacklist"
	// Reply: post Text, an auto reply to Member's message, in Group.
	Reply ActionType = "reply"
	// Remind: post Text in Group, asking Member for a nickname that fits.
	Remind ActionType = "remind"
	// Notify: send Text privately to Member, an admin: a new dispute, or a
	// blacklisted member who tried to join Group.
	Notify ActionType = "notify"
	// Escalate: send Text privately to Member, an admin: a dispute waited
	// too long. Level is the step of the ladder (1 for the second admin...;
	// the last step, to all admins, gives one Escalate per admin).
	Escalate ActionType = "escalate"
	// Recall: recall the offending message of Member in Group; Text is the
	// message's event ID.
	Recall ActionType = "recall"
)

// Action is one thing the engine asks the caller to do. Rule names the rule
// that produced it (RuleLink, RuleWelcome..., or "reply:NAME").
//
// Time is the event's own time for the actions of Handle, and the moment the
// timer fell due (in the location of Tick's argument) for those of Tick.
type Action struct {
	Type   ActionType
	Group  string
	Member string
	Text   string
	Rule   string
	Level  int
	Time   time.Time
}
