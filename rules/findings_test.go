package rules_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestF41BenchFindings: a policy with fewer than 3 admins (seed F41: "培养至少3名核心管理员组成梯队")
// is valid but gives a finding on "admins"; 3 admins give none.
func TestF41BenchFindings(t *testing.T) {
	cases := []struct {
		name   string
		admins []string
		want   int // findings on "admins"
		text   string
	}{
		{"no admins", nil, 1, "no admins"},
		{"one admin", []string{"a1"}, 1, "1 admin, fewer than the bench of 3"},
		{"two admins, one short of the bench", []string{"a1", "a2"}, 1, "2 admins, fewer than the bench of 3"},
		{"three admins, the bench", []string{"a1", "a2", "a3"}, 0, ""},
		{"four admins", []string{"a1", "a2", "a3", "a4"}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := rules.Policy{Admins: c.admins}
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v; a small bench is legal", err)
			}
			got := p.Findings()
			if len(got) != c.want {
				t.Fatalf("Findings() = %v, want %d", got, c.want)
			}
			for _, f := range got {
				if f.Key != "admins" || f.Figure != "F41" || !strings.Contains(f.Text, c.text) {
					t.Errorf("finding %+v, want key admins, F41 and text containing %q", f, c.text)
				}
			}
		})
	}
}

// TestF41BenchKeepsEscalation: the bench check changes nothing in the
// engine; with two admins a dispute still climbs the ladder (F9, F41) to
// the second admin and then to both.
func TestF41BenchKeepsEscalation(t *testing.T) {
	steps := []step{
		on(typed(qunops.Report, "u", 0, "r"), act{rules.Notify, "g1", "a1", rules.RuleDispute, 0}),
		tick(15*mn, act{rules.Escalate, "g1", "a2", rules.RuleDispute, 1}),
		tick(30*mn, act{rules.Escalate, "g1", "a1", rules.RuleDispute, 2}, act{rules.Escalate, "g1", "a2", rules.RuleDispute, 2}),
		tick(3 * 60 * mn),
	}
	p := rules.Policy{Admins: []string{"a1", "a2"}}
	run(t, p, steps)
	if diff := cmp.Diff([]string{"admins"}, keys(p.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestF6FindingPromotionsWithoutAdmins: promotions held for review with
// no admin to approve them is a finding; with an admin, or the rule off,
// it is not.
func TestF6FindingPromotionsWithoutAdmins(t *testing.T) {
	three := []string{"a1", "a2", "a3"}
	cases := []struct {
		name string
		p    rules.Policy
		want []string
	}{
		{"no admins", rules.Policy{Promotions: []string{"推广"}}, []string{"admins", "promotions"}},
		{"admins", rules.Policy{Promotions: []string{"推广"}, Admins: three}, nil},
		{"the rule off", rules.Policy{Promotions: []string{"推广"}, Admins: nil, Off: []string{rules.RulePromotion}}, []string{"admins"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, keys(c.p.Findings())); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func keys(fs []rules.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Key)
	}
	return out
}
