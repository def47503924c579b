package rules

import (
	"time"

	"github.com/qunops/qunops"
)

// dayOf returns the calendar day of t in Asia/Shanghai (the module's
// default zone) as days since 1970-01-01.
func dayOf(t time.Time) int64 {
	y, m, d := t.In(qunops.DefaultLocation()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// countPost counts a message of the bot itself (an echo) toward its
// group's daily total. A message of an earlier day than the one counted is
// too late to matter.
func (e *Engine) countPost(ev *qunops.Event) {
	d := dayOf(ev.Time)
	g := e.groupOf(ev.Group)
	switch {
	case d > g.postDay || g.posts == 0:
		g.postDay, g.posts = d, 1
	case d == g.postDay:
		g.posts++
	}
}

// capPosts drops, in place, the actions that would post in a group that
// reached DailyPostsMax on the day of the action (seed F23); it keeps
// Remove, Blacklist, Recall, Notify, Escalate and Retitle (a rename is no
// post). (Engine.Approve and
// Engine.Reject answer an admin and are never capped.)
func (e *Engine) capPosts(acts []Action) []Action {
	if len(acts) == 0 || len(e.policy.Self) == 0 {
		return acts
	}
	k := 0
	for _, a := range acts {
		switch a.Type {
		case Welcome, Warn, Reply, Remind, Post:
			if g := e.groups[a.Group]; g != nil && g.posts >= e.policy.DailyPostsMax && dayOf(a.Time) == g.postDay {
				continue
			}
		}
		acts[k] = a
		k++
	}
	if k == 0 {
		return nil
	}
	return acts[:k]
}
