package rules_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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
		// The seed's figures.
		{"F34 WarnLimit 2", d.WarnLimit, 2},
		{"F9 DisputeSLA 15 minutes", d.DisputeSLA, 15 * time.Minute},
		{"F18 WelcomeMax 24h", d.WelcomeMax, 24 * time.Hour},
		{"F23 DailyPostsMax 50", d.DailyPostsMax, 50},
		// Ours: the seed gives no number for these (see their doc comments).
		{"NicknameGrace 24h, ours", d.NicknameGrace, 24 * time.Hour},
		{"WelcomeWindow 1 minute, ours", d.WelcomeWindow, time.Minute},
		{"ReplyCooldown 1h, ours", d.ReplyCooldown, time.Hour},
		{"RemoveCooldown 1 minute, ours", d.RemoveCooldown, time.Minute},
		{"WarnTTL 30 days, ours", d.WarnTTL, 30 * 24 * time.Hour},
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
		{"negative warn limit", rules.Policy{WarnLimit: -1}, "rules: policy: warn_limit -1 must be in 1..1000"},
		{"empty prohibited keyword", rules.Policy{Prohibited: []string{"赌博", " "}}, `rules: policy: prohibited[1] " " is empty`},
		{"empty warnable keyword", rules.Policy{Warnable: []string{""}}, `rules: policy: warnable[0] "" is empty`},
		{"keyword of noise only", rules.Policy{Warnable: []string{"ok", "★★"}}, `rules: policy: warnable: keyword: pattern 1 "★★" is nothing but noise`},
		{"duplicate admin", rules.Policy{Admins: []string{"a", "b", "a"}}, `rules: policy: admins[2] "a" is listed twice`},
		{"negative TTL", rules.Policy{WarnTTL: -time.Second}, "rules: policy: warn_ttl -1s must be at least 1ms"},
		{"never as another duration", rules.Policy{DisputeSLA: rules.Never}, "rules: policy: dispute_sla is never: only warn_ttl and blacklist_ttl may be never"},
		{"keyword of noise only in a reply", rules.Policy{Replies: []rules.AutoReply{{Keywords: []string{"ok", "!!"}, Text: "x"}}}, `rules: policy: replies[0].keywords: keyword: pattern 1 "!!" is nothing but noise`},
		{"negative SLA", rules.Policy{DisputeSLA: -time.Minute}, "rules: policy: dispute_sla -1m must be at least 1ms"},
		{"flood of one message", rules.Policy{FloodMessages: 1}, "rules: policy: flood_messages 1 must be in 2..1000"},
		{"flood window of two days", rules.Policy{FloodWindow: 48 * time.Hour}, "rules: policy: flood_window 48h must be at most 24h"},
		{"welcome window beyond its bound", rules.Policy{WelcomeWindow: 25 * time.Hour}, "rules: policy: welcome_window 25h must not exceed welcome_max 24h"},
		{"bad nickname pattern", rules.Policy{Nickname: "(["}, `rules: policy: nickname "([":`},
		{"reply without keywords", rules.Policy{Replies: []rules.AutoReply{{Text: "x"}}}, "rules: policy: replies[0].keywords is empty"},
		{"reply without text", rules.Policy{Replies: []rules.AutoReply{{Keywords: []string{"k"}}}}, "rules: policy: replies[0].text is empty"},
		{"unknown rule off", rules.Policy{Off: []string{"spam"}}, `rules: policy: off[0] "spam" is not a rule (want one of link, card,`},
		{"bad language", rules.Policy{Language: "not a tag!"}, `rules: policy: language "not a tag!"`},
		{"bad domain", rules.Policy{AllowedDomains: []string{"a b.com"}}, `rules: policy: allowed_domains[0] "a b.com" is not a domain`},
		{"unknown placeholder", rules.Policy{Texts: rules.Texts{Warn: "{nick} bad"}}, "rules: policy: texts.warn: unknown placeholder {nick}"},
		{"placeholder of another text", rules.Policy{Texts: rules.Texts{Welcome: "{member}"}}, "rules: policy: texts.welcome: unknown placeholder {member}"},
		{"unclosed brace", rules.Policy{Texts: rules.Texts{Remind: "hi {member"}}, "rules: policy: texts.remind: unclosed {"},
		{"reason of an unknown rule", rules.Policy{Texts: rules.Texts{Reasons: map[string]string{"x": "y"}}}, `rules: policy: texts.reasons["x"]: not a rule with a reason`},
		{"empty group id", rules.Policy{GroupNames: map[string]string{"": "x"}}, "rules: policy: group_names has an empty group id"},
		// Issue 19's fields.
		{"F39 empty competitor", rules.Policy{Competitors: []string{"Acme", " "}}, `rules: policy: competitors[1] " " is empty`},
		{"F39 competitor of noise only", rules.Policy{Competitors: []string{"★"}}, `rules: policy: competitors: keyword: pattern 0 "★" is nothing but noise`},
		{"F39 reaction out of range", rules.Policy{CompetitorReaction: -1}, "rules: policy: competitor_reaction -1 is not a reaction (want one of ignore, notify, warn, remove)"},
		{"F38 negative invite max", rules.Policy{InviteMax: -1}, "rules: policy: invite_max -1 must be in 1..1000"},
		{"F38 negative invite window", rules.Policy{InviteWindow: -time.Minute}, "rules: policy: invite_window -1m must be at least 1ms"},
		{"F38 alert cooldown never", rules.Policy{AlertCooldown: rules.Never}, "rules: policy: alert_cooldown is never: only warn_ttl and blacklist_ttl may be never"},
		{"F14 empty passphrase", rules.Policy{Passphrases: []string{""}}, `rules: policy: passphrases[0] "" is empty`},
		{"F14 negative passphrase window", rules.Policy{PassphraseWindow: -time.Second}, "rules: policy: passphrase_window -1s must be at least 1ms"},
		{"F6 empty promotion keyword", rules.Policy{Promotions: []string{"推广", "\t"}}, `rules: policy: promotions[1] "\t" is empty`},
		{"F6 negative review timeout", rules.Policy{ReviewTimeout: -time.Hour}, "rules: policy: review_timeout -1h must be at least 1ms"},
		{"F14 passphrase text with a placeholder of another", rules.Policy{Texts: rules.Texts{Passphrase: "{sla}"}}, "rules: policy: texts.passphrase: unknown placeholder {sla} (this text takes {name} {member} {group} {window})"},
		{"F6 review text with a placeholder of another", rules.Policy{Texts: rules.Texts{Approved: "{review}"}}, "rules: policy: texts.approved: unknown placeholder {review}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := rules.New(c.p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("New: error %v, want one containing %q", err, c.want)
			}
			if verr := c.p.Validate(); verr == nil || err == nil || verr.Error() != err.Error() {
				t.Errorf("Validate: error %v, want New's %v", verr, err)
			}
		})
	}
}

