package tiering

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestViolatorWindowsF34 feeds the same warnings to the rule engine and to
// a tally and pins where their two readings of seed F34's "warned 2 or
// more times" agree and where they differ (see Policy.ViolatorWarnings):
// the engine removes a member at 2 live warnings, live for
// rules.DefaultWarnTTL (30 days, ours); tiering calls a member a violator
// at 2 warnings in its window (7 days, the week of F31-F33). Two warnings
// 7 to 30 days apart remove the member but do not make a violator.
func TestViolatorWindowsF34(t *testing.T) {
	if rules.DefaultWarnTTL != 30*day || rules.DefaultWarnLimit != 2 {
		t.Fatalf("rules: warn TTL %v, limit %d; this test reads 30 days and 2", rules.DefaultWarnTTL, rules.DefaultWarnLimit)
	}
	if w := DefaultPolicy().Window; w != 7*day || DefaultPolicy().ViolatorWarnings != 2 {
		t.Fatalf("tiering: window %v, violator warnings %d; this test reads 7 days and 2", w, DefaultPolicy().ViolatorWarnings)
	}
	tests := []struct {
		name     string
		gap      time.Duration // between the two warnings
		removed  bool          // the engine removes the member at the second
		violator bool          // tiering calls the member a violator then
	}{
		{"F34 two warnings a day apart: both", day, true, true},
		{"F34 two warnings 7 days less a minute apart: both", 7*day - time.Minute, true, true},
		{"F34 two warnings exactly 7 days apart: removed, not a violator", 7 * day, true, false},
		{"F34 two warnings 20 days apart: removed, not a violator", 20 * day, true, false},
		{"F34 two warnings 30 days less a minute apart: removed, not a violator", 30*day - time.Minute, true, false},
		{"F34 two warnings exactly 30 days apart: neither", 30 * day, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := t0
			second := first.Add(tt.gap)
			events := []qunops.Event{
				{Type: qunops.Join, Group: "g", Member: "m", Time: first.Add(-60 * day), ID: "j"},
				{Type: qunops.Message, Group: "g", Member: "m", Time: first.Add(-time.Minute), ID: "msg", Kind: qunops.KindText, Text: "hi"},
				{Type: qunops.Warn, Group: "g", Member: "m", Actor: "admin", Time: first, ID: "w1", Text: "ad"},
				{Type: qunops.Warn, Group: "g", Member: "m", Actor: "admin", Time: second, ID: "w2", Text: "ad"},
			}

			eng, err := rules.New(rules.Policy{Admins: []string{"admin"}})
			if err != nil {
				t.Fatal(err)
			}
			removed := false
			for _, e := range events {
				eng.Tick(e.Time) // a running bot ticks with the clock
				acts, err := eng.Handle(e)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range acts {
					if a.Type == rules.Remove && a.Member == "m" {
						removed = true
					}
				}
			}

			tally, err := NewTally(Policy{}, second)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if err := tally.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			a, in := tally.Activity("g", "m")
			if !in {
				t.Fatal("m is not in the group")
			}
			tier, reason := Policy{}.Classify(a, second)

			if removed != tt.removed {
				t.Errorf("engine removed %v, want %v", removed, tt.removed)
			}
			if got := tier == Violator; got != tt.violator {
				t.Errorf("tiering: %v (%s), want violator %v", tier, reason, tt.violator)
			}
			if removed && tier != Violator && a.Warnings != 1 {
				t.Errorf("the documented difference is one warning in the window, got %d", a.Warnings)
			}
		})
	}
}
