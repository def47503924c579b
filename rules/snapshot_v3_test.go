package rules_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/qunops/qunops"
	"github.com/qunops/qunops/rules"
)

// TestSnapshotVersion3 (issue 19): testdata/snapshot_v3.json was written
// by the engine of the release before version 4 (commit 80c5cd0, the
// state below played on it and marshalled). It loads, and the restored
// engine is exactly the one the same events build today: the same
// version 4 snapshot, byte for byte.
func TestSnapshotVersion3(t *testing.T) {
	old, err := os.ReadFile("testdata/snapshot_v3.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(old), `{"v":3,`) {
		t.Fatalf("the fixture is not a version 3 snapshot: %.40s", old)
	}
	var restored rules.Engine
	if err := json.Unmarshal(old, &restored); err != nil {
		t.Fatalf("restore of version 3: %v", err)
	}
	got, err := json.Marshal(&restored)
	if err != nil {
		t.Fatal(err)
	}

	e, err := rules.New(rules.Policy{Admins: []string{"a1", "a2"}, Prohibited: []string{"赌博"}, Self: []string{"bot"},
		Replies: []rules.AutoReply{{Name: "hours", Keywords: []string{"几点"}, Text: "9点"}}, MaxSkew: 1000 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	m := func(member string, d time.Duration, text string) qunops.Event {
		return qunops.Event{Type: qunops.Message, Group: "g1", Member: member, Time: t0.Add(d), Text: text, ID: fmt.Sprint("wx:", member, d)}
	}
	for _, ev := range []qunops.Event{
		m("w", 0, "t.cn/x"), m("f", 0, "1"), m("f", sec, "2"), m("r", 0, "同样"), m("r", sec, "同样"),
		m("q", 0, "几点"), {Type: qunops.Join, Group: "g1", Member: "new", Time: t0.Add(mn), Text: "Amy"},
		m("bad", 2*mn, "赌博"), {Type: qunops.Report, Group: "g1", Member: "w", Actor: "q", Time: t0.Add(3 * mn)},
		m("bot", 3*mn, "早上好"),
	} {
		handle(t, e, ev)
	}
	if err := e.Pardon("a1", "g1", "w", t0.Add(4*mn)); err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("version 3 restored:\n%s\nwant, as today's engine writes the same state:\n%s", got, want)
	}
}

// TestSnapshotVersion4Only: the sections of version 4 are errors in an
// older version, and bad ones are errors naming where, leaving the engine
// as it was.
func TestSnapshotVersion4Only(t *testing.T) {
	const t1 = `"2026-03-02T00:00:00Z"`
	cases := []struct{ name, in, want string }{
		{"reviews in version 3", `{"v":3,"policy":{},"reviews":[{"id":1,"group":"g","member":"m","text":"x","at":` + t1 + `,"due":` + t1 + `}],"last_review":1}`, "reviews need version 4, not 3"},
		{"invites in version 3", `{"v":3,"policy":{},"members":[{"group":"g","member":"m","invites":[` + t1 + `]}]}`, "members[0]: passphrase, invites and alerts need version 4, not 3"},
		{"a review beyond last_review", `{"v":4,"policy":{},"reviews":[{"id":2,"group":"g","member":"m","text":"x","at":` + t1 + `,"due":` + t1 + `}],"last_review":1}`, "reviews[0]: id 2 outside 1..last_review 1"},
		{"a review id twice", `{"v":4,"policy":{},"reviews":[{"id":1,"group":"g","member":"m","text":"x","at":` + t1 + `,"due":` + t1 + `},{"id":1,"group":"g","member":"n","text":"x","at":` + t1 + `,"due":` + t1 + `}],"last_review":1}`, "reviews[1]: id 1 listed twice"},
		{"two reviews of one member", `{"v":4,"policy":{},"reviews":[{"id":1,"group":"g","member":"m","text":"x","at":` + t1 + `,"due":` + t1 + `},{"id":2,"group":"g","member":"m","text":"x","at":` + t1 + `,"due":` + t1 + `}],"last_review":2}`, "reviews[1]: a second review of g/m"},
		{"a review due before it was held", `{"v":4,"policy":{},"reviews":[{"id":1,"group":"g","member":"m","text":"x","at":"2026-03-02T00:00:01Z","due":` + t1 + `}],"last_review":1}`, "reviews[0]: due 2026-03-02T00:00:00Z before at"},
		{"an alert of a rule without alerts", `{"v":4,"policy":{},"members":[{"group":"g","member":"m","alerts":[{"rule":"link","at":` + t1 + `}]}]}`, `members[0].alerts[0]: rule "link" has no alerts`},
		{"too many invites", `{"v":4,"policy":{},"members":[{"group":"g","member":"m","invites":[` + strings.Repeat(t1+`,`, 1001) + t1 + `]}]}`, "members[0]: 1002 invites, more than any invite_max allows (1001)"},
		{"a passphrase check under a policy without passphrases", `{"v":4,"policy":{},"members":[{"group":"g","member":"m","passphrase_due":` + t1 + `}]}`, "members[0]: a passphrase check, but the policy checks no passphrases"},
		{"a reminder without its due time", `{"v":4,"policy":{},"members":[{"group":"g","member":"m","passphrase_reminded":true}]}`, "members[0]: passphrase_reminded without passphrase_due"},
		{"an audit act of no kind", `{"v":4,"policy":{},"audit":[{"time":` + t1 + `,"act":"bless","by":"a","member":"m"}]}`, `act "bless" is not one of pardon, ban, unban, lift, approve, reject`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := busyEngine(t)
			before := snapshot(t, e)
			err := e.UnmarshalJSON([]byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("UnmarshalJSON: error %v, want one containing %q", err, c.want)
			}
			if after := snapshot(t, e); after != before {
				t.Errorf("a failed restore changed the engine")
			}
		})
	}
}
