package schedule

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Clock is a time of day as minutes after midnight: 0 is 00:00 and 1440 is
// 24:00, which is valid only as the end of a Window. A Clock is wall-clock
// time: it says what the clock on the wall reads, not how long it is since
// midnight (the two differ on a day with a daylight-saving change).
type Clock int

// Hour and Minute are clock units, so that 8*Hour + 30*Minute is 08:30.
const (
	Minute Clock = 1
	Hour   Clock = 60
)

// endOfDay is 24:00, the largest Clock.
const endOfDay = 24 * Hour

// ClockOf returns hour:minute as a Clock. It does not check its arguments;
// see Valid.
func ClockOf(hour, minute int) Clock { return Clock(hour*60 + minute) }

// Valid reports whether c lies in 00:00..24:00.
func (c Clock) Valid() bool { return c >= 0 && c <= endOfDay }

// Hour returns the hour of c, 0..24.
func (c Clock) Hour() int { return int(c) / 60 }

// Minute returns the minute of c within its hour, 0..59.
func (c Clock) Minute() int { return int(c) % 60 }

// String returns c as "15:04" ("24:00" for the end of the day), or
// "Clock(N)" when c is not valid.
func (c Clock) String() string {
	if !c.Valid() {
		return "Clock(" + strconv.Itoa(int(c)) + ")"
	}
	return string(c.appendText(make([]byte, 0, 5)))
}

func (c Clock) appendText(b []byte) []byte {
	h, m := c.Hour(), c.Minute()
	return append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10))
}

// ParseClock reads a Clock written "HH:MM" (two digits each, 00:00 to
// 24:00), the format String writes.
func ParseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("schedule: clock %q is not HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 {
		return 0, fmt.Errorf("schedule: clock %q: minute %d is outside 00..59", s, m)
	}
	c := ClockOf(h, m)
	if !c.Valid() {
		return 0, fmt.Errorf("schedule: clock %q is after 24:00", s)
	}
	return c, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MarshalText writes c as "HH:MM"; it fails when c is not valid.
func (c Clock) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("schedule: clock %d is outside 00:00..24:00", int(c))
	}
	return c.appendText(nil), nil
}

// UnmarshalText reads "HH:MM". On error c is left unchanged.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// clockOf returns the wall-clock time of t, to the minute.
func clockOf(t time.Time) Clock {
	h, m, _ := t.Clock()
	return ClockOf(h, m)
}

// Window is a span of wall-clock time within one day, from Start
// (included) to End (excluded). A valid window has
// 00:00 <= Start < End <= 24:00; windows do not wrap past midnight.
//
// The seed's "早8:00-9:00" (F19) is Window{8 * Hour, 9 * Hour}: the hour
// that 08:00 begins, so a post at 08:59:59 is inside it and a post at
// exactly 09:00 is not (09:00 begins the next hour; a window closed at
// both ends would make 20:00-21:00 and 21:00-22:00 overlap). Posts are
// compared by their wall clock to the minute.
type Window struct {
	Start, End Clock
}

// Len returns the length of w in clock minutes.
func (w Window) Len() Clock { return w.End - w.Start }

// Contains reports whether Start <= c < End.
func (w Window) Contains(c Clock) bool { return w.Start <= c && c < w.End }

// Validate reports why w is not a valid window, or nil, as in
// "schedule: window 09:00-08:00: end 08:00 is not after start 09:00".
func (w Window) Validate() error {
	if err := w.validate(); err != nil {
		return fmt.Errorf("schedule: window %v: %w", w, err)
	}
	return nil
}

// validate is Validate without the package and the window in the error,
// for callers that say which window they mean.
func (w Window) validate() error {
	switch {
	case !w.Start.Valid() || w.Start == endOfDay:
		return fmt.Errorf("start %v is outside 00:00..23:59", w.Start)
	case !w.End.Valid():
		return fmt.Errorf("end %v is outside 00:01..24:00", w.End)
	case w.End <= w.Start:
		return fmt.Errorf("end %v is not after start %v", w.End, w.Start)
	}
	return nil
}

// String returns w as "08:00-09:00".
func (w Window) String() string { return w.Start.String() + "-" + w.End.String() }

