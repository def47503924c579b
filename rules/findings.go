package rules

import (
	"fmt"
	"slices"
)

// MinAdmins is the smallest bench of admins the seed asks for: "培养至少3名核心管理员组成梯队,
// 避免人员变动导致停摆" (seed F41: at least 3 core admins as a ladder, so
// that the group does not stall when people change).
const MinAdmins = 3

// Finding is a weakness of a policy that Validate accepts: the policy
// works, but it goes against a seed figure, and an operator should look at
// it before deploying.
type Finding struct {
	// Key is the JSON key of the field concerned: "admins".
	Key string
	// Figure is the seed figure the policy falls short of: "F41".
	Figure string
	// Text says what is wrong, in English, with the values.
	Text string
}

// String describes f in one line: its key, text and seed figure.
func (f Finding) String() string { return f.Key + ": " + f.Text + " (" + f.Figure + ")" }

// Findings reports the weaknesses of p, in the order of its fields; nil
// when there are none. It does not validate p (see Validate): one admin,
// or none, is legal, and the engine escalates disputes along whatever
// ladder the admins make.
//
//   - admins: fewer than MinAdmins (3) admins. The seed's bench (F41) is a
//     team that survives turnover; the same list is the dispute ladder
//     (F9), which with fewer admins has fewer steps before it reaches
//     everyone, and with none notifies no one.
//   - promotions: promotions are held for review (F6) but there is no
//     admin to approve them, so every one times out rejected.
func (p Policy) Findings() []Finding {
	var out []Finding
	if n := len(p.Admins); n < MinAdmins {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		text := fmt.Sprintf("%d admin%s, fewer than the bench of %d core admins the seed asks for so that the group survives turnover; the dispute ladder has %d step%s", n, plural, MinAdmins, n, plural)
		if n == 0 {
			text = fmt.Sprintf("no admins, where the seed asks for a bench of %d core admins; disputes and alerts notify no one", MinAdmins)
		}
		out = append(out, Finding{Key: "admins", Figure: "F41", Text: text})
	}
	if len(p.Promotions) > 0 && len(p.Admins) == 0 && !slices.Contains(p.Off, RulePromotion) {
		out = append(out, Finding{Key: "promotions", Figure: "F6",
			Text: fmt.Sprintf("%d promotion keywords hold messages for an admin's approval, but there are no admins: every promotion is rejected when it times out", len(p.Promotions))})
	}
	return out
}
