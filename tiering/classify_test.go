package tiering

import (
	"testing"
	"time"

	"github.com/qunops/qunops"
)

// shanghai is the SDK's home zone, which a nil location means.
var shanghai = qunops.DefaultLocation()

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)

// TestClassifyBoundariesF31toF34 walks every boundary the seed states:
// "more than 5 messages" and "3 or more invites" (F31), "more than 3
// interactions" (F32), "no message and no claim in 7 days" (F33), "2 or
// more warnings or prohibited content" (F34), and tenure under the window.
func TestClassifyBoundariesF31toF34(t *testing.T) {
	p := DefaultPolicy()
	old := t0.Add(-30 * 24 * time.Hour)
	week := 7 * 24 * time.Hour
	tests := []struct {
		name   string
		a      Activity
		want   Tier
		reason string
	}{
		{"F31 5 messages is not core", Activity{Joined: old, Messages: 5, Interactions: 5}, Active, "active: 5 interactions in 7 days > 3 (F32)"},
		{"F31 6 messages is core", Activity{Joined: old, Messages: 6, Interactions: 6}, Core, "core: 6 messages in 7 days > 5 (F31)"},
		{"F31 2 invites is not core", Activity{Joined: old, Invites: 2, Messages: 1, Interactions: 1}, Casual, "casual: 1 interaction in 7 days <= 3 (F32), with a message or claim (F33)"},
		{"F31 3 invites is core", Activity{Joined: old, Invites: 3}, Core, "core: 3 invites in 7 days >= 3 (F31)"},
		{"F32 3 interactions is not active", Activity{Joined: old, Messages: 1, Interactions: 3}, Casual, "casual: 3 interactions in 7 days <= 3 (F32), with a message or claim (F33)"},
		{"F32 4 interactions is active", Activity{Joined: old, Interactions: 4}, Active, "active: 4 interactions in 7 days > 3 (F32)"},
		{"F34 1 warning is not violator", Activity{Joined: old, Warnings: 1}, Lurker, "lurker: no message and no claim in 7 days (F33)"},
		{"F34 2 warnings is violator", Activity{Joined: old, Warnings: 2, Messages: 9, Interactions: 9}, Violator, "violator: 2 warnings in 7 days >= 2 (F34)"},
		{"F34 prohibited content is violator even if core", Activity{Joined: old, Banned: true, Messages: 9, Interactions: 9}, Violator, reasonBanned},
		{"F33 claim only is not lurker", Activity{Joined: old, Claims: 1, Interactions: 1}, Casual, "casual: 1 interaction in 7 days <= 3 (F32), with a message or claim (F33)"},
		{"F33 check-ins only is lurker", Activity{Joined: old, Interactions: 3}, Lurker, "lurker: no message and no claim in 7 days (F33)"},
		{"F33 last message inside window", Activity{Joined: old, LastMessage: t0.Add(-week + time.Second)}, Casual, "casual: 0 interactions in 7 days <= 3 (F32), with a message or claim (F33)"},
		{"F33 last message exactly a window ago", Activity{Joined: old, LastMessage: t0.Add(-week)}, Lurker, "lurker: no message and no claim in 7 days (F33)"},
		{"tenure just under the window is new", Activity{Joined: t0.Add(-week + time.Nanosecond)}, New, "new: joined 6 days ago, less than 7 days"},
		{"tenure exactly the window is not new", Activity{Joined: t0.Add(-week)}, Lurker, "lurker: no message and no claim in 7 days (F33)"},
		{"new member who is active stays active", Activity{Joined: t0.Add(-time.Hour), Interactions: 4}, Active, "active: 4 interactions in 7 days > 3 (F32)"},
		{"joined after now is new", Activity{Joined: t0.Add(time.Hour)}, New, "new: joined 0 days ago, less than 7 days"},
		{"singular: joined a day ago", Activity{Joined: t0.Add(-25 * time.Hour)}, New, "new: joined 1 day ago, less than 7 days"},
		{"zero Joined is never new", Activity{}, Lurker, "lurker: no message and no claim in 7 days (F33)"},
		{"count beyond the table", Activity{Messages: 300, Interactions: 300}, Core, "core: 300 messages in 7 days > 5 (F31)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := p.Classify(tc.a, t0)
			if got != tc.want || reason != tc.reason {
				t.Errorf("Classify = %v, %q; want %v, %q", got, reason, tc.want, tc.reason)
			}
			// The zero Policy is the default policy.
			if z, zr := (Policy{}).Classify(tc.a, t0); z != got || zr != reason {
				t.Errorf("Policy{}.Classify = %v, %q; want %v, %q", z, zr, got, reason)
			}
		})
	}
}

func TestClassifyCustomPolicy(t *testing.T) {
	p := Policy{Window: 36 * time.Hour, CoreMessages: 10, CoreInvites: 1, ActiveInteractions: 1, ViolatorWarnings: 3}
	tests := []struct {
		name   string
		a      Activity
		want   Tier
		reason string
	}{
		{"10 messages not core", Activity{Messages: 10, Interactions: 10}, Active, "active: 10 interactions in 36h0m0s > 1 (F32)"},
		{"one invite is core", Activity{Invites: 1}, Core, "core: 1 invite in 36h0m0s >= 1 (F31)"},
		{"2 warnings not violator", Activity{Warnings: 2}, Lurker, "lurker: no message and no claim in 36h0m0s (F33)"},
		{"3 warnings violator", Activity{Warnings: 3}, Violator, "violator: 3 warnings in 36h0m0s >= 3 (F34)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := p.Classify(tc.a, t0)
			if got != tc.want || reason != tc.reason {
				t.Errorf("Classify = %v, %q; want %v, %q", got, reason, tc.want, tc.reason)
			}
		})
	}
}

func TestClassifyDoesNotAllocate(t *testing.T) {
	p := DefaultPolicy()
	acts := []Activity{{Messages: 6, Interactions: 6}, {Warnings: 2}, {Joined: t0.Add(-time.Hour)}, {}, {Messages: 1, Interactions: 1}}
	for _, a := range acts {
		if n := testing.AllocsPerRun(100, func() { p.Classify(a, t0) }); n != 0 {
			t.Errorf("Classify(%+v) allocates %v times", a, n)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want string
	}{
		{"zero is valid", Policy{}, ""},
		{"default is valid", DefaultPolicy(), ""},
		{"negative window", Policy{Window: -time.Hour}, "tiering: policy: window -1h must not be negative"},
		{"negative core messages", Policy{CoreMessages: -1}, "tiering: policy: core_messages -1 must be at least 1"},
		{"margin over 100", Policy{MarginPercent: 101}, "tiering: policy: margin_percent 101 must be in 1..100"},
		{"empty rule", Policy{ProhibitedRules: []string{"a", ""}}, "tiering: policy: prohibited_rules[1] is empty"},
		{"negative grace", Policy{Grace: -1}, "tiering: policy: grace -1ns must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("Validate() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTierText(t *testing.T) {
	for _, tier := range Tiers() {
		b, err := tier.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Tier
		if err := back.UnmarshalText(b); err != nil || back != tier {
			t.Errorf("%v round-trips to %v, %v", tier, back, err)
		}
	}
	if Tier(0).String() != "tier(0)" || Tier(0).Valid() {
		t.Errorf("zero tier: %q valid=%v", Tier(0).String(), Tier(0).Valid())
	}
	if _, err := ParseTier("Core"); err == nil {
		t.Error("ParseTier is case-sensitive; want an error for \"Core\"")
	}
}