// ParseWindow reads a window written "HH:MM-HH:MM", the format String
// writes, and validates it.
func ParseWindow(s string) (Window, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, fmt.Errorf("schedule: window %q is not HH:MM-HH:MM", s)
	}
	start, err := ParseClock(a)
	if err != nil {
		return Window{}, fmt.Errorf("schedule: window %q: start: %w", s, err)
	}
	end, err := ParseClock(b)
	if err != nil {
		return Window{}, fmt.Errorf("schedule: window %q: end: %w", s, err)
	}
	w := Window{start, end}
	if err := w.validate(); err != nil {
		return Window{}, fmt.Errorf("schedule: window %q: %w", s, err)
	}
	return w, nil
}

// MarshalText writes w as "HH:MM-HH:MM"; it fails when w is not valid.
func (w Window) MarshalText() ([]byte, error) {
	if err := w.validate(); err != nil {
		return nil, fmt.Errorf("schedule: window: %w", err)
	}
	return []byte(w.String()), nil
}

// UnmarshalText reads "HH:MM-HH:MM". On error w is left unchanged.
func (w *Window) UnmarshalText(b []byte) error {
	v, err := ParseWindow(string(b))
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// Weekdays is a set of days of the week: bit d is set when time.Weekday d
// is in the set. In a Rule the empty set means every day.
type Weekdays uint8

// EveryDay holds all seven days.
const EveryDay Weekdays = 1<<7 - 1

// DaysOf returns the set of the given days.
func DaysOf(days ...time.Weekday) Weekdays {
	var s Weekdays
	for _, d := range days {
		s |= 1 << uint(d%7)
	}
	return s
}

// Has reports whether d is in s.
func (s Weekdays) Has(d time.Weekday) bool { return s&(1<<uint(d%7)) != 0 }

// Len returns the number of days in s.
func (s Weekdays) Len() int { return bits.OnesCount8(uint8(s & EveryDay)) }

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// String lists the days of s from Monday to Sunday as "mon,wed,fri"; the
// empty set is "". Bits beyond the seventh are written as "?".
func (s Weekdays) String() string {
	var b strings.Builder
	for i := range 7 {
		d := (i + 1) % 7
		if s&(1<<d) != 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(dayNames[d])
		}
	}
	if s&^EveryDay != 0 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
	}
	return b.String()
}

// ParseWeekdays reads a comma-separated list of three-letter lowercase day
// names ("mon,wed,fri"), the format String writes; "" is the empty set.
func ParseWeekdays(s string) (Weekdays, error) {
	var set Weekdays
	if s == "" {
		return 0, nil
	}
	for name := range strings.SplitSeq(s, ",") {
		d := slices.Index(dayNames[:], name)
		if d < 0 {
			return 0, fmt.Errorf("schedule: weekdays %q: %q is not one of mon tue wed thu fri sat sun", s, name)
		}
		set |= 1 << d
	}
	return set, nil
}

// MarshalText writes s as String does; it fails when s has bits beyond the
// seventh.
func (s Weekdays) MarshalText() ([]byte, error) {
	if s&^EveryDay != 0 {
		return nil, fmt.Errorf("schedule: weekdays %#x has bits beyond the seven days", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads what MarshalText writes. On error s is left
// unchanged.
func (s *Weekdays) UnmarshalText(b []byte) error {
	v, err := ParseWeekdays(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Period is how often something recurs. Rules count per Daily or Weekly
// period; cadences recur Weekly, Monthly, Quarterly or Yearly. The zero
// Period is not a period.
type Period uint8

// The periods.
const (
	Daily Period = iota + 1
	Weekly
	Monthly
	Quarterly
	Yearly
)

var periodNames = [...]string{"", "daily", "weekly", "monthly", "quarterly", "yearly"}

// String returns the lowercase name of p ("daily", ...), or "Period(N)".
func (p Period) String() string {
	if p >= Daily && p <= Yearly {
		return periodNames[p]
	}
	return "Period(" + strconv.Itoa(int(p)) + ")"
}

// MarshalText writes p's name; it fails when p is not a period.
func (p Period) MarshalText() ([]byte, error) {
	if p < Daily || p > Yearly {
		return nil, fmt.Errorf("schedule: period %d is not a period", uint8(p))
	}
	return []byte(periodNames[p]), nil
}

// UnmarshalText reads a period's name. On error p is left unchanged.
func (p *Period) UnmarshalText(b []byte) error {
	for v := Daily; v <= Yearly; v++ {
		if periodNames[v] == string(b) {
			*p = v
			return nil
		}
	}
	return fmt.Errorf("schedule: period %q is not %s", b, orList(periodNames[1:]))
}
