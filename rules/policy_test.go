package rules_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops/rules"
	"pgregory.net/rapid"
)

// TestDefaultPolicy_F34_F9 checks that the zero Policy means DefaultPolicy
// and that the defaults are the seed's figures.
func TestDefaultPolicy_F34_F9(t *testing.T) {
	zero, err := rules.New(rules.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rules.DefaultPolicy(), zero.Policy()); diff != "" {
		t.Errorf("zero policy after New (-DefaultPolicy +got):\n%s", diff)
	}
	d := rules.DefaultPolicy()
	checks := []struct {
		name      string
		got, want any
	}{
		{"F34 WarnLimit", d.WarnLimit, 2},
		{"F9 DisputeSLA", d.DisputeSLA, 15 * time.Minute},
		{"F18 WelcomeMax", d.WelcomeMax, 24 * time.Hour},
		{"F5 NicknameGrace", d.NicknameGrace, 24 * time.Hour},
		{"F5 WelcomeWindow", d.WelcomeWindow, time.Minute},
		{"F10 ReplyCooldown", d.ReplyCooldown, time.Hour},
		{"F34 RemoveCooldown 1 minute", d.RemoveCooldown, time.Minute},
		{"WarnTTL 30 days", d.WarnTTL, 30 * 24 * time.Hour},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestNewErrors checks that New names the bad field and its value.
func TestNewErrors(t *testing.T) {
	cases := []struct {
		name string
		p    rules.Policy
		want string // a substring of the error
	}{
		{"negative warn limit", rules.Policy{WarnLimit: -1}, "rules: WarnLimit -1 must be in 1..1000"},
		{"empty prohibited keyword", rules.Policy{Prohibited: []string{"赌博", " "}}, `rules: Prohibited[1] " " is empty`},
		{"empty warnable keyword", rules.Policy{Warnable: []string{""}}, `rules: Warnable[0] "" is empty`},
		{"keyword of noise only", rules.Policy{Warnable: []string{"ok", "★★"}}, "rules: Warnable: keyword:"},
		{"duplicate admin", rules.Policy{Admins: []string{"a", "b", "a"}}, `rules: Admins[2] "a" is listed twice`},
		{"negative TTL", rules.Policy{WarnTTL: -time.Second}, "rules: WarnTTL -1s must be at least 1ms"},
		{"negative SLA", rules.Policy{DisputeSLA: -time.Minute}, "rules: DisputeSLA -1m0s must be at least 1ms"},
		{"flood of one message", rules.Policy{FloodMessages: 1}, "rules: FloodMessages 1 must be in 2..1000"},
		{"flood window of two days", rules.Policy{FloodWindow: 48 * time.Hour}, "rules: FloodWindow 48h0m0s must be at most 24h0m0s"},
		{"welcome window beyond its bound", rules.Policy{WelcomeWindow: 25 * time.Hour}, "rules: WelcomeWindow 25h0m0s must not exceed WelcomeMax 24h0m0s"},
		{"bad nickname pattern", rules.Policy{Nickname: "(["}, `rules: Nickname "([":`},
		{"reply without keywords", rules.Policy{Replies: []rules.AutoReply{{Text: "x"}}}, "rules: Replies[0] has no keywords"},
		{"reply without text", rules.Policy{Replies: []rules.AutoReply{{Keywords: []string{"k"}}}}, "rules: Replies[0].Text is empty"},
		{"unknown rule off", rules.Policy{Off: []string{"spam"}}, `rules: Off[0] "spam" is not a rule`},
		{"bad language", rules.Policy{Language: "not a tag!"}, `rules: Language "not a tag!"`},
		{"bad domain", rules.Policy{AllowedDomains: []string{"a b.com"}}, `rules: AllowedDomains[0] "a b.com" is not a domain`},
		{"unknown placeholder", rules.Policy{Texts: rules.Texts{Warn: "{name} bad"}}, "rules: Texts.Warn: unknown placeholder {name}"},
		{"placeholder of another text", rules.Policy{Texts: rules.Texts{Welcome: "{member}"}}, "rules: Texts.Welcome: unknown placeholder {member}"},
		{"unclosed brace", rules.Policy{Texts: rules.Texts{Remind: "hi {member"}}, "rules: Texts.Remind: unclosed {"},
		{"reason of an unknown rule", rules.Policy{Texts: rules.Texts{Reasons: map[string]string{"x": "y"}}}, `rules: Texts.Reasons["x"]`},
		{"empty group id", rules.Policy{GroupNames: map[string]string{"": "x"}}, "rules: GroupNames has an empty group id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := rules.New(c.p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestPolicyJSON checks the JSON form: durations as "15m", Never as
// "never", errors that name the key.
func TestPolicyJSON(t *testing.T) {
	p := rules.DefaultPolicy()
	p.WarnTTL = rules.Never
	p.FloodWindow = 1500 * time.Millisecond
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"dispute_sla":"15m"`, `"warn_ttl":"never"`, `"welcome_max":"24h"`, `"flood_window":"1.5s"`, `"reply_cooldown":"1h"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	bad := []struct{ in, want string }{
		{`{"dispute_sla":"soon"}`, `rules: policy dispute_sla: "soon" is not a duration`},
		{`{"warn_limt":2}`, `unknown field "warn_limt"`},
		{`{"admins":"boss"}`, "rules: policy:"},
		{`{} {}`, "after top-level value"},
	}
	for _, c := range bad {
		q := rules.Policy{WarnLimit: 7}
		err := json.Unmarshal([]byte(c.in), &q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Unmarshal(%s): error %v, want %q", c.in, err, c.want)
		}
		if q.WarnLimit != 7 {
			t.Errorf("Unmarshal(%s) changed the policy on error", c.in)
		}
	}
}

// TestPolicyJSONRoundTrip: any policy survives JSON unchanged.
func TestPolicyJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := func(label string) time.Duration {
			switch rapid.IntRange(0, 3).Draw(t, label+"kind") {
			case 0:
				return 0
			case 1:
				return rules.Never
			case 2:
				return time.Duration(rapid.IntRange(1, 100000).Draw(t, label+"m")) * time.Minute
			}
			return time.Duration(rapid.Int64().Draw(t, label))
		}
		strs := rapid.SliceOf(rapid.String())
		p := rules.Policy{
			Language:       rapid.String().Draw(t, "lang"),
			Admins:         strs.Draw(t, "admins"),
			Prohibited:     strs.Draw(t, "prohibited"),
			Warnable:       strs.Draw(t, "warnable"),
			AllowedDomains: strs.Draw(t, "domains"),
			WarnLimit:      rapid.Int().Draw(t, "limit"),
			WarnTTL:        d("ttl"),
			Recall:         rapid.Bool().Draw(t, "recall"),
			FloodMessages:  rapid.Int().Draw(t, "floodn"),
			FloodWindow:    d("floodw"),
			RepeatWindow:   d("repw"),
			WelcomeWindow:  d("ww"),
			WelcomeMax:     d("wm"),
			NicknameGrace:  d("grace"),
			ReplyCooldown:  d("cool"),
			RemoveCooldown: d("rmcool"),
			DisputeSLA:     d("sla"),
			Nickname:       rapid.String().Draw(t, "nick"),
			Off:            strs.Draw(t, "off"),
			Texts:          rules.Texts{Warn: rapid.String().Draw(t, "warn")},
		}
		if n := rapid.IntRange(0, 2).Draw(t, "replies"); n > 0 {
			for range n {
				p.Replies = append(p.Replies, rules.AutoReply{Name: rapid.String().Draw(t, "rname"),
					Keywords: rapid.SliceOfN(rapid.String(), 1, 3).Draw(t, "rk"), Text: rapid.String().Draw(t, "rt")})
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q rules.Policy
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if diff := cmp.Diff(p, q, cmp.Comparer(func(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b)) })); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
