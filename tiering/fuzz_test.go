package tiering

import (
	"encoding/json"
	"testing"
)

// FuzzParseTier checks that ParseTier never panics and accepts exactly the
// names String writes.
func FuzzParseTier(f *testing.F) {
	f.Add("core")
	f.Add("Core")
	f.Fuzz(func(t *testing.T, s string) {
		tier, err := ParseTier(s)
		if err == nil && tier.String() != s {
			t.Fatalf("ParseTier(%q) = %v", s, tier)
		}
	})
}

// FuzzReviewerJSON checks that any accepted reviewer state marshals back
// to a state that reads the same.
func FuzzReviewerJSON(f *testing.F) {
	f.Add([]byte(`{"v":2,"policy":{"window":"168h"},"members":{"m":{"tier":"core","reason":"x","since":"2026-03-02T08:00:00+08:00"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r Reviewer
		if err := json.Unmarshal(b, &r); err != nil {
			return
		}
		out, err := json.Marshal(&r)
		if err != nil {
			t.Fatalf("accepted state does not marshal: %v", err)
		}
		var back Reviewer
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("own output rejected: %v\n%s", err, out)
		}
		if again, _ := json.Marshal(&back); string(again) != string(out) {
			t.Fatalf("not stable:\n%s\n%s", out, again)
		}
	})
}

// FuzzLedgerJSON checks that the ledger decoder never panics, accepts only
// states whose balances equal credits minus debits and are not negative,
// and round-trips what it accepts.
func FuzzLedgerJSON(f *testing.F) {
	f.Add([]byte(`{"v":2,"policy":{"message_cap":3},"location":"Asia/Shanghai","accounts":{"m":{"balance":1,"credited":1,"debited":0,"counts":{"2026-03-02":{"message":1}}}},"entries":{"e1":{"member":"m","source":"message","time":"2026-03-02T08:00:00+08:00","points":1}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var l Ledger
		if err := json.Unmarshal(b, &l); err != nil {
			return
		}
		for _, m := range l.Members() {
			if a := l.Account(m); a.Balance < 0 || a.Balance != a.Credited-a.Debited {
				t.Fatalf("accepted account %s: %+v", m, a)
			}
		}
		out, err := json.Marshal(&l)
		if err != nil {
			t.Fatalf("accepted state does not marshal: %v", err)
		}
		var back Ledger
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("own output rejected: %v\n%s", err, out)
		}
		// Reversals and redemptions on accepted state keep balances sound.
		for id := range back.entries {
			_, _, _ = back.Reverse(id)
		}
		for _, m := range back.Members() {
			if a := back.Account(m); a.Balance < 0 || a.Balance != a.Credited-a.Debited {
				t.Fatalf("after reversals %s: %+v", m, a)
			}
		}
	})
}

// FuzzDrawingJSON checks that any accepted drawing marshals back to the
// same bytes' meaning, and that Verify of whatever a stranger publishes
// answers with nil or an error, never a panic.
func FuzzDrawingJSON(f *testing.F) {
	f.Add([]byte(`{"v":1,"seed":"20260305","entrants":[{"member":"ann"},{"member":"bob","tickets":2}],"winners":["ann"]}`))
	f.Add([]byte(`{"v":1,"seed":"0","entrants":[{"member":"a"},{"member":"a"}],"winners":["a","a","a"]}`))
	f.Add([]byte(`{"v":1,"seed":"1","entrants":[{"member":"a","tickets":-5}],"winners":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Drawing
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		if len(d.Entrants) > 1000 || len(d.Winners) > 1000 {
			return // keep each run fast; the cost is linear anyway
		}
		verr := d.Verify()
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("accepted drawing does not marshal: %v", err)
		}
		var back Drawing
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("own output rejected: %v\n%s", err, out)
		}
		if again, _ := json.Marshal(back); string(again) != string(out) {
			t.Fatalf("not stable:\n%s\n%s", out, again)
		}
		if (back.Verify() == nil) != (verr == nil) {
			t.Fatalf("Verify changed with a round trip: %v", verr)
		}
	})
}
