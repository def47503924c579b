package qunops

import (
	"errors"
	"strings"
	"testing"
	"time"
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
