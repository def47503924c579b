package schedule

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/qunops/qunops/internal/jsonx"
)

// Cadence is an operator's recurring task: every week on a weekday, every
// month on a day, every quarter on a day of one of its months, or every
// year on a date, at a wall-clock time.
//
// A day past the end of a month means the month's last day: Day 31 is
// 28 February in 2026 and 29 February in 2028, and a yearly 29 February is
// 28 February in common years. Times follow the rules of Week for days
// with a daylight-saving change (first occurrence; skipped times move
// forward by the gap).
//
// In JSON the keys are the field names in snake_case, the period and the
// weekday lowercase words and the time "HH:MM":
//
//	{"name":"log-export","every":"weekly","weekday":"mon","at":"09:00","seed":"F29"}
//
// The weekday is written for weekly cadences (and whenever it is not
// Sunday) and an absent one is Sunday; zero month and day are left out.
type Cadence struct {
	// Name says what recurs, e.g. "log-export".
	Name string `json:"name"`
	// Every is Weekly, Monthly, Quarterly or Yearly.
	Every Period `json:"every"`
	// Weekday is the day of a Weekly cadence (the zero value is Sunday).
	Weekday time.Weekday `json:"weekday,omitempty"`
	// Month is the month of a Yearly cadence (1..12), or the month within
	// each quarter of a Quarterly one (1..3: January, April, July and
	// October are month 1); 0 means 1. Unused otherwise.
	Month int `json:"month,omitempty"`
	// Day is the day of the month, 1..31, clamped to the month's last day;
	// 0 means 1. Unused by Weekly cadences.
	Day int `json:"day,omitempty"`
	// At is the time of day, 00:00..23:59.
	At Clock `json:"at"`
	// Seed is the seed figure the cadence comes from, e.g. "F29"; empty
	// for the caller's own.
	Seed string `json:"seed,omitempty"`
}

// DefaultCadences returns the operator's calendar from the seed. The seed
// gives the periods; the days and times are this package's choice:
//   - "log-export": every Monday at 09:00, export the week's chat log and
//     its frequent words (seed F29);
//   - "backup": every Sunday at 22:00, back up the data the group's tools
//     keep (engine snapshots, ledger, live-code pool, exported logs) and
//     move important files to the cloud (seed F13: "定期备份数据"; F40:
//     "定期备份聊天记录,重要文件转存云端"). The seed says only
//     "regularly"; weekly, on the evening that closes the week before
//     Monday's log export, is ours;
//   - "figures-review": the 1st of every month at 10:00 (seed F29);
//   - "tier-refresh": the 1st of every month at 09:00 (seed F36);
//   - "offline-event": the 15th of the second month of every quarter at
//     14:00 (seed F41);
//   - "rule-review": 2 January every year at 10:00 (seed F41).
func DefaultCadences() []Cadence {
	return []Cadence{
		{Name: "log-export", Every: Weekly, Weekday: time.Monday, At: 9 * Hour, Seed: "F29"},
		{Name: "backup", Every: Weekly, Weekday: time.Sunday, At: 22 * Hour, Seed: "F13,F40"},
		{Name: "figures-review", Every: Monthly, Day: 1, At: 10 * Hour, Seed: "F29"},
		{Name: "tier-refresh", Every: Monthly, Day: 1, At: 9 * Hour, Seed: "F36"},
		{Name: "offline-event", Every: Quarterly, Month: 2, Day: 15, At: 14 * Hour, Seed: "F41"},
		{Name: "rule-review", Every: Yearly, Month: 1, Day: 2, At: 10 * Hour, Seed: "F41"},
	}
}

// Validate reports the first problem of c, naming the field.
func (c Cadence) Validate() error {
	switch c.Every {
	case Weekly, Monthly, Quarterly, Yearly:
	default:
		return fmt.Errorf("schedule: cadence %q: every: %v must be weekly, monthly, quarterly or yearly", c.Name, c.Every)
	}
	if c.Weekday < time.Sunday || c.Weekday > time.Saturday {
		return fmt.Errorf("schedule: cadence %q: weekday: %d is outside 0..6", c.Name, int(c.Weekday))
	}
	maxMonth := 12
	if c.Every == Quarterly {
		maxMonth = 3
	}
	if c.Month < 0 || c.Month > maxMonth {
		return fmt.Errorf("schedule: cadence %q: month: %d is outside 1..%d", c.Name, c.Month, maxMonth)
	}
	if c.Day < 0 || c.Day > 31 {
		return fmt.Errorf("schedule: cadence %q: day: %d is outside 1..31", c.Name, c.Day)
	}
	if c.At < 0 || c.At >= endOfDay {
		return fmt.Errorf("schedule: cadence %q: at: %v is outside 00:00..23:59", c.Name, c.At)
	}
	return nil
}

