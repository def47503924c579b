package rules_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// reviewPolicy holds messages that say 推广 or 团购 for an admin's review.
func reviewPolicy() rules.Policy {
	return lax(rules.Policy{Admins: []string{"a1", "a2", "a3"}, Promotions: []string{"推广", "团购"}})
}

// held is what a held promotion of member gives: a Recall (the table's
// events have IDs), a Post to the member and a Notify to the first admin.
func held(member string) []act {
	return []act{{rules.Recall, "g1", member, rules.RulePromotion, 0}, {rules.Post, "g1", member, rules.RulePromotion, 0},
		{rules.Notify, "g1", "a1", rules.RulePromotion, 0}}
}

// TestF6PromotionReview: a member's promotion is held for an admin's
// approval (seed F6: 商业推广需管理员申请); one pending review per member
// and group; other offences come first; admins are not held.
func TestF6PromotionReview(t *testing.T) {
	cases := []struct {
		name  string
		p     rules.Policy
		steps []step
	}{
		{"F6 a promotion is recalled and sent for review", reviewPolicy(), []step{
			on(msg("u", 0, "本周团购:牛奶八折"), held("u")...),
		}},
		{"F6 a second promotion while one is pending is only recalled", reviewPolicy(), []step{
			on(msg("u", 0, "推广一下"), held("u")...),
			on(msg("u", mn, "再推广一下"), act{rules.Recall, "g1", "u", rules.RulePromotion, 0}),
			on(msg("v", mn, "我也推广"), held("v")...),
		}},
		{"F6 no review expires into a rejection after 24 hours", reviewPolicy(), []step{
			on(msg("u", 0, "推广一下"), held("u")...),
			tick(day-1, nil...),
			tick(day, act{rules.Post, "g1", "u", rules.RulePromotion, 0}),
			on(msg("u", day+mn, "推广一下"), held("u")...),
		}},
		{"F6 a link in a promotion is warned, not reviewed", reviewPolicy(), []step{
			on(msg("u", 0, "推广 t.cn/x"), warn("u", rules.RuleLink, 1)),
		}},
		{"F6 an admin's promotion is not held", reviewPolicy(), []step{
			on(msg("a2", 0, "推广一下")),
		}},
		{"F6 the rule can be switched off", rules.Policy{Promotions: []string{"推广"}, Off: []string{rules.RulePromotion}}, []step{
			on(msg("u", 0, "推广一下")),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { run(t, c.p, c.steps) })
	}
}

// TestF6ApproveReject: admins answer reviews by id; the approval posts the
// promotion, the rejection tells the member; both are audited; anyone else
// and a review no longer pending are errors that change nothing.
func TestF6ApproveReject(t *testing.T) {
	e, err := rules.New(reviewPolicy())
	if err != nil {
		t.Fatal(err)
	}
	first := handle(t, e, qunops.Event{Type: qunops.Message, Group: "g1", Member: "u", Time: t0, Text: "本周团购", ID: "wx:1"})
	handle(t, e, qunops.Event{Type: qunops.Message, Group: "g1", Member: "v", Time: t0, Text: "推广", ID: "wx:2"})
	if len(first) != 3 || first[0].MessageID != "wx:1" || first[1].Review != 1 || first[2].Review != 1 {
		t.Fatalf("hold: %+v", first)
	}
	if !strings.Contains(first[2].Text, "本周团购") || !strings.Contains(first[2].Text, "编号1") {
		t.Errorf("the admin's notice %q lacks the promotion or its id", first[2].Text)
	}
	want := []rules.Review{
		{ID: 1, Group: "g1", Member: "u", Text: "本周团购", MessageID: "wx:1", At: t0.UTC(), Due: t0.Add(day).UTC()},
		{ID: 2, Group: "g1", Member: "v", Text: "推广", MessageID: "wx:2", At: t0.UTC(), Due: t0.Add(day).UTC()},
	}
	if diff := cmp.Diff(want, e.Reviews()); diff != "" {
		t.Fatalf("Reviews (-want +got):\n%s", diff)
	}
	before := snapshot(t, e)
	for _, bad := range []struct {
		name string
		call func() ([]rules.Action, error)
		want string
	}{
		{"by a member", func() ([]rules.Action, error) { return e.Approve("u", 1, t0) }, `rules: approve by "u": not an admin`},
		{"of no review", func() ([]rules.Action, error) { return e.Reject("a1", 7, t0) }, "rules: reject of review 7: no such review pending"},
	} {
		if got, err := bad.call(); got != nil || err == nil || err.Error() != bad.want {
			t.Errorf("%s: %+v, %v; want error %q", bad.name, got, err, bad.want)
		}
	}
	if after := snapshot(t, e); after != before {
		t.Errorf("a failed answer changed the engine:\n%s\n%s", before, after)
	}
	ok, err := e.Approve("a2", 1, t0.Add(mn))
	if err != nil {
		t.Fatal(err)
	}
	if len(ok) != 1 || ok[0].Type != rules.Post || ok[0].Text != "经管理员批准,u 的推广:本周团购" || ok[0].Review != 1 {
		t.Errorf("Approve: %+v", ok)
	}
	no, err := e.Reject("a3", 2, t0.Add(mn))
	if err != nil {
		t.Fatal(err)
	}
	if len(no) != 1 || no[0].Type != rules.Post || no[0].Text != "@v 你的推广(编号2)未获管理员批准" || no[0].Member != "v" {
		t.Errorf("Reject: %+v", no)
	}
	if _, err := e.Approve("a1", 1, t0.Add(2*mn)); err == nil {
		t.Error("a review approved twice")
	}
	if got := e.Reviews(); got != nil {
		t.Errorf("Reviews after the answers: %+v", got)
	}
	audit := e.Audit()
	if len(audit) != 2 || audit[0].Act != "approve" || audit[0].By != "a2" || audit[1].Act != "reject" || audit[1].Member != "v" {
		t.Errorf("Audit: %+v", audit)
	}
	if got := e.Tick(t0.Add(2 * day)); got != nil {
		t.Errorf("an answered review timed out: %+v", got)
	}
}

// TestF6ReviewSnapshot: pending reviews and the id counter survive a
// snapshot (version 4): the restored engine approves the same review the
// same way and numbers the next one on.
func TestF6ReviewSnapshot(t *testing.T) {
	e, err := rules.New(reviewPolicy())
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("u", 0, "推广"))
	handle(t, e, msg("v", 0, "推广"))
	if _, err := e.Reject("a1", 2, t0); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"reviews":[{"id":1,"group":"g1","member":"u","text":"推广","at":"2026-03-02T00:00:00Z","due":"2026-03-03T00:00:00Z"}],"last_review":2`; !strings.Contains(string(data), want) {
		t.Errorf("snapshot lacks %s:\n%s", want, data)
	}
	var r rules.Engine
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	a, errA := e.Approve("a1", 1, t0.Add(mn))
	b, errB := r.Approve("a1", 1, t0.Add(mn))
	if errA != nil || errB != nil || !cmp.Equal(a, b) {
		t.Errorf("Approve after restore: %+v, %v; original %+v, %v", b, errB, a, errA)
	}
	next := handle(t, &r, msg("w", 2*mn, "推广"))
	if len(next) < 2 || next[1].Review != 3 {
		t.Errorf("the next review after restore: %+v, want id 3", next)
	}
}

// TestF6BanVoidsReviews: a member blacklisted while a review is pending
// loses it; the timeout posts nothing.
func TestF6BanVoidsReviews(t *testing.T) {
	e, err := rules.New(reviewPolicy())
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("u", 0, "推广"))
	if _, err := e.Ban("a1", "g1", "u", t0.Add(mn)); err != nil {
		t.Fatal(err)
	}
	if got := e.Reviews(); got != nil {
		t.Errorf("Reviews after the ban: %+v", got)
	}
	if got := e.Tick(t0.Add(2 * day)); got != nil {
		t.Errorf("Tick: %+v", got)
	}
}

// TestF6ReviewSetPolicy: a new policy keeps the pending reviews, even
// without Promotions, and a new ReviewTimeout leaves their due times.
func TestF6ReviewSetPolicy(t *testing.T) {
	e, err := rules.New(reviewPolicy())
	if err != nil {
		t.Fatal(err)
	}
	handle(t, e, msg("u", 0, "推广"))
	handle(t, e, msg("v", 0, "推广"))
	if err := e.SetPolicy(lax(rules.Policy{Admins: []string{"a1"}, ReviewTimeout: hour})); err != nil {
		t.Fatal(err)
	}
	if got := handle(t, e, msg("w", mn, "推广")); got != nil {
		t.Errorf("a promotion under a policy without Promotions: %+v", acts(got))
	}
	if _, err := e.Approve("a1", 1, t0.Add(mn)); err != nil {
		t.Errorf("Approve after SetPolicy: %v", err)
	}
	if got := e.Tick(t0.Add(day - 1)); got != nil {
		t.Errorf("review 2 timed out before its own due time: %+v", acts(got))
	}
	if diff := cmp.Diff([]act{{rules.Post, "g1", "v", rules.RulePromotion, 0}}, acts(e.Tick(t0.Add(day)))); diff != "" {
		t.Errorf("timeout (-want +got):\n%s", diff)
	}
}
