package qunops

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pgregory.net/rapid"
)

var shanghai = time.FixedZone("CST", 8*3600)

func validEvent(t EventType) Event {
	e := Event{Type: t, Group: "g1@chatroom", Member: "wxid_a", Time: time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)}
	switch t {
	case Read, Claim:
		e.Item = "coupon-1"
	case Report:
		e.Actor = "wxid_b"
	case Rename:
		e.Text = "上海-小王"
	case Title:
		e.Text = "上海宝妈交流群"
	}
	return e
}

func TestValidateAcceptsEveryTypeWithItsRequiredFields(t *testing.T) {
	for _, typ := range EventTypes() {
		if err := validEvent(typ).Validate(); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Event)
		field string
	}{
		{"empty type", func(e *Event) { e.Type = "" }, "type"},
		{"unknown type", func(e *Event) { e.Type = "kick" }, "type"},
		{"empty group", func(e *Event) { e.Group = "" }, "group"},
		{"empty member", func(e *Event) { e.Member = "" }, "member"},
		{"zero time", func(e *Event) { e.Time = time.Time{} }, "time"},
		{"year 10000", func(e *Event) { e.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "time"},
		{"negative year", func(e *Event) { e.Time = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) }, "time"},
		{"offset with seconds (LMT)", func(e *Event) { e.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 8*3600+343)) }, "time"},
		{"offset +24:00", func(e *Event) { e.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)) }, "time"},
		{"offset +25:00 (issue 18)", func(e *Event) { e.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 25*3600)) }, "time"},
		{"offset -24:00", func(e *Event) { e.Time = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", -24*3600)) }, "time"},
		{"read without item", func(e *Event) { e.Type = Read; e.Item = "" }, "item"},
		{"claim without item", func(e *Event) { e.Type = Claim; e.Item = "" }, "item"},
		{"report without actor", func(e *Event) { e.Type = Report; e.Actor = "" }, "actor"},
		{"rename without text", func(e *Event) { e.Type = Rename; e.Text = "" }, "text"},
		{"invalid UTF-8 text", func(e *Event) { e.Text = "a\xffb" }, "text"},
		{"invalid UTF-8 member", func(e *Event) { e.Member = "\xc3" }, "member"},
		{"invalid UTF-8 item", func(e *Event) { e.Item = "\xed\xa0\x80" }, "item"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validEvent(Message)
			tc.edit(&e)
			err := e.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate() = %v, want a *FieldError", err)
			}
			if fe.Field != tc.field {
				t.Errorf("field = %q, want %q (error %q)", fe.Field, tc.field, err)
			}
			if !strings.HasPrefix(err.Error(), "qunops: ") || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q should start with qunops: and name %q", err, tc.field)
			}
		})
	}
}

func TestValidateAllocatesNothing(t *testing.T) {
	e := validEvent(Message)
	e.Text = "你好 world"
	if n := testing.AllocsPerRun(100, func() { _ = e.Validate() }); n != 0 {
		t.Errorf("Validate allocates %v times per call, want 0", n)
	}
}

// isASCII agrees with a byte-by-byte check, whatever the length (the word
// loop, the overlapping tail and the short-string loop) and wherever the
// high byte sits.
func TestIsASCIIMatchesByteCheck(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "bytes")
		want := true
		for _, c := range b {
			want = want && c < utf8.RuneSelf
		}
		if got := isASCII(string(b)); got != want {
			t.Fatalf("isASCII(%q) = %v, want %v", b, got, want)
		}
	})
	for n := range 20 {
		for at := range n {
			b := []byte(strings.Repeat("a", n))
			b[at] = 0x80
			if isASCII(string(b)) {
				t.Errorf("isASCII(%q) = true", b)
			}
		}
	}
}

// Validate's year bound, computed from Unix seconds plus the offset, agrees
// with time.Time.Year in the event's own offset, around both ends of
// 0000..9999 and for any whole-minute offset from -23:59 to +23:59.
func TestValidateYearBoundMatchesYear(t *testing.T) {
	for _, off := range []int{0, 14 * 3600, -12 * 3600, 8*3600 + 45*60} {
		zone := time.FixedZone("z", off)
		for _, c := range []struct {
			y, mo, d, h, min, s int
			ok                  bool
		}{
			{-1, 12, 31, 23, 59, 59, false},
			{0, 1, 1, 0, 0, 0, true},
			{9999, 12, 31, 23, 59, 59, true},
			{10000, 1, 1, 0, 0, 0, false},
		} {
			e := validEvent(Message)
			e.Time = time.Date(c.y, time.Month(c.mo), c.d, c.h, c.min, c.s, 0, zone)
			if err := e.Validate(); (err == nil) != c.ok {
				t.Errorf("%v: Validate() = %v, want ok %v", e.Time, err, c.ok)
			}
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		off := rapid.IntRange(-(24*60-1), 24*60-1).Draw(t, "offsetMinutes") * 60
		base := rapid.SampledFrom([]int64{minLocalUnix, maxLocalUnix, 0}).Draw(t, "near")
		local := base + rapid.Int64Range(-2*86400, 2*86400).Draw(t, "seconds")
		e := validEvent(Message)
		e.Time = time.Unix(local-int64(off), 0).In(time.FixedZone("z", off))
		y := e.Time.Year()
		err := e.Validate()
		if inRange := y >= 0 && y <= 9999; inRange != (err == nil) {
			t.Fatalf("%v (year %d): Validate() = %v", e.Time, y, err)
		}
	})
}
