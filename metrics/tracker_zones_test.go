package metrics

import (
	"archive/zip"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones for machines without a zoneinfo directory

	"github.com/qunops/qunops"
)

// zoneNames lists the zones of the system's tz database, or of Go's own
// copy (which time/tzdata embeds) on a machine without one.
func zoneNames(t *testing.T) []string {
	var names []string
	root := "/usr/share/zoneinfo"
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == "posix" || rel == "right") {
			return fs.SkipDir // copies, and zones counting leap seconds
		}
		if !d.IsDir() && !strings.Contains(rel, ".") && rel != "posixrules" && rel != "leapseconds" {
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err == nil && len(names) > 0 {
		return names
	}
	// Go's copy: the zip that time/tzdata embeds, whose names it does not
	// list.
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err == nil {
		zr, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
		if err == nil {
			defer zr.Close()
			for _, f := range zr.File {
				names = append(names, f.Name)
			}
			return names
		}
	}
	t.Logf("no zoneinfo directory and no Go zoneinfo.zip: the zones of the issue only")
	return []string{"America/Santiago", "America/Havana", "Pacific/Apia", "America/Goose_Bay", "America/Sao_Paulo", "Asia/Shanghai"}
}

// firstInstant returns the earliest instant whose local date in loc is
// day, and false if there is none: the reference for Tracker.date. It walks
// the zone periods (spans of one UTC offset) that overlap the 30 hours
// either side of the date's midnight read as UTC, which hold every instant
// of the date; within a period local time is UTC plus the offset, so the
// date begins there at its midnight under that offset, or at the period's
// start if that is later.
func firstInstant(day int32, loc *time.Location) (time.Time, bool) {
	u := int64(day) * 86400
	from, to := u-30*3600, u+30*3600
	var best int64
	found := false
	for at := from; at < to; {
		tm := time.Unix(at, 0).In(loc)
		_, off := tm.Zone()
		_, end := tm.ZoneBounds()
		periodEnd := to
		if !end.IsZero() {
			periodEnd = min(to, end.Unix())
		}
		// Instants of the period whose local time is on the date.
		lo, hi := max(at, u-int64(off)), min(periodEnd, u+86400-int64(off))
		if lo < hi && (!found || lo < best) {
			best, found = lo, true
		}
		at = periodEnd
	}
	return time.Unix(best, 0).In(loc), found
}

// Calendar dates from civil dates (issue 18): in every zone of the tz
// database, for every change of offset from 1970 through 2037, the days
// around it are listed once each, in order, skipped dates left out, each
// dated at its first instant, and each event counts on its local date (in
// America/Goose_Bay, whose clocks went back from 00:01 to 23:01, an event
// just after the change is on the date before the one just before it).
func TestDaysLabelledAcrossEveryZoneTransition(t *testing.T) {
	if testing.Short() {
		t.Skip("every zone: slow")
	}
	end := time.Date(2038, 1, 1, 0, 0, 0, 0, time.UTC)
	zones, transitions := 0, 0
	for _, name := range zoneNames(t) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue // not a zone file
		}
		zones++
		at := time.Date(1970, 1, 1, 0, 0, 0, 0, loc)
		for {
			_, next := at.ZoneBounds()
			if next.IsZero() || !next.Before(end) {
				break
			}
			at = next
			transitions++
			tr := NewTracker(loc)
			messagesOn := map[int32]int{}
			for _, tm := range []time.Time{next.Add(-time.Nanosecond), next, next.Add(30 * time.Hour)} {
				messagesOn[civilDay(tm.In(loc).Date())]++
				// In UTC: events carry whole-minute offsets, local mean
				// time has seconds.
				if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: tm.UTC()}); err != nil {
					t.Fatal(err)
				}
			}
			var want []time.Time
			first := min(civilDay(next.Add(-time.Nanosecond).In(loc).Date()), civilDay(next.In(loc).Date()))
			last := civilDay(next.Add(30 * time.Hour).In(loc).Date())
			for d := first; d <= last; d++ {
				if start, ok := firstInstant(d, loc); ok {
					want = append(want, start)
				}
			}
			var got []time.Time
			for _, d := range tr.Days("g") {
				got = append(got, d.Date)
				// Each event counts on its civil date.
				if want := messagesOn[civilDay(d.Date.Date())]; d.Messages != want {
					t.Errorf("%s, change at %v: %s has %d messages, want %d", name, next, d.Date, d.Messages, want)
				}
			}
			if !slices.EqualFunc(want, got, time.Time.Equal) {
				t.Errorf("%s, change at %v: days dated\n%v, want\n%v", name, next, got, want)
			}
		}
	}
	t.Logf("%d zones, %d changes of offset", zones, transitions)
	if zones < 6 {
		t.Errorf("only %d zones found", zones)
	}
}

