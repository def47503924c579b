package tiering

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qunops/qunops"
	"golang.org/x/text/language"
	"pgregory.net/rapid"
)

// TestDefaultPoliciesJSON checks that the default policies round-trip and
// are written in the JSON conventions: snake_case keys, durations as Go
// duration strings.
func TestDefaultPoliciesJSON(t *testing.T) {
	tests := []struct {
		name   string
		value  any    // the policy
		into   any    // a pointer to a zero value of its type
		want   string // the exact JSON
		reason string
	}{
		{"policy", DefaultPolicy(), new(Policy),
			`{"window":"168h","core_messages":5,"core_invites":3,"active_interactions":3,"violator_warnings":2,` +
				`"prohibited_rules":["prohibited"],"margin_percent":90,"grace":"336h"}`,
			"a week's window and a 14-day grace as duration strings, not nanoseconds"},
		{"zero policy", Policy{}, new(Policy), `{}`, "zero fields mean the default and are left out"},
		{"ledger policy", DefaultLedgerPolicy(), new(LedgerPolicy),
			`{"message_points":1,"invite_points":10,"checkin_points":5,"claim_points":2,` +
				`"message_cap":20,"invite_cap":5,"claim_cap":5,"streak_days":3,"invite_unlock":3,"invite_stay":"168h"}`,
			"a 7-day stay as a duration string; Location is not written"},
		{"ledger policy off", LedgerPolicy{MessagePoints: NoPoints, InviteCap: NoPoints, InviteStay: 90 * time.Minute},
			new(LedgerPolicy), `{"message_points":-1,"invite_cap":-1,"invite_stay":"1h30m"}`,
			"NoPoints is written as -1; 90 minutes the short way"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Fatalf("%s: JSON\n got %s\nwant %s", tc.reason, b, tc.want)
			}
			if err := json.Unmarshal(b, tc.into); err != nil {
				t.Fatal(err)
			}
			got := reflectElem(tc.into)
			if diff := cmp.Diff(tc.value, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func reflectElem(p any) any {
	switch p := p.(type) {
	case *Policy:
		return *p
	case *LedgerPolicy:
		return *p
	}
	panic(fmt.Sprintf("%T", p))
}

// TestDecodeRejects checks that every document a person could get wrong is
// rejected with an error that names the key or the bad word, and that the
// decoder leaves its target as it was. It calls UnmarshalJSON itself:
// json.Unmarshal checks the syntax first, so trailing data would not reach
// the decoder.
func TestDecodeRejects(t *testing.T) {
	ledgerDoc := `{"v":2,"policy":{},"location":"Asia/Shanghai","accounts":{},"entries":{"e1":{"member":"m","source":%s,"time":"2026-03-02T08:00:00+08:00","points":0}}}`
	reviewerDoc := `{"v":2,"policy":{},"members":{"m":{"tier":%s,"reason":"r","since":"2026-03-02T08:00:00+08:00"}}}`
	tests := []struct {
		name   string
		target string // policy, ledger policy, ledger, reviewer
		doc    string
		want   []string // substrings of the error
	}{
		{"unknown key", "policy", `{"window":"168h","windw":"1h"}`, []string{`tiering: policy: unknown key "windw"`}},
		{"duplicate key", "policy", `{"window":"168h","window":"1h"}`, []string{`tiering: policy: duplicate key "window"`}},
		{"wrong-case key", "policy", `{"Window":"168h"}`, []string{`unknown key "Window"`}},
		{"old Go field name", "policy", `{"CoreMessages":6}`, []string{`unknown key "CoreMessages"`}},
		{"malformed duration", "policy", `{"grace":"14d"}`, []string{"grace", `"14d"`}},
		{"nanoseconds", "policy", `{"window":604800000000000}`, []string{"window"}},
		{"invalid value", "policy", `{"core_messages":-1}`, []string{"core_messages -1"}},
		{"empty rule", "policy", `{"prohibited_rules":["prohibited",""]}`, []string{"prohibited_rules[1]"}},
		{"trailing data", "policy", `{} {}`, []string{"after"}},

		{"ledger unknown key", "ledger policy", `{"message":1}`, []string{`tiering: ledger policy: unknown key "message"`}},
		{"ledger duplicate key", "ledger policy", `{"claim_cap":1,"claim_cap":2}`, []string{`duplicate key "claim_cap"`}},
		{"ledger wrong-case key", "ledger policy", `{"InviteStay":"1h"}`, []string{`unknown key "InviteStay"`}},
		{"ledger malformed duration", "ledger policy", `{"invite_stay":"a week"}`, []string{"invite_stay", `"a week"`}},
		{"ledger invalid value", "ledger policy", `{"message_cap":-2}`, []string{"message_cap -2"}},
		{"ledger invalid invite unlock", "ledger policy", `{"invite_unlock":-1}`, []string{"tiering: ledger policy: invite_unlock -1 must be in 1..1000000"}},

		{"unknown source word", "ledger", fmt.Sprintf(ledgerDoc, `"gift"`),
			[]string{`tiering: ledger: entries.e1.source: "gift" is not a source of points (message, invite, checkin, claim)`}},
		{"source as a number", "ledger", fmt.Sprintf(ledgerDoc, `1`), []string{"source"}},
		{"unknown tier word", "reviewer", fmt.Sprintf(reviewerDoc, `"gold"`),
			[]string{`tiering: reviewer: members.m.tier: "gold" is not a tier (violator, core, active, new, lurker, casual)`}},
		{"wrong-case tier word", "reviewer", fmt.Sprintf(reviewerDoc, `"Core"`), []string{`"Core" is not a tier`}},
		{"nested policy key", "reviewer", `{"v":2,"policy":{"Grace":1},"members":{}}`,
			[]string{`tiering: reviewer: policy: unknown key "Grace"`}},
		{"nested policy value", "reviewer", `{"v":2,"policy":{"margin_percent":101},"members":{}}`,
			[]string{"tiering: reviewer: policy: margin_percent 101"}},
		{"old version", "reviewer", `{"v":1,"policy":{},"members":{}}`, []string{"version 1 is not 2"}},
		{"duplicate member", "reviewer", strings.Replace(fmt.Sprintf(reviewerDoc, `"core"`), `"members":{`,
			`"members":{"m":{"tier":"lurker","reason":"","since":"2026-03-02T08:00:00Z"},`, 1), []string{`duplicate key "m"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after []byte
			var err error
			switch tc.target {
			case "policy":
				p := Policy{CoreMessages: 7, ProhibitedRules: []string{"x"}}
				before, _ = json.Marshal(p)
				err = p.UnmarshalJSON([]byte(tc.doc))
				after, _ = json.Marshal(p)
			case "ledger policy":
				p := LedgerPolicy{ClaimCap: 9, InviteStay: time.Hour}
				before, _ = json.Marshal(p)
				err = p.UnmarshalJSON([]byte(tc.doc))
				after, _ = json.Marshal(p)
			case "ledger":
				l := newLedger(t, LedgerPolicy{})
				mustAdd(t, l, ev(qunops.Message, "m", t0, "msg"))
				before, _ = json.Marshal(l)
				err = l.UnmarshalJSON([]byte(tc.doc))
				after, _ = json.Marshal(l)
			case "reviewer":
				r, _ := NewReviewer(Policy{})
				r.Observe([]Member{{"m", core(6)}}, t0)
				before, _ = json.Marshal(r)
				err = r.UnmarshalJSON([]byte(tc.doc))
				after, _ = json.Marshal(r)
			}
			if err == nil {
				t.Fatalf("accepted %s", tc.doc)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Count(err.Error(), "tiering:") != 1 {
				t.Errorf("error %q does not name the package exactly once", err)
			}
			if string(before) != string(after) {
				t.Errorf("a failed decode changed the target:\n%s\n%s", before, after)
			}
		})
	}
}

// TestEnumWords checks that every enumeration of the package is written as
// a lowercase word and read back, and that an unknown word is an error
// that quotes it and lists the valid ones.
func TestEnumWords(t *testing.T) {
	type textual interface {
		MarshalText() ([]byte, error)
	}
	tests := []struct {
		name    string
		values  []textual
		words   string // the words of values, comma-separated
		decode  func(string) (textual, error)
		badWord string
		list    string // the list in the error
	}{
		{"tier", []textual{Violator, Core, Active, New, Lurker, Casual}, "violator,core,active,new,lurker,casual",
			func(s string) (textual, error) { var v Tier; err := v.UnmarshalText([]byte(s)); return v, err },
			"Core", "(violator, core, active, new, lurker, casual)"},
		{"source", []textual{SourceMessage, SourceInvite, SourceCheckin, SourceClaim}, "message,invite,checkin,claim",
			func(s string) (textual, error) { var v Source; err := v.UnmarshalText([]byte(s)); return v, err },
			"check-in", "(message, invite, checkin, claim)"},
		{"change kind", []textual{Arrival, Departure, Promotion, Demotion}, "arrival,departure,promotion,demotion",
			func(s string) (textual, error) { var v ChangeKind; err := v.UnmarshalText([]byte(s)); return v, err },
			"upgrade", "(arrival, departure, promotion, demotion)"},
		{"op", []textual{Remove, RecordID, GrantAdmin, ExclusivePerks, FirstPick, TargetedContent, Welcome, WakeUp,
			MoveToBackup, InviteToTalk},
			"remove,record-id,grant-admin,exclusive-perks,first-pick,targeted-content,welcome,wake-up,move-to-backup,invite-to-talk",
			func(s string) (textual, error) { var v Op; err := v.UnmarshalText([]byte(s)); return v, err },
			"kick", "(remove, record-id, grant-admin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var words []string
			for _, v := range tc.values {
				b, err := v.MarshalText()
				if err != nil {
					t.Fatal(err)
				}
				if s := string(b); s != strings.ToLower(s) || s != fmt.Sprint(v) {
					t.Errorf("%v is written %q: not lowercase or not its String", v, b)
				}
				back, err := tc.decode(string(b))
				if err != nil || back != v {
					t.Errorf("%q reads back as %v, %v", b, back, err)
				}
				words = append(words, string(b))
			}
			if got := strings.Join(words, ","); got != tc.words {
				t.Errorf("words %s, want %s", got, tc.words)
			}
			_, err := tc.decode(tc.badWord)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.badWord)) || !strings.Contains(err.Error(), tc.list) {
				t.Errorf("unknown word %q: error %v, want it quoted and the list %s", tc.badWord, err, tc.list)
			}
			// Words as a person or another tool might send them: empty (the
			// zero value's slot in the word tables), padded, with an
			// invisible character, in another case.
			w := strings.Split(tc.words, ",")[0]
			for _, bad := range []string{"", " " + w, w + " ", w + "\u200b", "\ufeff" + w, strings.ToUpper(w)} {
				if v, err := tc.decode(bad); err == nil {
					t.Errorf("%q reads as %v", bad, v)
				}
			}
		})
	}
	for _, v := range []textual{Tier(0), Source(0), ChangeKind(0), Op("kick"), Tier(numTiers), numSources} {
		if b, err := v.MarshalText(); err == nil {
			t.Errorf("%#v marshals as %q", v, b)
		}
	}
}

// TestResultsJSON pins the JSON of the result types, which follow the same
// conventions although nothing in the package decodes them.
func TestResultsJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, qunops.DefaultLocation())
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"arrival", Change{Member: "m", Kind: Arrival, To: Core, At: at, Reason: "r"},
			`{"member":"m","kind":"arrival","to":"core","at":"2026-03-02T08:00:00+08:00","reason":"r"}`},
		{"demotion", Change{Member: "m", Kind: Demotion, From: Core, To: Lurker, At: at},
			`{"member":"m","kind":"demotion","from":"core","to":"lurker","at":"2026-03-02T08:00:00+08:00","reason":""}`},
		{"counts", Counts{Violator: 1, Core: 2, Active: 3, New: 4, Lurker: 5, Casual: 6},
			`{"violator":1,"core":2,"active":3,"new":4,"lurker":5,"casual":6}`},
		{"credit", Credit{Member: "m", Source: SourceCheckin, ID: "c1", Points: 5, Reason: "checkin: +5", Streak: 3, Unlocked: true},
			`{"member":"m","source":"checkin","id":"c1","points":5,"reason":"checkin: +5","streak":3,"unlocked":true}`},
		{"member", Member{ID: "m", Activity: Activity{Messages: 2, Interactions: 2, LastMessage: at}},
			`{"id":"m","activity":{"messages":2,"interactions":2,"invites":0,"claims":0,"warnings":0,"last_message":"2026-03-02T08:00:00+08:00"}}`},
		{"operation", Playbook(Lurker, language.Chinese)[1],
			`{"op":"move-to-backup","tier":"lurker","figure":"F33","else":true,"title":"移至备用群"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}

// genPolicy draws a valid Policy, zero fields (defaults) included.
func genPolicy(t *rapid.T) Policy {
	dur := func(label string) time.Duration {
		if rapid.Bool().Draw(t, label+"Zero") {
			return 0
		}
		return time.Duration(rapid.Int64Range(1, int64(1000*24*time.Hour)).Draw(t, label))
	}
	p := Policy{
		Window:             dur("window"),
		CoreMessages:       rapid.IntRange(0, 1000).Draw(t, "coreMessages"),
		CoreInvites:        rapid.IntRange(0, 1000).Draw(t, "coreInvites"),
		ActiveInteractions: rapid.IntRange(0, 1000).Draw(t, "activeInteractions"),
		ViolatorWarnings:   rapid.IntRange(0, 1000).Draw(t, "violatorWarnings"),
		MarginPercent:      rapid.IntRange(0, 100).Draw(t, "marginPercent"),
		Grace:              dur("grace"),
	}
	if rapid.Bool().Draw(t, "rules") {
		p.ProhibitedRules = rapid.SliceOfN(rapid.StringN(1, 20, -1), 1, 4).Draw(t, "prohibitedRules")
	}
	return p
}

// genLedgerPolicy draws a valid LedgerPolicy in a location drawn from a
// few, nil included.
func genLedgerPolicy(t *rapid.T) LedgerPolicy {
	amount := func(label string) int { return rapid.IntRange(NoPoints, 50).Draw(t, label) }
	return LedgerPolicy{
		MessagePoints: amount("messagePoints"), InvitePoints: amount("invitePoints"),
		CheckinPoints: amount("checkinPoints"), ClaimPoints: amount("claimPoints"),
		MessageCap: amount("messageCap"), InviteCap: amount("inviteCap"), ClaimCap: amount("claimCap"),
		StreakDays:   rapid.IntRange(0, 10).Draw(t, "streakDays"),
		InviteUnlock: rapid.IntRange(0, 10).Draw(t, "inviteUnlock"),
		CashPrizes:   rapid.Bool().Draw(t, "cashPrizes"),
		InviteStay:   time.Duration(rapid.Int64Range(0, int64(30*24*time.Hour)).Draw(t, "inviteStay")),
		Location: rapid.SampledFrom([]*time.Location{nil, time.UTC, time.FixedZone("UTC-5", -5*3600),
			qunops.DefaultLocation()}).Draw(t, "location"),
	}
}

// roundTrip marshals v, unmarshals the bytes into into, marshals that
// again and fails unless the two outputs are byte-identical.
func roundTrip(t *rapid.T, v, into any) {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b2, err := json.Marshal(into)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(b2) {
		t.Fatalf("JSON is not stable:\n%s\n%s", b, b2)
	}
}

// locationsByName compares locations by name, which is what a ledger's
// JSON keeps of its location.
var locationsByName = cmp.Comparer(func(a, b *time.Location) bool { return a.String() == b.String() })

func TestPolicyJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy(t)
		var back Policy
		roundTrip(t, p, &back)
		if diff := cmp.Diff(p, back); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

func TestLedgerPolicyJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genLedgerPolicy(t)
		back := LedgerPolicy{Location: p.Location} // JSON does not carry it; decoding keeps it
		roundTrip(t, p, &back)
		if diff := cmp.Diff(p, back, locationsByName); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

// driveLedger books random events, settlements, redemptions and reversals,
// with event times in zones other than the ledger's.
func driveLedger(t *rapid.T, l *Ledger) {
	members := []string{"a", "b", "c"}
	zones := []*time.Location{time.UTC, qunops.DefaultLocation(), time.FixedZone("", -7*3600)}
	steps := rapid.IntRange(0, 60).Draw(t, "steps")
	for i := range steps {
		switch rapid.IntRange(0, 9).Draw(t, "op") {
		case 0:
			l.Settle(t0.Add(time.Duration(rapid.IntRange(0, 30).Draw(t, "settleDay")) * day))
		case 1:
			_ = l.Redeem(rapid.SampledFrom(members).Draw(t, "redeemer"), rapid.IntRange(1, 20).Draw(t, "cost"),
				rapid.SampledFrom([]string{"mug", "pen"}).Draw(t, "item"), rapid.SampledFrom([]string{"", fmt.Sprint("r", i)}).Draw(t, "redeemID"))
		case 2:
			_, _, _ = l.Reverse(fmt.Sprint("e", rapid.IntRange(0, steps).Draw(t, "reversed")))
		default:
			e := qunops.Event{
				Type:   rapid.SampledFrom([]qunops.EventType{qunops.Message, qunops.Checkin, qunops.Claim, qunops.Join, qunops.Leave}).Draw(t, "type"),
				Group:  "g",
				Member: rapid.SampledFrom(members).Draw(t, "member"),
				Time:   t0.Add(time.Duration(rapid.IntRange(-48, 20*24).Draw(t, "hour")) * time.Hour).In(rapid.SampledFrom(zones).Draw(t, "zone")),
				ID:     fmt.Sprint("e", rapid.IntRange(0, i).Draw(t, "id")), // repeats some IDs
			}
			switch e.Type {
			case qunops.Claim:
				e.Item = "perk"
			case qunops.Join:
				e.Actor = rapid.SampledFrom(members).Draw(t, "inviter")
			}
			if _, err := l.Add(e); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// ledgerEqual compares the whole state of two ledgers: the state is what
// the JSON promises to keep. The invite index is derived in ID order on
// decoding, in arrival order when booking; its order does not matter.
var ledgerEqual = []cmp.Option{
	cmp.AllowUnexported(Ledger{}, ledgerRules{}, account{}, entry{}),
	locationsByName, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b string) bool { return a < b }),
}

// TestLedgerJSONRoundTrip drives a ledger with random credits and checks
// that its JSON is stable and restores exactly the same ledger.
func TestLedgerJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genLedgerPolicy(t)
		l := newLedger(t, p)
		driveLedger(t, l)
		back := newLedger(t, LedgerPolicy{Location: p.Location})
		roundTrip(t, l, back)
		if diff := cmp.Diff(l, back, ledgerEqual...); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

// TestReviewerJSONRoundTrip drives a reviewer with random observations,
// reviews and pins, and checks that its JSON is stable and restores
// exactly the same reviewer.
func TestReviewerJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, err := NewReviewer(genPolicy(t))
		if err != nil {
			t.Fatal(err)
		}
		now := t0
		ids := []string{"a", "b", "c", "d"}
		for range rapid.IntRange(0, 20).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(0, 20*24).Draw(t, "hours")) * time.Hour)
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				_, _ = r.Pin(rapid.SampledFrom(ids).Draw(t, "pinned"), rapid.SampledFrom(Tiers()).Draw(t, "tier"), now)
			case 1:
				r.Unpin(rapid.SampledFrom(ids).Draw(t, "unpinned"))
			default:
				var ms []Member
				for _, id := range ids {
					if rapid.IntRange(0, 4).Draw(t, "absent") == 0 {
						continue
					}
					a := Activity{Messages: rapid.IntRange(0, 8).Draw(t, "msgs"), Invites: rapid.IntRange(0, 3).Draw(t, "invites"),
						Warnings: rapid.IntRange(0, 2).Draw(t, "warnings")}
					a.Interactions = a.Messages + rapid.IntRange(0, 3).Draw(t, "checkins")
					ms = append(ms, Member{id, a})
				}
				if rapid.Bool().Draw(t, "review") {
					r.Review(ms, now)
				} else {
					r.Observe(ms, now)
				}
			}
		}
		var back Reviewer
		roundTrip(t, r, &back)
		if diff := cmp.Diff(r, &back, cmp.AllowUnexported(Reviewer{}), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

// TestStateDecodersLeaveReceiver checks that a ledger or reviewer whose
// UnmarshalJSON fails, on a document that is valid up to one late defect,
// is exactly as it was and still works.
func TestStateDecodersLeaveReceiver(t *testing.T) {
	l := newLedger(t, LedgerPolicy{})
	mustAdd(t, l, ev(qunops.Message, "m", t0, "msg1"))
	mustAdd(t, l, ev(qunops.Checkin, "m", t0, "chk1"))
	other := newLedger(t, LedgerPolicy{MessagePoints: 3})
	mustAdd(t, other, ev(qunops.Message, "n", t0.Add(day), "msg9"))
	good, err := json.Marshal(other)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := NewReviewer(Policy{})
	r.Observe([]Member{{"m", core(6)}, {"n", active(4)}}, t0)
	otherR, _ := NewReviewer(Policy{Grace: day})
	otherR.Observe([]Member{{"x", core(9)}}, t0.Add(day))
	goodR, err := json.Marshal(otherR)
	if err != nil {
		t.Fatal(err)
	}
	// Each defect comes after keys the decoder would otherwise have taken.
	ledgerBad := map[string]string{
		"duplicate top-level key": strings.Replace(string(good), `"entries":`, `"accounts":{},"entries":`, 1),
		"duplicate nested key":    strings.Replace(string(good), `"balance":3`, `"balance":3,"balance":3`, 1),
		"negative balance":        strings.Replace(string(good), `"balance":3,"credited":3,"debited":0`, `"balance":-1,"credited":0,"debited":1`, 1),
		"bad source":              strings.Replace(string(good), `"source":"message"`, `"source":"messages"`, 1),
		"bad day":                 strings.Replace(string(good), `"2026-03-03"`, `"2026-02-30"`, 1),
		"other location":          strings.Replace(string(good), `"Asia/Shanghai"`, `"UTC"`, 1),
		"entry without member":    strings.Replace(string(good), `"member":"n"`, `"member":""`, 1),
	}
	rejectLeavesUnchanged(t, "ledger", l, good, ledgerBad)
	// Still usable, and still under its own policy (1 point a message).
	if c := mustAdd(t, l, ev(qunops.Message, "m", t0, "msg2")); c.Points != 1 {
		t.Errorf("after failed decodes a message earns %+v", c)
	}
	if c := mustAdd(t, l, ev(qunops.Message, "m", t0, "msg1")); c.Reason != "duplicate" {
		t.Errorf("after failed decodes a replay gives %+v", c)
	}
	if a := l.Account("m"); a.Balance != 7 {
		t.Errorf("account %+v, want balance 1+5+1", a)
	}
	if err := json.Unmarshal(good, l); err != nil || l.Account("n").Balance != 3 {
		t.Errorf("the good document after failed ones: %v, %+v", err, l.Account("n"))
	}

	reviewerBad := map[string]string{
		"duplicate top-level key": strings.Replace(string(goodR), `"members"`, `"policy":{},"members"`, 1),
		"duplicate policy key":    strings.Replace(string(goodR), `"grace":"24h"`, `"grace":"24h","grace":"48h"`, 1),
		"bad tier":                strings.Replace(string(goodR), `"tier":"core"`, `"tier":"gold"`, 1),
		"bad time":                strings.Replace(string(goodR), `"since":"2026-03-03T08:00:00+08:00"`, `"since":"yesterday"`, 1),
		"absent non-violator":     strings.Replace(string(goodR), `"tier":"core"`, `"tier":"core","absent":true`, 1),
	}
	rejectLeavesUnchanged(t, "reviewer", r, goodR, reviewerBad)
	// Still usable: n's promotion to core happens at once.
	if cs := r.Observe([]Member{{"m", core(6)}, {"n", core(7)}}, t0.Add(day)); len(cs) != 1 || cs[0].To != Core {
		t.Errorf("after failed decodes Observe gives %v", cs)
	}
}

// rejectLeavesUnchanged checks that each document of bad, a defective
// variant of good, is rejected by v's UnmarshalJSON and leaves v's JSON as
// it was; what names v in failures.
func rejectLeavesUnchanged(t *testing.T, what string, v any, good []byte, bad map[string]string) {
	t.Helper()
	for name, doc := range bad {
		if doc == string(good) {
			t.Fatalf("%s: the defect was not applied to %s", name, good)
		}
		before, _ := json.Marshal(v)
		if err := json.Unmarshal([]byte(doc), v); err == nil {
			t.Fatalf("%s: accepted %s", name, doc)
		}
		if after, _ := json.Marshal(v); string(after) != string(before) {
			t.Fatalf("%s: the %s changed:\n%s\n%s", name, what, before, after)
		}
	}
}
