package rules_test

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestItemDailyPostsCap: once the bot's own posts in a group reach
// DailyPostsMax on a calendar day (seed F23: at most 50 messages a day),
// only what is not a post is emitted there: removals, blacklistings,
// recalls and the admins' notices; warnings still count (issue 15, "What to
// deliver": the bot's outgoing messages counted per group and day).
func TestItemDailyPostsCap(t *testing.T) {
	p := rules.Policy{Self: []string{"bot"}, Admins: []string{"a1"}, DailyPostsMax: 3, Recall: true,
		Replies: []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9点"}}}
	rc := func(m string) act { return act{rules.Recall, "g1", m, rules.RuleLink, 0} }
	// t0 is 08:00 in Shanghai; the next calendar day starts 16 hours on.
	nextDay := 16 * hour
	run(t, p, []step{
		on(msg("bot", 0, "早上好")),
		on(msg("bot", mn, "今日活动")),
		on(join("g1", "n", mn, "")),
		tick(2*mn, act{rules.Welcome, "g1", "n", rules.RuleWelcome, 0}), // the third post is still to come
		on(msg("bot", 3*mn, "欢迎新朋友")),                                   // the welcome's echo: 3 of 3
		on(join("g1", "m", 4*mn, "")),
		on(in("g2", join("g2", "m", 4*mn, ""))),
		tick(6*mn, act{rules.Welcome, "g2", "m", rules.RuleWelcome, 0}), // g1 is over its cap
		on(msg("u", 7*mn, "几点")),                                        // no reply
		on(msg("s", 8*mn, "t.cn/x"), rc("s")),                           // the warning counts, unsaid
		on(msg("s", 9*mn, "t.cn/y"), append([]act{rc("s")}, removed("s", rules.RuleLink, 2)...)...),
		on(typed(qunops.Report, "x", 10*mn, "u"), act{rules.Notify, "g1", "a1", rules.RuleDispute, 0}),
		on(msg("v", nextDay, "t.cn/z"), rc("v"), warn("v", rules.RuleLink, 1)), // a new day
		on(msg("u", nextDay+time.Second, "几点"), act{rules.Reply, "g1", "u", rules.RuleReply, 0}),
	})
}