// TestPolicyJSON checks the JSON form of the default policy (snake_case
// keys, durations as "15m", Never as "never", a round trip to an equal
// policy) and that bad documents are rejected with an error naming the key
// or the bad value, leaving the policy unchanged.
func TestPolicyJSON(t *testing.T) {
	d := rules.DefaultPolicy()
	if err := d.Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate(): %v", err)
	}
	if err := (rules.Policy{}).Validate(); err != nil {
		t.Fatalf("Policy{}.Validate(): %v", err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"warn_limit":2`, `"warn_ttl":"720h"`, `"flood_messages":10`, `"flood_window":"10s"`,
		`"repeat_window":"10m"`, `"welcome_window":"1m"`, `"welcome_max":"24h"`, `"nickname_grace":"24h"`,
		`"reply_cooldown":"1h"`, `"remove_cooldown":"1m"`, `"dispute_sla":"15m"`, `"language":"zh-Hans"`,
		`"competitor_reaction":"warn"`, `"transfer_reaction":"notify"`, `"invite_max":10`, `"invite_window":"1h"`,
		`"alert_cooldown":"1h"`, `"passphrase_window":"10m"`, `"review_timeout":"24h"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON of DefaultPolicy lacks %s: %s", want, b)
		}
	}
	var back rules.Policy
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("DefaultPolicy round trip (-want +got):\n%s", diff)
	}

	if strings.Contains(string(b), "lock_title") {
		t.Errorf("JSON of DefaultPolicy has lock_title, which is off by default: %s", b)
	}

	p := d
	p.WarnTTL = rules.Never
	p.FloodWindow = 1500 * time.Millisecond
	p.RepeatWindow = 90 * time.Minute
	p.LockTitle = true
	p.Texts.Title = "{name} → {text}"
	b, _ = json.Marshal(p)
	for _, want := range []string{`"warn_ttl":"never"`, `"flood_window":"1.5s"`, `"repeat_window":"1h30m"`, `"lock_title":true`,
		`"texts":{"title":"{name} → {text}"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}

	bad := []struct{ name, in, want string }{
		{"malformed duration", `{"dispute_sla":"soon"}`, `rules: policy: dispute_sla: "soon" is not a duration like "15m", "168h" or "never"`},
		{"duration as nanoseconds", `{"dispute_sla":900000000000}`, "dispute_sla"},
		{"empty duration", `{"warn_ttl":""}`, `warn_ttl: "" is not a duration`},
		{"unknown key", `{"warn_limt":2}`, `rules: policy: unknown key "warn_limt"`},
		{"wrong-case key", `{"WarnLimit":2}`, `rules: policy: unknown key "WarnLimit"`},
		{"wrong-case snake key", `{"Warn_Limit":2}`, `rules: policy: unknown key "Warn_Limit"`},
		{"duplicate key", `{"admins":["boss"],"admins":[]}`, `rules: policy: duplicate key "admins"`},
		{"duplicate key in a reply", `{"replies":[{"keywords":["k"],"text":"a","text":"b"}]}`, `rules: policy: replies[0]: duplicate key "text"`},
		{"unknown key in a reply", `{"replies":[{"keyword":["k"],"text":"a"}]}`, `rules: policy: replies[0]: unknown key "keyword"`},
		{"unknown key in texts", `{"texts":{"welcom":"hi"}}`, `rules: policy: texts: unknown key "welcom"`},
		{"duplicate group name", `{"group_names":{"g":"a","g":"b"}}`, `rules: policy: group_names: duplicate key "g"`},
		{"wrong type", `{"admins":"boss"}`, "rules: policy: admins: "},
		{"trailing data", `{} {}`, "rules: policy: data after the JSON value"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			q := rules.Policy{WarnLimit: 7}
			err := q.UnmarshalJSON([]byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("UnmarshalJSON(%s): error %v, want %q", c.in, err, c.want)
			}
			if diff := cmp.Diff(rules.Policy{WarnLimit: 7}, q); diff != "" {
				t.Errorf("UnmarshalJSON(%s) changed the policy on error (-want +got):\n%s", c.in, diff)
			}
		})
	}
	// Values are checked by Validate, naming the key the JSON used.
	var q rules.Policy
	if err := json.Unmarshal([]byte(`{"warn_limit":-1,"dispute_sla":"15m"}`), &q); err != nil {
		t.Fatal(err)
	}
	if err := q.Validate(); err == nil || err.Error() != "rules: policy: warn_limit -1 must be in 1..1000" {
		t.Errorf("Validate: %v", err)
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
			LockTitle:      rapid.Bool().Draw(t, "lockTitle"),
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
			GroupNames:     rapid.MapOf(rapid.String(), rapid.String()).Draw(t, "groupNames"),
			RepeatMessages: rapid.Int().Draw(t, "repn"),
			Texts: rules.Texts{Warn: rapid.String().Draw(t, "warn"), Escalate: rapid.String().Draw(t, "escalate"),
				Title:   rapid.String().Draw(t, "title"),
				Reasons: rapid.MapOf(rapid.String(), rapid.String()).Draw(t, "reasons")},
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
		again, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(b) {
			t.Fatalf("second marshal differs:\n%s\n%s", b, again)
		}
		if diff := cmp.Diff(p, q, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}
