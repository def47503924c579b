package schedule

import (
	"fmt"
	"time"
)

// date is a calendar date with no location: the proleptic Gregorian
// calendar as the time package counts it.
type date struct {
	y int
	m time.Month
	d int
}

// String returns d as "2006-01-02"; it is only called when a violation is
// written.
func (d date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

// dateOf normalizes y-m-d (a day 0 or 32 rolls into the next month, as
// with time.Date) and returns it with its weekday.
func dateOf(y int, m time.Month, d int) (date, time.Weekday) {
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	ny, nm, nd := t.Date()
	return date{ny, nm, nd}, t.Weekday()
}

// num returns d as a day number: days since 1970-01-01, negative before.
func (d date) num() int64 {
	sec := time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC).Unix()
	n := sec / 86400
	if sec%86400 < 0 {
		n--
	}
	return n
}

// before reports whether d is an earlier date than e.
func (d date) before(e date) bool {
	if d.y != e.y {
		return d.y < e.y
	}
	if d.m != e.m {
		return d.m < e.m
	}
	return d.d < e.d
}

// dateOfNum returns the date of day number n (see num).
func dateOfNum(n int64) date {
	d, _ := dateOf(1970, time.January, 1+int(n))
	return d
}

// weekdayOf returns the weekday of day number n; 1970-01-01 was a
// Thursday.
func weekdayOf(n int64) time.Weekday {
	return time.Weekday(((n+4)%7 + 7) % 7)
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// localAt returns the instant at which the wall clock in loc reads c on
// date d, which must be normalized and c < 24:00. It follows RFC 5545
// (section 3.3.5), as calendar programs do, and unlike time.Date it is the
// same in every zone:
//   - a reading that occurs twice (the hour repeated when clocks go back)
//     means the first occurrence;
//   - a reading that never occurs (the hour skipped when clocks go
//     forward) is taken with the UTC offset in force before the gap, so
//     that 02:30 on a day when 02:00 jumps to 03:00 becomes 03:30.
func localAt(d date, c Clock, loc *time.Location) time.Time {
	h, mi := c.Hour(), c.Minute()
	t := time.Date(d.y, d.m, d.d, h, mi, 0, 0, loc)
	naive := time.Date(d.y, d.m, d.d, h, mi, 0, 0, time.UTC).Unix()
	_, off := t.Zone()
	wall := t.Unix() + int64(off)
	start, _ := t.ZoneBounds()
	if wall == naive {
		// The reading exists. Did it occur earlier too, under the offset
		// in force before t's zone period began?
		if start.IsZero() {
			return t
		}
		_, prev := start.Add(-time.Second).Zone()
		if prev <= off {
			return t
		}
		first := time.Unix(naive-int64(prev), 0).In(loc)
		if first.Before(start) {
			return first
		}
		return t
	}
	// The reading was skipped. time.Date placed t on one side of the gap;
	// find the offset in force before it.
	before := off
	if wall > naive && !start.IsZero() {
		_, before = start.Add(-time.Second).Zone()
	}
	return time.Unix(naive-int64(before), 0).In(loc)
}
