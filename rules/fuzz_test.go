package rules_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// FuzzHandle feeds arbitrary messages, names and kinds to an engine with
// every rule on: no panic, no action for an admin, every action names a
// rule, and a Warn's level stays within 1..WarnLimit.
func FuzzHandle(f *testing.F) {
	e, err := rules.New(lax(rules.Policy{
		Admins: []string{"boss"}, Prohibited: []string{"赌博", "vx"}, Warnable: []string{"加微信", "代购"},
		AllowedDomains: []string{"qunops.cn"}, Recall: true,
		Replies: []rules.AutoReply{{Keywords: []string{"几点"}, Text: "9点"}},
		// Issue 19's rules: competitors, passphrases, promotions held
		// for review, transfers warned; the join events of the fuzz have
		// an inviter, "r", who adds people too fast after two.
		Competitors: []string{"拼多多"}, Passphrases: []string{"芝麻开门"}, Promotions: []string{"推广"},
		TransferReaction: rules.ReactWarn, InviteMax: 2,
		// Issue 16: the title lock; the fuzz's title events rename the
		// group to its text.
		LockTitle: true,
	}))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("你好", "", "s", int64(0))
	f.Add("拼 多 多更便宜", "", "s", int64(1))
	f.Add("芝麻开门", "text", "s", int64(2))
	f.Add("本周推广 团购", "", "s", int64(3))
	f.Add("", qunops.KindTransfer, "s", int64(4))
	f.Add("恭喜发财", qunops.KindRedPacket, "boss", int64(5))
	f.Add("加微信 t.cn/x", "", "s", int64(6))
	f.Fuzz(func(t *testing.T, text, kind, member string, ms int64) {
		at := t0.Add(time.Duration(ms%(1<<40)) * time.Millisecond)
		types := []qunops.EventType{qunops.Message, qunops.Join, qunops.Rename, qunops.Title, qunops.Report, qunops.Leave}
		var got []rules.Action
		for i, typ := range types {
			ev := qunops.Event{Type: typ, Group: "g1", Member: member, Time: at.Add(time.Duration(i)), Kind: kind, Text: text, Actor: "r"}
			acts, err := e.Handle(ev)
			if err != nil && acts != nil {
				t.Errorf("Handle gave actions with error %v: %+v", err, acts)
			}
			got = append(got, acts...)
		}
		got = append(got, e.Tick(at.Add(48*time.Hour))...)
		for _, a := range got {
			if a.Rule == "" && a.Type != rules.Recall {
				t.Errorf("action without a rule: %+v", a)
			}
			if a.Member == "boss" && (a.Type == rules.Warn || a.Type == rules.Remove || a.Type == rules.Retitle) {
				t.Errorf("admin got %+v", a)
			}
			if a.Type == rules.Warn && (a.Level < 1 || a.Level > rules.DefaultWarnLimit) {
				t.Errorf("warn level %d outside 1..%d", a.Level, rules.DefaultWarnLimit)
			}
		}
	})
}

// FuzzUnmarshalJSON restores arbitrary snapshots: no panic; a rejected one
// leaves the engine as it was; an accepted one marshals back to a snapshot
// that restores to the same bytes.
func FuzzUnmarshalJSON(f *testing.F) {
	base, err := rules.New(lax(rules.Policy{}))
	if err != nil {
		f.Fatal(err)
	}
	before, _ := json.Marshal(base)
	f.Add([]byte(`{"v":1,"policy":{}}`))
	f.Add([]byte(`{"v":2,"policy":{},"audit":[{"time":"2026-03-02T00:00:00Z","act":"lift","by":"a","member":"m"}]}`))
	// Version 3's sections: the clock, ids, names, cooldowns by key, posts,
	// reports.
	f.Add([]byte(`{"v":3,"policy":{"self":["bot"],"replies":[{"name":"h","keywords":["几点"],"text":"9点"}]},` +
		`"clock":"2026-03-02T00:00:00Z","sweep":"2026-03-02T00:10:00Z",` +
		`"members":[{"group":"g","member":"m","cooldowns":[{"key":"h","until":"2026-03-02T01:00:00Z"}],"flooding":true}],` +
		`"blacklist":[{"member":"b","at":"2026-03-02T00:00:00Z","group":"g","rule":"manual","notified":"2026-03-02T00:00:00Z"}],` +
		`"dedupe":[{"hash":42,"at":"2026-03-02T00:00:00Z"}],"names":[{"group":"g","member":"m","name":"小李"}],` +
		`"group_cooldowns":[{"group":"g","key":"h","until":"2026-03-02T00:01:00Z"}],` +
		`"reports":[{"reporter":"r","opened":["2026-03-02T00:00:00Z"]}],"posts":[{"group":"g","day":"2026-03-02","count":3}]}`))
	// Version 4's: a passphrase check, invites, alerts, reviews.
	f.Add([]byte(`{"v":4,"policy":{"admins":["a1"],"passphrases":["芝麻开门"],"promotions":["推广"]},` +
		`"members":[{"group":"g","member":"n","passphrase_due":"2026-03-02T00:10:00Z","passphrase_reminded":true,` +
		`"invites":["2026-03-02T00:00:00Z"],"alerts":[{"rule":"invite","at":"2026-03-02T00:00:00Z"},{"rule":"transfer","at":"2026-03-02T00:00:00Z"}]}],` +
		`"reviews":[{"id":2,"group":"g","member":"m","text":"推广","message_id":"wx:1","at":"2026-03-02T00:00:00Z","due":"2026-03-03T00:00:00Z"}],"last_review":2,` +
		`"audit":[{"time":"2026-03-02T00:00:00Z","act":"approve","by":"a1","group":"g","member":"u"}]}`))
	// Version 5's: the groups' recorded titles.
	f.Add([]byte(`{"v":5,"policy":{"lock_title":true},"titles":[{"group":"g","title":"读书会","at":"2026-03-02T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, _ := rules.New(lax(rules.Policy{}))
		if err := e.UnmarshalJSON(data); err != nil {
			after, _ := json.Marshal(e)
			if string(after) != string(before) {
				t.Fatalf("a rejected snapshot changed the engine: %v", err)
			}
			return
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var again rules.Engine
		if err := again.UnmarshalJSON(out); err != nil {
			t.Fatalf("re-restore of %s: %v", out, err)
		}
		out2, _ := json.Marshal(&again)
		if string(out) != string(out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
	})
}

// FuzzPolicyJSON reads arbitrary policies: no panic, and an accepted one
// survives a JSON round trip unchanged.
func FuzzPolicyJSON(f *testing.F) {
	f.Add([]byte(`{"warn_limit":2,"dispute_sla":"15m"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p rules.Policy
		if err := json.Unmarshal(data, &p); err != nil {
			return
		}
		_, _ = rules.New(p) // must not panic
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q rules.Policy
		if err := json.Unmarshal(out, &q); err != nil {
			t.Fatalf("re-read of %s: %v", out, err)
		}
		if diff := cmp.Diff(p, q, cmp.Comparer(func(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b)) })); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