// Next returns the first occurrence of c strictly after after, in after's
// location. It returns the zero Time when c does not validate. Cost: a few
// calls of time.Date, no allocation.
func (c Cadence) Next(after time.Time) time.Time {
	if c.Validate() != nil {
		return time.Time{}
	}
	loc := after.Location()
	y, m, d := after.Date()
	for i := range 3 { // the current period, and the next one or two
		var day date
		switch c.Every {
		case Weekly:
			ahead := (int(c.Weekday) - int(after.Weekday()) + 7) % 7
			day, _ = dateOf(y, m, d+ahead+7*i)
		case Monthly:
			day = clampDay(y, m+time.Month(i), c.Day)
		case Quarterly:
			first := (m-1)/3*3 + 1 // first month of after's quarter
			day = clampDay(y, first+time.Month(max(c.Month, 1)-1+3*i), c.Day)
		case Yearly:
			day = clampDay(y+i, time.Month(max(c.Month, 1)), c.Day)
		}
		if t := localAt(day, c.At, loc); t.After(after) {
			return t
		}
	}
	return time.Time{} // not reached for a valid cadence
}

// clampDay returns day (0 meaning 1) of month m of year y, which may be
// out of range and is normalized first, clamped to the month's last day.
func clampDay(y int, m time.Month, day int) date {
	first, _ := dateOf(y, m, 1)
	return date{first.y, first.m, min(max(day, 1), daysIn(first.y, first.m))}
}

// weekdayWord is a time.Weekday written as "sun", "mon", ... "sat", the day
// names of Weekdays.
type weekdayWord time.Weekday

// MarshalText writes d's three-letter name; it fails for a day outside
// Sunday..Saturday.
func (d weekdayWord) MarshalText() ([]byte, error) {
	if d < 0 || int(d) >= len(dayNames) {
		return nil, fmt.Errorf("schedule: weekday %d is outside 0..6", int(d))
	}
	return []byte(dayNames[d]), nil
}

// UnmarshalText reads a three-letter day name. On error d is unchanged.
func (d *weekdayWord) UnmarshalText(b []byte) error {
	i := slices.Index(dayNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("schedule: weekday %q is not one of mon tue wed thu fri sat sun", b)
	}
	*d = weekdayWord(i)
	return nil
}

// cadenceJSON is the JSON form of a Cadence.
type cadenceJSON struct {
	Name    string       `json:"name"`
	Every   Period       `json:"every"`
	Weekday *weekdayWord `json:"weekday,omitempty"`
	Month   int          `json:"month,omitempty"`
	Day     int          `json:"day,omitempty"`
	At      *Clock       `json:"at"` // required: an absent time is not midnight
	Seed    string       `json:"seed,omitempty"`
}

// MarshalJSON writes c as shown in the type's documentation. It fails when
// c does not validate.
func (c Cadence) MarshalJSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	j := cadenceJSON{Name: c.Name, Every: c.Every, Month: c.Month, Day: c.Day, At: &c.At, Seed: c.Seed}
	if c.Every == Weekly || c.Weekday != time.Sunday {
		w := weekdayWord(c.Weekday)
		j.Weekday = &w
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes and validates the result.
// Unknown, duplicate and wrongly spelt keys and unknown words are errors
// that name them; "at" is required (an absent time would silently be
// midnight), and so is "every" since a cadence without a period does not
// validate. On error c is left unchanged.
func (c *Cadence) UnmarshalJSON(b []byte) error {
	var j cadenceJSON
	if err := jsonx.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("schedule: cadence: %w", err)
	}
	if j.At == nil {
		return fmt.Errorf("schedule: cadence %q: at is required", j.Name)
	}
	v := Cadence{Name: j.Name, Every: j.Every, Month: j.Month, Day: j.Day, At: *j.At, Seed: j.Seed}
	if j.Weekday != nil {
		v.Weekday = time.Weekday(*j.Weekday)
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*c = v
	return nil
}
