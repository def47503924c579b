package steps

import (
	"testing"
	"time"

	"github.com/qunops/qunops/rules"
)

func TestMemo(t *testing.T) {
	var m Memo
	a := rules.Action{Type: rules.Remove, Group: "g", Member: "u", Time: time.Unix(1, 0)}
	b := a
	b.Time = time.Unix(2, 0) // a later Remove of the same member is another action
	ka, kb := Key(a), Key(b)
	if ka == kb {
		t.Fatalf("two Removes at different times share the key %q", ka)
	}
	m.Mark(ka, 1)
	if !m.Done(ka, 1) || m.Done(ka, 0) || m.Done(kb, 1) {
		t.Errorf("after Mark(a, 1): a0 %v a1 %v b1 %v, want false true false", m.Done(ka, 0), m.Done(ka, 1), m.Done(kb, 1))
	}
	m.Forget(ka)
	if m.Done(ka, 1) || m.Len() != 0 {
		t.Errorf("after Forget: done %v, len %d", m.Done(ka, 1), m.Len())
	}
}

// TestMemoBounded: the memo never holds more than Max actions.
func TestMemoBounded(t *testing.T) {
	var m Memo
	for i := range Max + 10 {
		m.Mark(Key(rules.Action{Type: rules.Remove, Member: "u", Time: time.Unix(int64(i), 0)}), 0)
	}
	if m.Len() > Max {
		t.Errorf("memo holds %d actions, more than Max %d", m.Len(), Max)
	}
}
