package rules

import (
	"fmt"
	"slices"
	"time"
)

// ActionType names what the bot should do.
type ActionType string

// The actions an Engine asks for. The caller performs them; the engine
// assumes it does (a Remove is followed by the member's leave event).
const (
	// Welcome: post Text in Group. Members lists the ids of the welcomed
	// members in the order they joined; Mentions the ones Text names (at
	// most WelcomeNamesMax). Member is empty.
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
	// Remind: post Text in Group, asking Member for a nickname that fits
	// (RuleNickname) or for the join passphrase (RulePassphrase).
	Remind ActionType = "remind"
	// Notify: send Text privately to Member, an admin: a new dispute, a
	// blacklisted member who tried to join Group, a risk (RuleInvite,
	// RuleTransfer, RuleCompetitor) or a promotion to review
	// (RulePromotion, with its Review id). The Level of a RuleInvite
	// Notify is the joins the member brought in within the window.
	Notify ActionType = "notify"
	// Escalate: send Text privately to Member, an admin: a dispute waited
	// too long. Level is the step of the ladder (1 for the second admin...;
	// the last step, to all admins, gives one Escalate per admin).
	Escalate ActionType = "escalate"
	// Recall: recall the offending message MessageID of Member in Group.
	// A message whose event has no ID gets no Recall.
	Recall ActionType = "recall"
	// Post: post Text in Group, a notice of the engine that answers no
	// message of its own: a held promotion's notice to Member, the
	// promotion an admin approved (on Member's behalf), or its rejection.
	// Review is the promotion review's id. Mentions lists whom to
	// @-mention.
	Post ActionType = "post"
	// Retitle: set the name of Group back to Text (RuleTitle): Member, who
	// is not an admin, renamed it while Policy.LockTitle is on.
	Retitle ActionType = "retitle"
)

// ActionTypes returns every action type, in the order of the constants.
func ActionTypes() []ActionType {
	return []ActionType{Welcome, Warn, Remove, Blacklist, Reply, Remind, Notify, Escalate, Recall, Post, Retitle}
}

// UnmarshalText reads an action type's word, rejecting words that are not
// one of the constants (the JSON of an Action a program stored).
func (t *ActionType) UnmarshalText(b []byte) error {
	if !slices.Contains(ActionTypes(), ActionType(b)) {
		return fmt.Errorf("rules: unknown action type %q (want one of %v)", b, ActionTypes())
	}
	*t = ActionType(b)
	return nil
}

// Action is one thing the engine asks the caller to do. Rule names the rule
// that produced it (RuleLink, RuleWelcome..., or "reply:NAME").
//
// Time is the event's own time for the actions of Handle, and the moment the
// timer fell due (in the location of Tick's argument) for those of Tick.
//
// In JSON its keys are the field names in snake_case, empty ones left out:
//
//	{"type":"warn","group":"g1@chatroom","member":"wxid_x","text":"...","rule":"link","level":1,"time":"2026-03-02T09:00:00+08:00"}
type Action struct {
	Type   ActionType `json:"type"`
	Group  string     `json:"group"`
	Member string     `json:"member,omitempty"`
	Text   string     `json:"text,omitempty"`
	Rule   string     `json:"rule,omitempty"`
	Level  int        `json:"level,omitempty"`
	Time   time.Time  `json:"time"`
	// MessageID is the event ID of the message a Recall recalls.
	MessageID string `json:"message_id,omitempty"`
	// Members lists the members an action is about when there are several
	// (a Welcome's newcomers).
	Members []string `json:"members,omitempty"`
	// Mentions lists the ids a transport should @-mention with Text: the
	// warned, reminded or answered member, the newcomers a Welcome names.
	Mentions []string `json:"mentions,omitempty"`
	// Review is the id of the promotion review the action is about
	// (RulePromotion), the id Engine.Approve and Engine.Reject take.
	Review int `json:"review,omitempty"`
}
