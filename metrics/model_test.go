package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/qunops/qunops"
	"pgregory.net/rapid"
)

// This file holds a deliberately naive model of the Tracker's documented
// semantics (it keeps every event and recomputes everything from scratch by
// calendar dates), and rapid generators of event logs.

type model struct {
	loc    *time.Location
	events []qunops.Event
	ids    map[string]bool
	keys   map[time.Time]int // memo of dateKey
}

func newModel(loc *time.Location) *model {
	return &model{loc: loc, ids: map[string]bool{}, keys: map[time.Time]int{}}
}

func (md *model) add(e qunops.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.ID != "" {
		// IDs are deduplicated per group, and only between events with the
		// same facts (see eventKey): two different events that share an
		// ID both count.
		key := fmt.Sprintf("%q %q %q %q %q %d.%09d", e.Group, e.ID, e.Type, e.Member, e.Item, e.Time.Unix(), e.Time.Nanosecond())
		if md.ids[key] {
			return nil
		}
		md.ids[key] = true
	}
	md.events = append(md.events, e)
	return nil
}

// dateKey is a calendar date as an ordered integer yyyymmdd.
func (md *model) dateKey(t time.Time) int {
	if k, ok := md.keys[t]; ok {
		return k
	}
	y, m, d := t.In(md.loc).Date()
	md.keys[t] = y*10000 + int(m)*100 + d
	return md.keys[t]
}

// rank orders events at the same instant: joins first, leaves last.
func rank(e qunops.Event) int {
	switch e.Type {
	case qunops.Join:
		return 0
	case qunops.Leave:
		return 2
	}
	return 1
}

func byInstant(a, b qunops.Event) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	return cmp.Compare(rank(a), rank(b))
}

// memberEvents returns the events of each member of group, sorted.
func (md *model) memberEvents(group string) (map[string][]qunops.Event, []qunops.Event) {
	per := map[string][]qunops.Event{}
	var all []qunops.Event
	for _, e := range md.events {
		if e.Group == group {
			per[e.Member] = append(per[e.Member], e)
			all = append(all, e)
		}
	}
	for _, evs := range per {
		slices.SortStableFunc(evs, byInstant)
	}
	return per, all
}

// inAfter is the membership state after the joins and leaves of evs that
// satisfy keep (evs sorted); the pre-log rule when there are none.
func inAfter(evs []qunops.Event, keep func(qunops.Event) bool) bool {
	state := evs[0].Type != qunops.Join
	for _, e := range evs {
		if (e.Type == qunops.Join || e.Type == qunops.Leave) && keep(e) {
			state = e.Type == qunops.Join
		}
	}
	return state
}

// dates returns the local midnights from the first to the last event date.
func (md *model) dates(all []qunops.Event) []time.Time {
	first, last := all[0].Time, all[0].Time
	for _, e := range all {
		if e.Time.Before(first) {
			first = e.Time
		}
		if e.Time.After(last) {
			last = e.Time
		}
	}
	y, m, d := first.In(md.loc).Date()
	var out []time.Time
	for i := 0; ; i++ {
		day := time.Date(y, m, d+i, 0, 0, 0, 0, md.loc)
		out = append(out, day)
		if md.dateKey(day) >= md.dateKey(last) {
			return out
		}
	}
}

func (md *model) days(group string, exclude map[string]bool) []Day {
	per, all := md.memberEvents(group)
	if len(all) == 0 {
		return nil
	}
	var out []Day
	for _, date := range md.dates(all) {
		k := md.dateKey(date)
		day := Day{Date: date}
		for _, e := range all {
			if e.Type == qunops.Message && md.dateKey(e.Time) == k {
				day.Messages++
			}
		}
		for name, evs := range per {
			if exclude[name] {
				continue
			}
			present, spoke := false, false
			for _, e := range evs {
				if md.dateKey(e.Time) == k {
					present = true
					spoke = spoke || e.Type == qunops.Message
					switch e.Type {
					case qunops.Join:
						day.Joins++
					case qunops.Leave:
						day.Leaves++
					}
				}
			}
			if present || inAfter(evs, func(e qunops.Event) bool { return md.dateKey(e.Time) < k }) {
				day.Members++
			}
			if spoke {
				day.Speakers++
			}
		}
		day.Activity = ratioOf(day.Speakers, day.Members)
		out = append(out, day)
	}
	return out
}