// The cases of the issue, by hand from the tz database's rules: Chile and
// Cuba moved their clocks from 00:00 to 01:00, and Samoa skipped
// 2011-12-30 by going from UTC-10 to UTC+14.
func TestDaysLabelledWhereMidnightIsSkipped(t *testing.T) {
	tests := []struct {
		zone   string
		events []string // local times, RFC 3339
		want   []string // Day.Date, RFC 3339
	}{
		{"America/Santiago", []string{"2022-09-10T12:00:00-04:00", "2022-09-11T12:00:00-03:00"},
			[]string{"2022-09-10T00:00:00-04:00", "2022-09-11T01:00:00-03:00"}},
		{"America/Havana", []string{"2023-03-11T12:00:00-05:00", "2023-03-12T12:00:00-04:00", "2023-03-13T12:00:00-04:00"},
			[]string{"2023-03-11T00:00:00-05:00", "2023-03-12T01:00:00-04:00", "2023-03-13T00:00:00-04:00"}},
		{"Pacific/Apia", []string{"2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00"},
			[]string{"2011-12-29T00:00:00-10:00", "2011-12-31T00:00:00+14:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			tr := NewTracker(loc)
			for _, s := range tt.events {
				tm, err := time.Parse(time.RFC3339, s)
				if err != nil {
					t.Fatal(err)
				}
				if err := tr.Add(qunops.Event{Type: qunops.Message, Group: "g", Member: "ann", Time: tm}); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, d := range tr.Days("g") {
				got = append(got, d.Date.Format(time.RFC3339))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("days dated %v, want %v", got, tt.want)
			}
		})
	}
}

// A run of low days goes on across a day whose midnight was skipped, and
// across a skipped date: LowActivity sees Days' entries as consecutive.
func TestLowActivityRunsAcrossSkippedMidnight(t *testing.T) {
	for _, tt := range []struct {
		zone string
		days []string // local noons of three consecutive days
	}{
		{"America/Santiago", []string{"2022-09-10T12:00:00-04:00", "2022-09-11T12:00:00-03:00", "2022-09-12T12:00:00-03:00"}},
		{"Pacific/Apia", []string{"2011-12-28T12:00:00-10:00", "2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00"}},
	} {
		t.Run(tt.zone, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			tr := NewTracker(loc)
			for _, s := range tt.days {
				tm, err := time.Parse(time.RFC3339, s)
				if err != nil {
					t.Fatal(err)
				}
				// Eleven members present, none speaks: activity 0 < 10%.
				for i := range 11 {
					if err := tr.Add(qunops.Event{Type: qunops.Checkin, Group: "g", Member: string(rune('a' + i)), Time: tm}); err != nil {
						t.Fatal(err)
					}
				}
			}
			days := tr.Days("g")
			alerts, err := LowActivity(days, AlertOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(days) != 3 || len(alerts) != 1 || !alerts[0].Date.Equal(days[2].Date) {
				t.Fatalf("%d days, alerts %v; want one alert on the third day", len(days), alerts)
			}
		})
	}
}
