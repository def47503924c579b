package metrics

import (
	"fmt"
	"time"
)

// Alert says that a group's activity stayed low for Run consecutive days
// (seed F30): time to start an activation plan (a flash lottery, a live talk).
type Alert struct {
	Figure    string    `json:"figure"`    // "F30"
	Date      time.Time `json:"date"`      // the day the alert fires: the Run-th low day in a row
	Start     time.Time `json:"start"`     // the first low day of the run
	Run       int       `json:"run"`       // the number of consecutive low days that fired it
	Activity  Ratio     `json:"activity"`  // activity over the Run days (sum of speakers / sum of members)
	Threshold Ratio     `json:"threshold"` // the threshold that made a day low
}

// String describes a in one line for reports; the wording may change.
func (a Alert) String() string {
	return fmt.Sprintf("%s %s: activity below %s on %d days in a row since %s (%s over the run)",
		a.Figure, a.Date.Format(time.DateOnly), a.Threshold, a.Run, a.Start.Format(time.DateOnly), a.Activity)
}

// LowActivity returns the low-activity alerts (seed F30) of a group's days,
// as [Tracker.Days] returns them: a day is low when speakers*10 < members
// (with the default threshold); an alert fires on the third consecutive low
// day and once per run, however long the run lasts. A day without members,
// a day that is not low, and a gap between the dates of two entries all
// break a run.
func LowActivity(days []Day, o AlertOptions) ([]Alert, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Threshold.Den == 0 {
		o.Threshold = defaultAlertThreshold
	}
	if o.Run == 0 {
		o.Run = defaultAlertRun
	}
	var out []Alert
	run := 0
	var sum Ratio
	for i, d := range days {
		if i > 0 && !nextDay(days[i-1].Date, d.Date) {
			run, sum = 0, Ratio{}
		}
		if d.Members == 0 || ratioOf(d.Speakers, d.Members).Cmp(o.Threshold) >= 0 {
			run, sum = 0, Ratio{}
			continue
		}
		run++
		sum.Num += int64(d.Speakers)
		sum.Den += int64(d.Members)
		if run == o.Run {
			out = append(out, Alert{Figure: "F30", Date: d.Date, Start: days[i-o.Run+1].Date, Run: o.Run, Activity: sum, Threshold: o.Threshold})
		}
	}
	return out, nil
}

// nextDay reports whether b is the start of the calendar day after a's (both
// first instants of their days, as Day.Date), in a's location: the date
// after a's, or the one after that where the location skipped a date.
func nextDay(a, b time.Time) bool {
	start, _ := dayStart(civilDay(a.Date())+1, a.Location())
	return start.Equal(b)
}