func (md *model) retention(group string, n int, meaning Meaning) []Cohort {
	per, all := md.memberEvents(group)
	if len(all) == 0 {
		return nil
	}
	dates := md.dates(all)
	lastKey := md.dateKey(dates[len(dates)-1])
	var out []Cohort
	for _, date := range dates {
		k := md.dateKey(date)
		y, m, d := date.Date()
		target := md.dateKey(time.Date(y, m, d+n, 0, 0, 0, 0, md.loc))
		c := Cohort{Date: date, Complete: target <= lastKey}
		for _, evs := range per {
			if !slices.ContainsFunc(evs, func(e qunops.Event) bool { return e.Type == qunops.Join && md.dateKey(e.Time) == k }) {
				continue
			}
			c.Joined++
			if !c.Complete {
				continue
			}
			var ok bool
			switch meaning {
			case StillMember:
				ok = inAfter(evs, func(e qunops.Event) bool { return md.dateKey(e.Time) <= target })
			case SpokeOnDay:
				ok = slices.ContainsFunc(evs, func(e qunops.Event) bool { return e.Type == qunops.Message && md.dateKey(e.Time) == target })
			case SpokeOnOrAfter:
				ok = slices.ContainsFunc(evs, func(e qunops.Event) bool { return e.Type == qunops.Message && md.dateKey(e.Time) >= target })
			}
			if ok {
				c.Retained++
			}
		}
		if c.Joined == 0 {
			continue
		}
		if c.Complete {
			c.Rate = ratioOf(c.Retained, c.Joined)
		}
		out = append(out, c)
	}
	return out
}

// Generators.

var (
	newYork  = mustLoad("America/New_York")
	shanghai = mustLoad("Asia/Shanghai")
	london   = mustLoad("Europe/London")
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// genLoc draws a tracker location, two of them with daylight saving time.
func genLoc() *rapid.Generator[*time.Location] {
	return rapid.SampledFrom([]*time.Location{shanghai, newYork, london})
}

// genTime draws an instant in a week around the 2026 spring DST change of
// New York and London, often at a midnight, carrying a random UTC offset.
func genTime(t *rapid.T) time.Time {
	base := time.Date(2026, 3, 6, 0, 0, 0, 0, newYork)
	var tm time.Time
	if rapid.Bool().Draw(t, "midnight") {
		loc := rapid.SampledFrom([]*time.Location{shanghai, newYork, london}).Draw(t, "midnightLoc")
		tm = time.Date(2026, 3, 6+rapid.IntRange(0, 24).Draw(t, "day"), 0, 0, 0, 0, loc).Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "nudge")) * time.Nanosecond)
	} else {
		tm = base.Add(time.Duration(rapid.IntRange(0, 25*24*60).Draw(t, "minute")) * time.Minute)
	}
	off := rapid.IntRange(-12, 14).Draw(t, "offset")
	return tm.In(time.FixedZone(fmt.Sprintf("X%d", off), off*3600))
}

var eventTypes = []qunops.EventType{qunops.Join, qunops.Join, qunops.Leave, qunops.Message, qunops.Message, qunops.Message,
	qunops.Roster, qunops.Read, qunops.Claim, qunops.Checkin, qunops.Warn, qunops.Report, qunops.Resolve, qunops.Rename, qunops.Title}

// genEvent draws a valid event; id numbers it when unique IDs are wanted.
func genEvent(t *rapid.T, id int) qunops.Event {
	e := qunops.Event{
		Type:   rapid.SampledFrom(eventTypes).Draw(t, "type"),
		Group:  rapid.SampledFrom([]string{"g1", "g2"}).Draw(t, "group"),
		Member: rapid.SampledFrom([]string{"ann", "bo", "cy", "di", "ed"}).Draw(t, "member"),
		Time:   genTime(t),
	}
	if rapid.IntRange(0, 3).Draw(t, "hasID") > 0 {
		e.ID = fmt.Sprintf("id:%d", id)
	}
	switch e.Type {
	case qunops.Read, qunops.Claim:
		e.Item = rapid.SampledFrom([]string{"p1", "p2"}).Draw(t, "item")
	case qunops.Message:
		if rapid.IntRange(0, 3).Draw(t, "broadcast") == 0 {
			e.Item = rapid.SampledFrom([]string{"p1", "p2"}).Draw(t, "item")
		}
	case qunops.Report:
		e.Actor = "ann"
	case qunops.Rename:
		e.Text = "新名字"
	case qunops.Title:
		e.Text = "新群名"
	}
	return e
}

// genLog draws a log of valid events; some are exact repeats of earlier
// events (same ID), as an exporter that writes a message twice would.
func genLog(t *rapid.T) []qunops.Event {
	n := rapid.IntRange(0, 40).Draw(t, "events")
	var log []qunops.Event
	for i := range n {
		if len(log) > 0 && rapid.IntRange(0, 7).Draw(t, "repeat") == 0 {
			log = append(log, log[rapid.IntRange(0, len(log)-1).Draw(t, "which")])
			continue
		}
		log = append(log, genEvent(t, i))
	}
	return log
}
