package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qunops/qunops"
)

// The review queue of promotions (seed F6: 商业推广需管理员申请, commercial
// promotion only with an admin's approval, which needs manual review). A
// member's message holding one of Policy.Promotions, and breaking no other
// rule, is held: the engine asks for its Recall (when the event has an ID,
// whatever Policy.Recall says: a held message must not stay up), a Post
// telling the member, and a Notify asking the first admin to review it.
// The admin answers with Engine.Approve, which gives a Post of the
// promotion in the group, or Engine.Reject; a review no admin answers
// within Policy.ReviewTimeout is rejected at the Tick that finds it due.
// A member has at most one review pending per group: further promotions
// while it is pending are recalled and not queued, so that one member
// cannot bury the admins in requests. A blacklisting voids the member's
// pending reviews; a leave does not (an admin may still post what the
// member asked for). Reviews are numbered from 1 per engine; the ids
// survive a snapshot.
//
// Review ids are what admins type into an admin tool; Approve and Reject
// cost O(n) in the pending reviews, Reviews O(n log n).

// review is a held promotion.
type review struct {
	id        int
	text      string
	messageID string
	at, due   int64 // Unix ms: when it was held, when it times out
}

// Review is a promotion that awaits an admin, as Engine.Reviews lists
// them.
type Review struct {
	ID            int    // the id Approve and Reject take; Action.Review
	Group, Member string // where, and whose
	Text          string // the promotion, as the member sent it
	MessageID     string // the event ID of the held message, if it had one
	At            time.Time
	Due           time.Time // when it is rejected unless an admin answers
}

// hold holds the promotion ev for review.
func (e *Engine) hold(ev *qunops.Event, t int64) []Action {
	var acts []Action
	if ev.ID != "" {
		acts = append(acts, Action{Type: Recall, Group: ev.Group, Member: ev.Member, MessageID: ev.ID,
			Rule: RulePromotion, Time: ev.Time})
	}
	k := pair{ev.Group, ev.Member}
	if e.reviews[k] != nil {
		return acts // one pending review per member and group
	}
	e.lastReview++
	r := &review{id: e.lastReview, text: strings.Clone(ev.Text), messageID: strings.Clone(ev.ID), at: t, due: t + e.reviewT}
	e.reviews[pair{strings.Clone(ev.Group), strings.Clone(ev.Member)}] = r
	e.schedule(timer{at: r.due, kind: timerReview, group: ev.Group, member: ev.Member})
	var v [numPh]string
	v[phMember], v[phGroup], v[phName] = ev.Member, e.tx.groupName(ev.Group), e.nameOf(ev.Group, ev.Member)
	v[phReview], v[phText] = fmt.Sprint(r.id), ev.Text
	acts = append(acts, Action{Type: Post, Group: ev.Group, Member: ev.Member, Mentions: []string{ev.Member},
		Text: e.tx.tmpl[tHold].render(&v), Rule: RulePromotion, Review: r.id, Time: ev.Time})
	if len(e.policy.Admins) > 0 {
		v[phAdmin] = e.policy.Admins[0]
		acts = append(acts, Action{Type: Notify, Group: ev.Group, Member: v[phAdmin],
			Text: e.tx.tmpl[tReview].render(&v), Rule: RulePromotion, Review: r.id, Time: ev.Time})
	}
	return acts
}

// findReview returns the pending review id, O(n) in the pending reviews.
func (e *Engine) findReview(id int) (pair, *review) {
	for k, r := range e.reviews {
		if r.id == id {
			return k, r
		}
	}
	return pair{}, nil
}

// Approve approves the pending promotion review id; by must be an admin.
// It returns the Post of the promotion in its group, on the member's
// behalf (never dropped by Policy.DailyPostsMax: an admin asked for it),
// and records the act (see Audit) as "approve".
func (e *Engine) Approve(by string, id int, at time.Time) ([]Action, error) {
	return e.answer("approve", by, id, at)
}

// Reject turns down the pending promotion review id; by must be an admin.
// It returns a Post telling the member, and records the act (see Audit) as
// "reject".
func (e *Engine) Reject(by string, id int, at time.Time) ([]Action, error) {
	return e.answer("reject", by, id, at)
}

func (e *Engine) answer(act, by string, id int, at time.Time) ([]Action, error) {
	if e.groups == nil {
		return nil, fmt.Errorf("rules: %s: the engine was not made by New", act)
	}
	if !e.isAdmin(by) {
		return nil, fmt.Errorf("rules: %s by %q: not an admin", act, by)
	}
	k, r := e.findReview(id)
	if r == nil {
		return nil, fmt.Errorf("rules: %s of review %d: no such review pending", act, id)
	}
	delete(e.reviews, k)
	e.audit = append(e.audit, Record{Time: time.UnixMilli(at.UnixMilli()).UTC(), Act: act, By: by, Group: k.group, Member: k.member})
	var v [numPh]string
	v[phMember], v[phGroup], v[phName] = k.member, e.tx.groupName(k.group), e.nameOf(k.group, k.member)
	v[phReview], v[phText] = fmt.Sprint(r.id), r.text
	if act == "approve" {
		return []Action{{Type: Post, Group: k.group, Member: k.member, Text: e.tx.tmpl[tApproved].render(&v),
			Rule: RulePromotion, Review: r.id, Time: at}}, nil
	}
	return []Action{{Type: Post, Group: k.group, Member: k.member, Mentions: []string{k.member},
		Text: e.tx.tmpl[tRejected].render(&v), Rule: RulePromotion, Review: r.id, Time: at}}, nil
}

// expireReview rejects a review that no admin answered in time.
func (e *Engine) expireReview(acts []Action, tm timer, at time.Time) []Action {
	k := pair{tm.group, tm.member}
	r := e.reviews[k]
	if r == nil || r.due != tm.at {
		return acts
	}
	delete(e.reviews, k)
	var v [numPh]string
	v[phMember], v[phGroup], v[phName] = k.member, e.tx.groupName(k.group), e.nameOf(k.group, k.member)
	v[phReview] = fmt.Sprint(r.id)
	return append(acts, Action{Type: Post, Group: k.group, Member: k.member, Mentions: []string{k.member},
		Text: e.tx.tmpl[tRejected].render(&v), Rule: RulePromotion, Review: r.id, Time: at})
}

// Reviews returns the pending promotion reviews by id; times are in UTC.
// It costs O(n log n) in their number.
func (e *Engine) Reviews() []Review {
	var out []Review
	for k, r := range e.reviews {
		out = append(out, Review{ID: r.id, Group: k.group, Member: k.member, Text: r.text, MessageID: r.messageID,
			At: time.UnixMilli(r.at).UTC(), Due: time.UnixMilli(r.due).UTC()})
	}
	slices.SortFunc(out, func(a, b Review) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
