package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qunops/qunops"
)

func TestActionJSON(t *testing.T) {
	a := Action{Type: Warn, Group: "g1@chatroom", Member: "wxid_x", Text: "第1次警告", Rule: RuleLink, Level: 1,
		Time: time.Date(2026, 3, 2, 9, 0, 0, 0, qunops.DefaultLocation())}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"warn","group":"g1@chatroom","member":"wxid_x","text":"第1次警告","rule":"link","level":1,"time":"2026-03-02T09:00:00+08:00"}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var back Action
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, back, cmp.Comparer(func(x, y time.Time) bool { return x.Equal(y) })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, typ := range ActionTypes() {
		var got ActionType
		if err := got.UnmarshalText([]byte(typ)); err != nil || got != typ {
			t.Errorf("UnmarshalText(%q) = %q, %v", typ, got, err)
		}
	}
	err = json.Unmarshal([]byte(`{"type":"kick","group":"g"}`), &back)
	if err == nil || !strings.Contains(err.Error(), `"kick"`) {
		t.Errorf("unknown action type: error %v, want one naming it", err)
	}
}
