package schedule

import (
	"encoding/json"
	"testing"
)

// Parsers never panic, and what they accept prints back to itself.

func FuzzParseClock(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClock(s)
		if err != nil {
			return
		}
		if !c.Valid() || c.String() != s {
			t.Fatalf("ParseClock(%q) = %d, prints %q", s, int(c), c.String())
		}
	})
}

func FuzzParseWindow(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWindow(s)
		if err != nil {
			return
		}
		if w.Validate() != nil || w.String() != s {
			t.Fatalf("ParseWindow(%q) = %+v, prints %q", s, w, w.String())
		}
	})
}

func FuzzParseWeekdays(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseWeekdays(s)
		if err != nil {
			return
		}
		if d&^EveryDay != 0 {
			t.Fatalf("ParseWeekdays(%q) = %#x", s, uint8(d))
		}
		back, err := ParseWeekdays(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseWeekdays(%q) = %v, reparsed %v, %v", s, d, back, err)
		}
	})
}

func FuzzParseKind(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKind(s)
		if err == nil && (!k.Valid() || k.String() != s) {
			t.Fatalf("ParseKind(%q) = %v", s, k)
		}
	})
}

// A plan read from JSON validates, writes back, and reads back the same;
// a failed read leaves the plan untouched.
func FuzzPlanJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		p := DefaultPlan()
		if err := p.UnmarshalJSON(b); err != nil {
			if len(p.Rules) != 3 || p.DailyCap != DefaultDailyCap {
				t.Fatalf("failed read changed the plan: %+v", p)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("read an invalid plan: %v", err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var q Plan
		if err := q.UnmarshalJSON(out); err != nil {
			t.Fatalf("reread %s: %v", out, err)
		}
		again, _ := json.Marshal(q)
		if string(again) != string(out) {
			t.Fatalf("not stable:\n%s\n%s", out, again)
		}
	})
}

// A cadence read from JSON validates, writes back, and reads back the
// same; a failed read leaves the cadence untouched.
func FuzzCadenceJSON(f *testing.F) {
	for _, c := range DefaultCadences() {
		b, _ := json.Marshal(c)
		f.Add(b)
	}
	f.Add([]byte(`{"every":"weekly","weekday":"sun","weekday":"mon","at":"09:00"}`))
	f.Add([]byte(`{"every":"monthly","day":31,"at":"23:59","Seed":"F1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := DefaultCadences()[0]
		if err := c.UnmarshalJSON(b); err != nil {
			if c != DefaultCadences()[0] {
				t.Fatalf("failed read changed the cadence: %+v", c)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("read an invalid cadence: %v", err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var d Cadence
		if err := d.UnmarshalJSON(out); err != nil || d != c {
			t.Fatalf("reread %s: %+v, %v", out, d, err)
		}
	})
}
