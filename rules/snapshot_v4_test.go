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

// v4Policy and v4Events build the state of testdata/snapshot_v4.json.
func v4Policy() rules.Policy {
	return rules.Policy{Admins: []string{"a1", "a2"}, Prohibited: []string{"赌博"}, Self: []string{"bot"},
		Replies:     []rules.AutoReply{{Name: "hours", Keywords: []string{"几点"}, Text: "9点"}},
		Passphrases: []string{"芝麻开门"}, Promotions: []string{"优惠"}, InviteMax: 1, MaxSkew: 1000 * time.Hour}
}

func v4Events() []qunops.Event {
	m := func(member string, d time.Duration, text string) qunops.Event {
		return qunops.Event{Type: qunops.Message, Group: "g1", Member: member, Time: t0.Add(d), Text: text, ID: fmt.Sprint("wx:", member, d)}
	}
	inv := func(member string, d time.Duration) qunops.Event {
		return qunops.Event{Type: qunops.Join, Group: "g1", Member: member, Actor: "host", Kind: qunops.JoinInvite, Time: t0.Add(d)}
	}
	pay := m("payer", 5*mn, "")
	pay.Kind = qunops.KindTransfer
	return []qunops.Event{
		m("w", 0, "t.cn/x"), m("f", 0, "1"), m("f", sec, "2"), m("r", 0, "同样"), m("r", sec, "同样"),
		m("q", 0, "几点"), {Type: qunops.Join, Group: "g1", Member: "new", Time: t0.Add(mn), Text: "Amy"},
		m("bad", 2*mn, "赌博"), {Type: qunops.Report, Group: "g1", Member: "w", Actor: "q", Time: t0.Add(3 * mn)},
		m("bot", 3*mn, "早上好"), inv("i1", 4*mn), inv("i2", 4*mn+sec), pay, m("seller", 6*mn, "今天优惠"),
	}
}

func playV4(t *testing.T, e *rules.Engine) {
	t.Helper()
	for _, ev := range v4Events() {
		handle(t, e, ev)
	}
	if err := e.Pardon("a1", "g1", "w", t0.Add(7*mn)); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotVersion4 (issue 16): testdata/snapshot_v4.json was written
// by the engine of the release before version 5 (commit 4c17bbf, the
// events of v4Events played on it and marshalled): passphrase checks,
// invites, alerts and a held promotion among the rest. It loads, and the
// restored engine is exactly the one the same events build today: the
// same snapshot, byte for byte, and it has no titles.
func TestSnapshotVersion4(t *testing.T) {
	old, err := os.ReadFile("testdata/snapshot_v4.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(old), `{"v":4,`) {
		t.Fatalf("the fixture is not a version 4 snapshot: %.40s", old)
	}
	var restored rules.Engine
	if err := json.Unmarshal(old, &restored); err != nil {
		t.Fatalf("restore of version 4: %v", err)
	}
	got, err := json.Marshal(&restored)
	if err != nil {
		t.Fatal(err)
	}
	e, err := rules.New(v4Policy())
	if err != nil {
		t.Fatal(err)
	}
	playV4(t, e)
	want, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("version 4 restored:\n%s\nwant, as today's engine writes the same state:\n%s", got, want)
	}
	if !strings.HasPrefix(string(got), fmt.Sprintf(`{"v":%d,`, rules.SnapshotVersion)) {
		t.Errorf("the restored engine writes %.10s, want version %d", got, rules.SnapshotVersion)
	}
}
